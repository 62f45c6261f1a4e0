package asyncio.api.internal;

import asyncio.api.Task;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Closes what a library coroutine made (a connection, a stream pair) when the one task awaiting
 * it is cancelled after the result was ready but before it resumed to take it. In asyncio such
 * coroutines ({@code create_connection}, {@code open_connection}) run inside the caller's task
 * and close their transport on the way out of a cancelled await; here they run as their own
 * {@link Task}, so the hand-over between the two tasks is one more await where a cancellation can
 * land and the result would be dropped open. Only for tasks whose result has no other taker.
 */
public final class Unclaimed {
    private static volatile BiConsumer<Task<?>, Consumer<?>> access;

    private Unclaimed() {
    }

    /** Set once by {@link Task}'s class initialization: how to reach its package-private hook. */
    public static void access(BiConsumer<Task<?>, Consumer<?>> setter) {
        access = setter;
    }

    /** Makes {@code task} call {@code close} on its result if a cancellation replaces it; returns the task. */
    public static <T> Task<T> closeIfDropped(Task<T> task, Consumer<? super T> close) {
        // The task exists, so Task's class initialization (which sets access) has run.
        access.accept(task, close);
        return task;
    }
}
