package asyncio.api;

import asyncio.api.internal.Throwables;

/**
 * A deadline over a block of coroutine code: when it passes, the task running the block is
 * cancelled, and the cancellation leaving the block becomes a {@link TimeoutError}.
 * Mirrors {@code asyncio.Timeout}, entered with {@link Asyncio#timeout(Double, TimeoutBody)}.
 */
public final class Timeout {
    /** The states, with the names asyncio shows in messages and in {@code repr}. */
    private enum State {
        CREATED("created"), ENTERED("active"), EXPIRING("expiring"), EXPIRED("expired"), EXITED("finished");

        private final String value;

        State(String value) {
            this.value = value;
        }
    }

    /**
     * A block without a value under a timeout, so that {@code t -> { step1(); step2(); }} needs no
     * {@code return null}. Mirrors the body of {@code async with asyncio.timeout(delay) as t:}.
     */
    @FunctionalInterface
    public interface VoidBody {
        /** Runs the block. */
        void run(Timeout timeout) throws Exception;
    }

    /**
     * The block a timeout governs; it may {@link Timeout#reschedule} its own deadline. It extends
     * {@link VoidBody} so that a lambda fitting both (an expression body) is taken as this one and
     * keeps its value.
     */
    @FunctionalInterface
    public interface TimeoutBody<T> extends VoidBody {
        /** Runs the block. */
        T call(Timeout timeout) throws Exception;

        /** Runs the block, dropping its value. */
        @Override
        default void run(Timeout timeout) throws Exception {
            call(timeout);
        }
    }

    private State state = State.CREATED;
    private Double when;
    private Task<?> task;
    private int cancellingAtEntry;
    private Handle expiry;

    Timeout(Double when) {
        this.when = when;
    }

    /** The deadline in loop time, or null for none. Mirrors {@code Timeout.when()}. */
    public Double when() {
        return when;
    }

    /**
     * Moves the deadline to loop time {@code newWhen} (null: no deadline); a deadline already in
     * the past expires at the next iteration. Mirrors {@code Timeout.reschedule()}.
     */
    public void reschedule(Double newWhen) {
        if (state != State.ENTERED) {
            throw new IllegalStateException(state == State.CREATED ? "Timeout has not been entered"
                    : "Cannot change state of " + state.value + " Timeout");
        }
        when = newWhen;
        if (expiry != null) {
            expiry.cancel();
            expiry = null;
        }
        if (newWhen != null) {
            EventLoop loop = task.getLoop();
            expiry = newWhen <= loop.time() ? loop.callSoon(this::onTimeout) : loop.callAt(newWhen, this::onTimeout);
        }
    }

    /** Whether the deadline passed. Mirrors {@code Timeout.expired()}. */
    public boolean expired() {
        return state == State.EXPIRING || state == State.EXPIRED;
    }

    /**
     * Enters this timeout, runs {@code body} under it and leaves it; the timeout stays readable
     * afterwards ({@link #expired()}, {@link #when()}). Mirrors {@code async with cm:} for a
     * {@code cm} made by {@link Asyncio#timeout(double)}; a timeout is entered once.
     */
    public <T> T run(TimeoutBody<T> body) {
        enter();
        T value;
        try {
            value = body.call(this);
        } catch (Throwable error) {
            throw Throwables.sneaky(exit(error));
        }
        exit(null);
        return value;
    }

    /** {@link #run(TimeoutBody)} for a block without a value. Mirrors {@code async with cm:}. */
    public void run(VoidBody body) {
        run((TimeoutBody<Void>) timeout -> {
            body.run(timeout);
            return null;
        });
    }

    private void enter() {
        if (state != State.CREATED) {
            throw new IllegalStateException("Timeout has already been entered");
        }
        task = Task.current();
        if (task == null) {
            throw new IllegalStateException("Timeout should be used inside a task");
        }
        state = State.ENTERED;
        cancellingAtEntry = task.cancelling();
        reschedule(when);
    }

    /** Leaves the block; returns the error to raise in place of {@code error} (null if none). */
    private Throwable exit(Throwable error) {
        if (expiry != null) {
            expiry.cancel();
            expiry = null;
        }
        if (state == State.EXPIRING) {
            state = State.EXPIRED;
            // Only a cancellation this timeout caused, with no other request since, becomes a TimeoutError.
            if (task.uncancel() <= cancellingAtEntry && error instanceof CancelledError) {
                TimeoutError timeout = new TimeoutError();
                timeout.initCause(error);
                return timeout;
            }
        } else if (state == State.ENTERED) {
            state = State.EXITED;
        }
        return error;
    }

    private void onTimeout() {
        task.cancel();
        state = State.EXPIRING;
        expiry = null;
    }

    @Override
    public String toString() {
        String deadline = when == null ? "None" : String.valueOf(Math.round(when * 1000) / 1000.0);
        return "<Timeout [" + state.value + "]" + (state == State.ENTERED ? " when=" + deadline : "") + ">";
    }
}
