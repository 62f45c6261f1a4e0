package asyncio.epoll;

import asyncio.spi.readiness.Readiness;
import asyncio.spi.readiness.ReadyListener;

/**
 * One descriptor's place in the epoll set, as a {@link Readiness}. Interest changes are only
 * recorded here; the loop hands the net change to the kernel just before it next waits, so a
 * transport that starts and stops watching writability within one iteration (a write the kernel
 * took after all) costs no {@code epoll_ctl} at all. A descriptor that watches nothing is taken
 * out of the set: epoll reports hang-ups and errors even for an empty interest, which,
 * level-triggered, would wake the loop on every iteration while a transport has paused reading.
 */
final class EpollRegistration implements Readiness {
    final int fd;
    /** Tells this registration's events from those of an earlier user of the same fd number. */
    final int generation;
    final ReadyListener listener;
    private final EpollEventLoop loop;
    /** What the listener wants now (READ/WRITE bits); events are filtered by it. */
    private int interest;
    /** What the kernel's set holds for the fd on this registration's behalf; 0: not in the set. */
    int kernelInterest;
    /** Queued for the loop's next flush. */
    boolean dirty;
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

    /** Stops at once, not at the next flush: the caller is about to close the descriptor. */
    @Override
    public void cancel() {
        if (!cancelled) {
            cancelled = true;
            loop.watchingChanged(interest, 0);
            interest = 0;
            loop.unregister(this, kernelInterest != 0);
            kernelInterest = 0;
        }
    }

    /** Another listener took this descriptor over; returns what the kernel's set held for it (0: nothing). */
    int supersede() {
        cancelled = true;
        loop.watchingChanged(interest, 0);
        interest = 0;
        int inherited = kernelInterest;
        kernelInterest = 0;
        return inherited;
    }

    boolean isCancelled() {
        return cancelled;
    }

    /** The interest the flush should give the kernel. */
    int wanted() {
        return interest;
    }

    private void update(int wanted) {
        if (cancelled || wanted == interest) {
            return;
        }
        if (kernelInterest == 0 && !dirty) {
            // Entering the set: done now, so that a descriptor epoll refuses fails at the call.
            kernelInterest = loop.addNow(this, wanted);
            loop.watchingChanged(interest, wanted);
            interest = wanted;
            return;
        }
        loop.watchingChanged(interest, wanted);
        interest = wanted;
        if (!dirty) {
            loop.markDirty(this);
        }
    }
}
