package asyncio.api.sync;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.Future;
import asyncio.api.internal.LoopBound;
import java.util.ArrayDeque;

/**
 * A mutual-exclusion lock for tasks, not owned by the task that acquired it; waiters acquire it in
 * FIFO order. Mirrors {@code asyncio.Lock}. Hold it with
 * {@code try (var held = lock.acquire()) { ... }}, the Java spelling of {@code async with lock:}.
 */
public class Lock implements Acquirable {
    private final LoopBound bound = new LoopBound();
    private final Held held = this::release;
    // Created on first contention: most locks never see any.
    private ArrayDeque<Future<Boolean>> waiters;
    private boolean locked;

    /** An unlocked lock. Mirrors {@code asyncio.Lock()}. */
    public Lock() {
    }

    /** Whether the lock is held. Mirrors {@code Lock.locked()}. */
    public boolean locked() {
        return locked;
    }

    /**
     * Waits until the lock is free and takes it; returns a {@link Held} whose {@code close()}
     * releases it. Mirrors {@code Lock.acquire()}.
     */
    public Held acquire() {
        // Fairness: a newcomer takes a free lock only when nobody still waits in line.
        if (!locked && Waiters.allCancelled(waiters)) {
            locked = true;
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
            // A wake-up meant for us (or a free lock) must pass to the next in line.
            if (!locked) {
                wakeUpFirst();
            }
            throw cancelled;
        }
        locked = true;
        return held;
    }

    /**
     * Releases the lock and lets the first waiter take it; raises {@link IllegalStateException}
     * if it is not held. Mirrors {@code Lock.release()}.
     */
    public void release() {
        if (!locked) {
            throw new IllegalStateException("Lock is not acquired.");
        }
        locked = false;
        wakeUpFirst();
    }

    private void wakeUpFirst() {
        Future<Boolean> first = waiters == null ? null : waiters.peekFirst();
        // A done head is already on its way to take the lock.
        if (first != null && !first.done()) {
            first.setResult(Boolean.TRUE);
        }
    }

    @Override
    public String toString() {
        return Waiters.repr(super.toString(), Waiters.describe(locked ? "locked" : "unlocked", waiters));
    }
}
