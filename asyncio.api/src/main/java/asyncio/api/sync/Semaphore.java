package asyncio.api.sync;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.Future;
import asyncio.api.internal.LoopBound;
import java.util.ArrayDeque;

/**
 * A counter of permits: {@link #acquire()} takes one, waiting in FIFO order while none is free,
 * and {@link #release()} returns one. Mirrors {@code asyncio.Semaphore}.
 */
public class Semaphore implements Acquirable {
    private final LoopBound bound = new LoopBound();
    private final Held held = this::release;
    private ArrayDeque<Future<Boolean>> waiters;
    private int value;

    /** A semaphore with one permit. Mirrors {@code asyncio.Semaphore()}. */
    public Semaphore() {
        this(1);
    }

    /**
     * A semaphore with {@code value} permits; raises {@link IllegalArgumentException} if negative.
     * Mirrors {@code asyncio.Semaphore(value)}.
     */
    public Semaphore(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("Semaphore initial value must be >= 0");
        }
        this.value = value;
    }

    /**
     * Whether {@link #acquire()} would wait: no permit is free, or tasks still wait in line.
     * Mirrors {@code Semaphore.locked()}.
     */
    public boolean locked() {
        return value == 0 || !Waiters.allCancelled(waiters);
    }

    /**
     * Takes a permit, waiting for one if needed; {@code close()} of the result releases it.
     * Mirrors {@code Semaphore.acquire()}.
     */
    public Held acquire() {
        if (!locked()) {
            value--;
            return held;
        }
        if (waiters == null) {
            waiters = new ArrayDeque<>();
        }
        Future<Boolean> waiter = bound.loop(this).createFuture();
        waiters.add(waiter);
        try {
            try {
                Asyncio.await(waiter);
            } finally {
                waiters.remove(waiter);
            }
        } catch (CancelledError cancelled) {
            // Woken with a permit already counted for us, then cancelled: give the permit back.
            if (waiter.done() && !waiter.cancelled()) {
                value++;
            }
            throw cancelled;
        } finally {
            wakeUpWhileFree();
        }
        return held;
    }

    /** Returns a permit and wakes the first waiter. Mirrors {@code Semaphore.release()}. */
    public void release() {
        value++;
        wakeUpNext();
    }

    /** The number of free permits, for subclasses that bound it. */
    int value() {
        return value;
    }

    /** Newcomers may have queued behind us while permits were free: hand out as many as there are. */
    private void wakeUpWhileFree() {
        boolean woke = true;
        while (value > 0 && woke) {
            woke = wakeUpNext();
        }
    }

    private boolean wakeUpNext() {
        if (waiters == null) {
            return false;
        }
        for (Future<Boolean> waiter : waiters) {
            if (!waiter.done()) {
                value--;
                waiter.setResult(Boolean.TRUE);
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        String state = locked() ? "locked" : "unlocked, value:" + value;
        return Waiters.repr(super.toString(), Waiters.describe(state, waiters));
    }
}
