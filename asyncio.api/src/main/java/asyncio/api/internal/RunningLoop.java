package asyncio.api.internal;

import asyncio.api.EventLoop;

/**
 * The loop running on the current thread, and the task running on it. Loops set the first while
 * they run; carriers set both on the thread that executes a task's code (the loop thread itself
 * for continuations, the task's own virtual thread otherwise).
 */
public final class RunningLoop {
    private static final ThreadLocal<EventLoop> LOOP = new ThreadLocal<>();
    private static final ThreadLocal<Object> TASK = new ThreadLocal<>();

    private RunningLoop() {
    }

    /** The running loop of this thread, or null. */
    public static EventLoop get() {
        return LOOP.get();
    }

    /** Sets (or, with null, clears) the running loop of this thread. */
    public static void set(EventLoop loop) {
        if (loop == null) {
            LOOP.remove();
        } else {
            LOOP.set(loop);
        }
    }

    /** The task whose code is running on this thread, or null. */
    public static Object currentTask() {
        return TASK.get();
    }

    /** Makes {@code task} current on this thread and returns the one it replaces. */
    public static Object swapCurrentTask(Object task) {
        Object previous = TASK.get();
        TASK.set(task);
        return previous;
    }
}
