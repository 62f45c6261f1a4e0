package asyncio.api.sync;

import asyncio.api.Asyncio;
import asyncio.api.Future;
import asyncio.api.internal.LoopBound;
import java.util.ArrayDeque;

/**
 * A flag tasks wait on until another task sets it. Mirrors {@code asyncio.Event}; its
 * {@code wait()} is {@link #await()} here, since Java's {@code Object.wait()} is final.
 */
public class Event {
    private final LoopBound bound = new LoopBound();
    private final ArrayDeque<Future<Boolean>> waiters = new ArrayDeque<>();
    private boolean value;

    /** An event whose flag is clear. Mirrors {@code asyncio.Event()}. */
    public Event() {
    }

    /** Whether the flag is set. Mirrors {@code Event.is_set()}. */
    public boolean isSet() {
        return value;
    }

    /** Sets the flag and wakes every waiting task. Mirrors {@code Event.set()}. */
    public void set() {
        if (value) {
            return;
        }
        value = true;
        for (Future<Boolean> waiter : waiters) {
            if (!waiter.done()) {
                waiter.setResult(Boolean.TRUE);
            }
        }
    }

    /** Clears the flag, so that later waiters block. Mirrors {@code Event.clear()}. */
    public void clear() {
        value = false;
    }

    /** Waits until the flag is set; returns true. Mirrors {@code Event.wait()}. */
    public boolean await() {
        if (value) {
            return true;
        }
        Future<Boolean> waiter = bound.loop(this).createFuture();
        waiters.add(waiter);
        try {
            Asyncio.await(waiter);
            return true;
        } finally {
            waiters.remove(waiter);
        }
    }

    @Override
    public String toString() {
        return Waiters.repr(super.toString(), Waiters.describe(value ? "set" : "unset", waiters));
    }
}
