package asyncio.api.sync;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.Future;
import asyncio.api.internal.LoopBound;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A condition variable: tasks holding its lock wait until another task notifies them. Mirrors
 * {@code asyncio.Condition}. Its {@code wait()} is {@link #await()} and its {@code notify_all()}
 * is {@link #notifyAllWaiters()}, since Java's {@code Object} reserves those names; beware that
 * {@code notify()} without an argument is {@code Object.notify()}: use {@link #notify(int)}.
 */
public class Condition implements Acquirable {
    private final LoopBound bound = new LoopBound();
    private final ArrayDeque<Future<Boolean>> waiters = new ArrayDeque<>();
    private final Lock lock;

    /** A condition with a lock of its own. Mirrors {@code asyncio.Condition()}. */
    public Condition() {
        this(new Lock());
    }

    /** A condition over {@code lock}, which other conditions may share. Mirrors {@code asyncio.Condition(lock)}. */
    public Condition(Lock lock) {
        this.lock = Objects.requireNonNull(lock, "lock");
    }

    /** Whether the underlying lock is held. Mirrors {@code Condition.locked()}. */
    public boolean locked() {
        return lock.locked();
    }

    /** Acquires the underlying lock; {@code close()} of the result releases it. Mirrors {@code Condition.acquire()}. */
    public Held acquire() {
        return lock.acquire();
    }

    /** Releases the underlying lock. Mirrors {@code Condition.release()}. */
    public void release() {
        lock.release();
    }

    /**
     * Releases the lock, waits until notified, and takes the lock again before returning true,
     * even when cancelled. Raises {@link IllegalStateException} if the lock is not held. May wake
     * spuriously. Mirrors {@code Condition.wait()}.
     */
    public boolean await() {
        if (!locked()) {
            throw new IllegalStateException("cannot wait on un-acquired lock");
        }
        Future<Boolean> waiter = bound.loop(this).createFuture();
        release();
        try {
            try {
                waiters.add(waiter);
                try {
                    Asyncio.await(waiter);
                    return true;
                } finally {
                    waiters.remove(waiter);
                }
            } finally {
                reacquire();
            }
        } catch (Throwable error) {
            // We may have been notified before the error: pass the notification on rather than lose it.
            wake(1);
            throw error;
        }
    }

    /**
     * Waits until {@code predicate} is true, checking it first and after each wake-up, with the lock
     * held; returns true. Mirrors {@code Condition.wait_for()}.
     */
    public boolean waitFor(BooleanSupplier predicate) {
        boolean result = predicate.getAsBoolean();
        while (!result) {
            await();
            result = predicate.getAsBoolean();
        }
        return result;
    }

    /**
     * Waits until {@code predicate} gives a true value, checking it first and after each wake-up,
     * with the lock held; returns that value. True is as in Python: anything but null, false, a
     * zero number, and an empty string, collection, map or {@link java.util.Optional}. Mirrors
     * {@code Condition.wait_for()}, which returns the predicate's last value.
     */
    public <T> T waitFor(Supplier<T> predicate) {
        T result = predicate.get();
        while (!truthy(result)) {
            await();
            result = predicate.get();
        }
        return result;
    }

    /** Python's truth test for the values a Java predicate gives. */
    private static boolean truthy(Object value) {
        return switch (value) {
            case null -> false;
            case Boolean b -> b;
            case Number n -> n.doubleValue() != 0;
            case CharSequence s -> !s.isEmpty();
            case java.util.Collection<?> c -> !c.isEmpty();
            case java.util.Map<?, ?> m -> !m.isEmpty();
            case java.util.Optional<?> o -> o.isPresent();
            default -> true;
        };
    }

    /**
     * Wakes up to {@code n} waiting tasks; raises {@link IllegalStateException} if the lock is not
     * held. Mirrors {@code Condition.notify(n)}.
     */
    public void notify(int n) {
        if (!locked()) {
            throw new IllegalStateException("cannot notify on un-acquired lock");
        }
        wake(n);
    }

    /** Wakes every waiting task. Mirrors {@code Condition.notify_all()}. */
    public void notifyAllWaiters() {
        notify(waiters.size());
    }

    /** Takes the lock back whatever happens; a cancellation meanwhile is raised once it is held. */
    private void reacquire() {
        CancelledError cancelled = null;
        while (true) {
            try {
                lock.acquire();
                break;
            } catch (CancelledError again) {
                cancelled = again;
            }
        }
        if (cancelled != null) {
            throw cancelled;
        }
    }

    private void wake(int n) {
        int woken = 0;
        for (Future<Boolean> waiter : waiters) {
            if (woken >= n) {
                break;
            }
            if (!waiter.done()) {
                woken++;
                waiter.setResult(Boolean.FALSE);
            }
        }
    }

    @Override
    public String toString() {
        return Waiters.repr(super.toString(), Waiters.describe(locked() ? "locked" : "unlocked", waiters));
    }
}
