package asyncio.api.internal;

import asyncio.api.Task;

/**
 * Told when a task is created, asked to cancel and done: how a loop module records tasks (JFR)
 * without this module depending on any recorder. At most one is installed, and only while
 * someone records; otherwise a task pays one read of {@link #installed} per event.
 */
public interface TaskObserver {
    /** A new task, on the thread creating it (the loop's). */
    void created(Task<?> task);

    /** {@code task.cancel(message)} was called while the task was pending. */
    void cancelRequested(Task<?> task, String message);

    /**
     * The task is done: {@code error} is null for a result, a {@link asyncio.api.CancelledError}
     * for a cancellation, else the exception it failed with.
     */
    void done(Task<?> task, Throwable error);

    /** The observer of every task, or null (nearly always). */
    static TaskObserver installed() {
        return Installed.observer;
    }

    /** Installs {@code observer} (null: none) for every task from now on. */
    static void install(TaskObserver observer) {
        Installed.observer = observer;
    }

    /** Holds the one observer: an interface cannot have a mutable static field. */
    final class Installed {
        static volatile TaskObserver observer;

        private Installed() {
        }
    }
}
