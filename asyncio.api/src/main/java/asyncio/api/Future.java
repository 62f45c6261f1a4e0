package asyncio.api;

import asyncio.api.internal.RecursiveRepr;
import asyncio.api.internal.Throwables;
import asyncio.api.internal.UnretrievedException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The result of an operation that finishes later, on one loop. Mirrors {@code asyncio.Future}:
 * not thread-safe, done callbacks run through {@link EventLoop#callSoon} in registration order.
 *
 * @param <T> the type of the result
 */
public class Future<T> {
    private enum State { PENDING, CANCELLED, FINISHED }

    private final EventLoop loop;
    private State state = State.PENDING;
    private T result;
    private Throwable exception;
    private String cancelMessage;
    /** The {@link CancelledError} that ended a task, until the first retrieval raises it again. */
    private CancelledError cancelledError;
    private UnretrievedException unretrieved;
    // Most futures get exactly one callback (the awaiting task): keep it out of a list.
    private Consumer<? super Future<T>> firstCallback;
    private List<Consumer<? super Future<T>>> moreCallbacks;
    /**
     * Who awaits this future besides the tasks whose step is among its callbacks (those are read
     * from the callbacks, so a plain await costs nothing here): null, one {@code Future}, or a
     * {@code LinkedHashSet} of them. Filled by {@link Asyncio#futureAddToAwaitedBy} (gather,
     * shield, TaskGroup, or the application).
     */
    private Object awaitedBy;

    /** A pending future bound to {@code loop}. Mirrors {@code asyncio.Future(loop=loop)}. */
    public Future(EventLoop loop) {
        this.loop = Objects.requireNonNull(loop, "loop");
    }

    /** A pending future bound to the running loop (or the current one). Mirrors {@code asyncio.Future()}. */
    public Future() {
        this(Asyncio.getEventLoop());
    }

    /** The loop this future is bound to. Mirrors {@code Future.get_loop()}. */
    public final EventLoop getLoop() {
        return loop;
    }

    /** Whether the future has a result, an exception, or was cancelled. Mirrors {@code Future.done()}. */
    public final boolean done() {
        return state != State.PENDING;
    }

    /** Whether the future was cancelled. Mirrors {@code Future.cancelled()}. */
    public final boolean cancelled() {
        return state == State.CANCELLED;
    }

    /**
     * Returns the result, or throws the exception that was set (unchanged), or
     * {@link CancelledError} if cancelled, or {@link InvalidStateError} if not done.
     * Mirrors {@code Future.result()}.
     */
    public final T result() {
        switch (state) {
            case CANCELLED -> throw makeCancelledError();
            case PENDING -> throw new InvalidStateError("Result is not ready.");
            default -> {
                if (exception != null) {
                    markRetrieved();
                    throw Throwables.sneaky(exception);
                }
                return result;
            }
        }
    }

    /**
     * Returns the exception that was set, or null. Throws {@link CancelledError} if cancelled and
     * {@link InvalidStateError} if not done. Mirrors {@code Future.exception()}.
     */
    public final Throwable exception() {
        switch (state) {
            case CANCELLED -> throw makeCancelledError();
            case PENDING -> throw new InvalidStateError("Exception is not set.");
            default -> {
                markRetrieved();
                return exception;
            }
        }
    }

    /** Marks the future done with {@code value}. Mirrors {@code Future.set_result()}. */
    public void setResult(T value) {
        complete(value);
    }

    /** Marks the future done with {@code error}. Mirrors {@code Future.set_exception()}. */
    public void setException(Throwable error) {
        fail(error);
    }

    /** Cancels the future and schedules its callbacks. Mirrors {@code Future.cancel()}. */
    public boolean cancel() {
        return cancel(null);
    }

    /** Cancels with a message that the {@link CancelledError} will carry. Mirrors {@code Future.cancel(msg)}. */
    public boolean cancel(String message) {
        // Even a done future: whoever cancels it has dealt with its outcome, as in asyncio.
        markRetrieved();
        return cancelFuture(message, null);
    }

    /**
     * Adds a callback run (through the loop) when the future is done; at once-scheduled if it is
     * already done. Mirrors {@code Future.add_done_callback()}.
     */
    public final void addDoneCallback(Consumer<? super Future<T>> callback) {
        Objects.requireNonNull(callback, "callback");
        if (state != State.PENDING) {
            loop.callSoon(new DoneCallback<>(callback, this));
        } else if (firstCallback == null && moreCallbacks == null) {
            firstCallback = callback;
        } else {
            if (moreCallbacks == null) {
                moreCallbacks = new ArrayList<>(2);
            }
            moreCallbacks.add(callback);
        }
    }

    /** Removes every registration of {@code callback}; returns how many. Mirrors {@code Future.remove_done_callback()}. */
    public final int removeDoneCallback(Consumer<? super Future<T>> callback) {
        int removed = 0;
        if (firstCallback != null && firstCallback.equals(callback)) {
            firstCallback = null;
            removed++;
        }
        if (moreCallbacks != null) {
            int before = moreCallbacks.size();
            moreCallbacks.removeIf(registered -> registered.equals(callback));
            removed += before - moreCallbacks.size();
        }
        return removed;
    }

    /** Suspends the current task until this future is done; see {@link Asyncio#await(Future)}. */
    public final T await() {
        return Asyncio.await(this);
    }

    /**
     * A {@link CompletableFuture} completed with this future's outcome; cancelling it (from any
     * thread) cancels this future. The Java side of {@code asyncio.wrap_future}.
     */
    public final CompletableFuture<T> toCompletableFuture() {
        CompletableFuture<T> bridge = new CompletableFuture<>();
        addDoneCallback(done -> {
            if (done.cancelled()) {
                bridge.cancel(false);
            } else if (done.exception() != null) {
                bridge.completeExceptionally(done.exception());
            } else {
                bridge.complete(done.result());
            }
        });
        bridge.whenComplete((value, error) -> {
            if (bridge.isCancelled()) {
                try {
                    loop.callSoonThreadsafe(this::cancel);
                } catch (IllegalStateException closed) {
                    // The loop is gone: nothing left to cancel.
                }
            }
        });
        return bridge;
    }

    // --- the call graph (asyncio 3.14's _asyncio_awaited_by) ---

    /** Records that {@code waiter} awaits this future; see {@link Asyncio#futureAddToAwaitedBy}. */
    @SuppressWarnings("unchecked")
    final void addAwaitedBy(Future<?> waiter) {
        if (awaitedBy == null) {
            awaitedBy = waiter;
        } else if (awaitedBy instanceof Set<?> set) {
            ((Set<Future<?>>) set).add(waiter);
        } else if (awaitedBy != waiter) {
            Set<Future<?>> set = new LinkedHashSet<>(4);
            set.add((Future<?>) awaitedBy);
            set.add(waiter);
            awaitedBy = set;
        }
    }

    /** Forgets that {@code waiter} awaits this future; see {@link Asyncio#futureDiscardFromAwaitedBy}. */
    final void discardAwaitedBy(Future<?> waiter) {
        if (awaitedBy == waiter) {
            awaitedBy = null;
        } else if (awaitedBy instanceof Set<?> set) {
            set.remove(waiter);
        }
    }

    /**
     * The futures awaiting this one: first the tasks suspended on it (their step is one of its
     * callbacks), then those recorded by {@link #addAwaitedBy}, each once.
     */
    final List<Future<?>> awaitedBy() {
        Set<Future<?>> waiters = new LinkedHashSet<>();
        Task<?> first = Task.ownerOfStep(firstCallback);
        if (first != null) {
            waiters.add(first);
        }
        if (moreCallbacks != null) {
            for (Consumer<? super Future<T>> callback : moreCallbacks) {
                Task<?> owner = Task.ownerOfStep(callback);
                if (owner != null) {
                    waiters.add(owner);
                }
            }
        }
        if (awaitedBy instanceof Future<?> one) {
            waiters.add(one);
        } else if (awaitedBy instanceof Set<?> set) {
            for (Object waiter : set) {
                waiters.add((Future<?>) waiter);
            }
        }
        return new ArrayList<>(waiters);
    }

    // --- for subclasses (Task) ---

    /** Completes with {@code value}; raises {@link InvalidStateError} if already done. */
    protected final void complete(T value) {
        checkPending();
        result = value;
        state = State.FINISHED;
        scheduleCallbacks();
    }

    /** Completes with {@code error}; raises {@link InvalidStateError} if already done. */
    protected final void fail(Throwable error) {
        // The state first, as asyncio checks it before looking at the argument.
        checkPending();
        Objects.requireNonNull(error, "exception");
        exception = error;
        state = State.FINISHED;
        unretrieved = UnretrievedException.watch(this, loop, error, unretrievedMessage());
        scheduleCallbacks();
    }

    /**
     * Cancels if pending; {@code error} is the {@link CancelledError} that ended a task (or null):
     * the first {@link #result()} or {@link #exception()} raises that very error again.
     */
    protected final boolean cancelFuture(String message, CancelledError error) {
        if (state != State.PENDING) {
            return false;
        }
        state = State.CANCELLED;
        cancelMessage = message;
        cancelledError = error;
        scheduleCallbacks();
        return true;
    }

    /** The message of the error reported when an exception is never retrieved. */
    protected String unretrievedMessage() {
        return "Future exception was never retrieved";
    }

    /**
     * The {@link CancelledError} to raise: the first time, the one that ended a task, as it is;
     * after that (and for a plain future) a new one carrying the cancel message. Mirrors
     * {@code Future._make_cancelled_error()}, which hands the saved error out once so it is not kept alive.
     */
    protected final CancelledError makeCancelledError() {
        CancelledError saved = cancelledError;
        if (saved != null) {
            cancelledError = null;
            return saved;
        }
        return new CancelledError(cancelMessage);
    }

    /** The exception set on this future, or null, without marking it retrieved. */
    protected final Throwable peekException() {
        return exception;
    }

    /** The message given to {@code cancel(msg)}, or null. */
    protected final String cancelMessage() {
        return cancelMessage;
    }

    private void checkPending() {
        if (state != State.PENDING) {
            throw new InvalidStateError(state + ": " + this);
        }
    }

    private void markRetrieved() {
        if (unretrieved != null) {
            unretrieved.retrieved();
            unretrieved = null;
        }
    }

    private void scheduleCallbacks() {
        Consumer<? super Future<T>> first = firstCallback;
        List<Consumer<? super Future<T>>> more = moreCallbacks;
        firstCallback = null;
        moreCallbacks = null;
        if (first != null) {
            loop.callSoon(new DoneCallback<>(first, this));
        }
        if (more != null) {
            for (Consumer<? super Future<T>> callback : more) {
                loop.callSoon(new DoneCallback<>(callback, this));
            }
        }
    }

    /** Runs one done callback; it shows as that callback, so reports about its handle name it. */
    private static final class DoneCallback<T> implements Runnable {
        private final Consumer<? super Future<T>> callback;
        private final Future<T> future;

        DoneCallback(Consumer<? super Future<T>> callback, Future<T> future) {
            this.callback = callback;
            this.future = future;
        }

        @Override
        public void run() {
            callback.accept(future);
        }

        @Override
        public String toString() {
            return String.valueOf(callback);
        }
    }

    /** The state in asyncio's words: pending, cancelled or finished, with the outcome. */
    protected String describeState() {
        return switch (state) {
            case PENDING -> "pending";
            case CANCELLED -> "cancelled";
            case FINISHED -> exception != null ? "finished exception=" + exception : "finished result=" + result;
        };
    }

    @Override
    public String toString() {
        return RecursiveRepr.of(this, () -> "<Future " + describeState() + ">");
    }
}
