package asyncio.api.sync;

/**
 * A meeting point for a fixed number of tasks: each waits until all have arrived, then all go on
 * together. Mirrors {@code asyncio.Barrier}; its {@code wait()} is {@link #await()} here.
 */
public class Barrier {
    private enum State { FILLING, DRAINING, RESETTING, BROKEN }

    // Every state change is announced to all waiters through this condition.
    private final Condition cond = new Condition();
    private final int parties;
    private State state = State.FILLING;
    private int count;

    /**
     * A barrier for {@code parties} tasks; raises {@link IllegalArgumentException} if fewer than
     * one. Mirrors {@code asyncio.Barrier(parties)}.
     */
    public Barrier(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("parties must be >= 1");
        }
        this.parties = parties;
    }

    /**
     * Waits until {@code parties} tasks are waiting, then returns this task's arrival index, from 0
     * to {@code parties - 1}; raises {@link BrokenBarrierError} if the barrier is broken or reset
     * meanwhile. Mirrors {@code Barrier.wait()}.
     */
    public int await() {
        cond.acquire();
        try {
            waitUntilAdmitted();
            try {
                int index = count++;
                if (index + 1 == parties) {
                    state = State.DRAINING;
                    cond.notifyAllWaiters();
                } else {
                    waitUntilTripped();
                }
                return index;
            } finally {
                count--;
                leave();
            }
        } finally {
            cond.release();
        }
    }

    /**
     * What {@link #enter()} returns: this task's arrival index, held by a try-with-resources block
     * whose end does nothing, as the barrier's {@code __aexit__} does nothing.
     *
     * @param index the arrival index {@link #await()} gives, from 0 to {@code parties - 1}
     */
    public record Arrival(int index) implements Held {
        /** Leaves the block; the barrier needs nothing. Mirrors {@code Barrier.__aexit__}. */
        @Override
        public void close() {
        }
    }

    /**
     * Waits as {@link #await()} does and returns the arrival index in a form for
     * {@code try (var arrival = barrier.enter()) { ... arrival.index() ... }}. Mirrors
     * {@code async with barrier as i:}.
     */
    public Arrival enter() {
        return new Arrival(await());
    }

    /**
     * Returns the barrier to its empty state; tasks waiting now get {@link BrokenBarrierError}.
     * Mirrors {@code Barrier.reset()}.
     */
    public void reset() {
        cond.acquire();
        try {
            state = count > 0 ? State.RESETTING : State.FILLING;
            cond.notifyAllWaiters();
        } finally {
            cond.release();
        }
    }

    /**
     * Breaks the barrier: tasks waiting now and later get {@link BrokenBarrierError}, until
     * {@link #reset()}. Mirrors {@code Barrier.abort()}.
     */
    public void abort() {
        cond.acquire();
        try {
            state = State.BROKEN;
            cond.notifyAllWaiters();
        } finally {
            cond.release();
        }
    }

    /** How many tasks must wait to trip the barrier. Mirrors {@code Barrier.parties}. */
    public int parties() {
        return parties;
    }

    /** How many tasks wait while the barrier fills, else 0. Mirrors {@code Barrier.n_waiting}. */
    public int nWaiting() {
        return state == State.FILLING ? count : 0;
    }

    /** Whether the barrier is broken. Mirrors {@code Barrier.broken}. */
    public boolean broken() {
        return state == State.BROKEN;
    }

    /** Waits while the previous round drains or resets; then a broken barrier refuses entry. */
    private void waitUntilAdmitted() {
        cond.waitFor(() -> state != State.DRAINING && state != State.RESETTING);
        if (state == State.BROKEN) {
            throw new BrokenBarrierError("Barrier aborted");
        }
    }

    private void waitUntilTripped() {
        cond.waitFor(() -> state != State.FILLING);
        if (state == State.BROKEN || state == State.RESETTING) {
            throw new BrokenBarrierError("Abort or reset of barrier");
        }
    }

    /** The last task out ends draining or resetting and lets the next round in. */
    private void leave() {
        if (count == 0) {
            if (state == State.RESETTING || state == State.DRAINING) {
                state = State.FILLING;
            }
            cond.notifyAllWaiters();
        }
    }

    @Override
    public String toString() {
        String extra = state.name().toLowerCase(java.util.Locale.ROOT);
        if (state != State.BROKEN) {
            extra += ", waiters:" + nWaiting() + "/" + parties;
        }
        return "<" + super.toString() + " [" + extra + "]>";
    }
}
