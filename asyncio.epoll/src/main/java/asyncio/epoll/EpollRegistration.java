package asyncio.epoll;

import asyncio.spi.Readiness;
import asyncio.spi.ReadyListener;

/**
 * One descriptor's place in the epoll set, as a {@link Readiness}. The kernel is told only when
 * the interest really changes, and a descriptor that watches nothing is taken out of the set:
 * epoll reports hang-ups and errors even for an empty interest, which, level-triggered, would
 * wake the loop on every iteration while a transport has paused reading.
 */
final class EpollRegistration implements Readiness {
    final int fd;
    /** Tells this registration's events from those of an earlier user of the same fd number. */
    final int generation;
    final ReadyListener listener;
    private final EpollEventLoop loop;
    private int interest;
    private boolean inKernel;
    private boolean cancelled;

    EpollRegistration(EpollEventLoop loop, int fd, int generation, ReadyListener listener) {
        this.loop = loop;
        this.fd = fd;
        this.generation = generation;
        this.listener = listener;
    }

    @Override
    public void watchRead(boolean on) {
        update(on ? interest | EpollEventLoop.READ : interest & ~EpollEventLoop.READ);
    }

    @Override
    public void watchWrite(boolean on) {
        update(on ? interest | EpollEventLoop.WRITE : interest & ~EpollEventLoop.WRITE);
    }

    @Override
    public boolean watchingRead() {
        return (interest & EpollEventLoop.READ) != 0;
    }

    @Override
    public boolean watchingWrite() {
        return (interest & EpollEventLoop.WRITE) != 0;
    }

    @Override
    public void cancel() {
        if (!cancelled) {
            cancelled = true;
            loop.watchingChanged(interest, 0);
            interest = 0;
            loop.unregister(this, inKernel);
            inKernel = false;
        }
    }

    /** Another listener took this descriptor over: this one hears nothing more; returns whether the fd is in the set. */
    boolean supersede() {
        cancelled = true;
        loop.watchingChanged(interest, 0);
        interest = 0;
        boolean wasInKernel = inKernel;
        inKernel = false;
        return wasInKernel;
    }

    boolean isCancelled() {
        return cancelled;
    }

    private void update(int wanted) {
        if (cancelled || wanted == interest) {
            return;
        }
        loop.watchingChanged(interest, wanted);
        interest = wanted;
        inKernel = loop.control(this, wanted, inKernel);
    }
}
