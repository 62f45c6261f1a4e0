package asyncio.api.internal;

import asyncio.api.EventLoop;

/**
 * The loop running on the current thread, and the task running on it. Loops set the first while
 * they run; carriers set both on the thread that executes a task's code (the loop thread itself
 * for continuations, the task's own virtual thread otherwise).
 */
public final class RunningLoop {
    // One ThreadLocal holding both, mutable: a task step swaps the current task in and out, and
    // with the loop and the task in separate ThreadLocals that was four lookups per step.
    private static final ThreadLocal<Current> CURRENT = new ThreadLocal<>();

    private RunningLoop() {
    }

    /** What runs on one thread: its loop and its task. Only that thread touches it. */
    public static final class Current {
        private EventLoop loop;
        private Object task;

        private Current() {
        }

        /** Makes {@code task} current on this thread and returns the one it replaces. */
        public Object swapTask(Object task) {
            Object previous = this.task;
            this.task = task;
            return previous;
        }
    }

    /** This thread's loop and task, created on first use. */
    public static Current current() {
        Current current = CURRENT.get();
        if (current == null) {
            current = new Current();
            CURRENT.set(current);
        }
        return current;
    }

    /** The running loop of this thread, or null. */
    public static EventLoop get() {
        Current current = CURRENT.get();
        return current == null ? null : current.loop;
    }

    /** Sets (or, with null, clears) the running loop of this thread. */
    public static void set(EventLoop loop) {
        Current current = CURRENT.get();
        if (current == null) {
            if (loop == null) {
                return;
            }
            current = current();
        }
        current.loop = loop;
        if (loop == null && current.task == null) {
            // As before, a thread whose loop stopped keeps no entry behind.
            CURRENT.remove();
        }
    }

    /** The task whose code is running on this thread, or null. */
    public static Object currentTask() {
        Current current = CURRENT.get();
        return current == null ? null : current.task;
    }

    /** Makes {@code task} current on this thread and returns the one it replaces. */
    public static Object swapCurrentTask(Object task) {
        return current().swapTask(task);
    }
}
