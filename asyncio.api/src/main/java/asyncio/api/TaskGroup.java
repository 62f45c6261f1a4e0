package asyncio.api;

import asyncio.api.internal.Throwables;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Structured concurrency: tasks created in the group's block all finish before the block's call
 * returns; the first failure cancels the others, and all failures are raised together as a
 * {@link TaskGroupException}. Mirrors {@code asyncio.TaskGroup}; {@code async with TaskGroup() as g:}
 * is {@code TaskGroup.run(g -> ...)}.
 */
public final class TaskGroup {
    /**
     * A block of a task group without a value, so that {@code g -> { g.createTask(...); }} needs no
     * {@code return null}. Mirrors the body of {@code async with TaskGroup() as g:}.
     */
    @FunctionalInterface
    public interface VoidBody {
        /** Runs the block, creating tasks in {@code group}. */
        void run(TaskGroup group) throws Exception;
    }

    /**
     * The block of a task group. It extends {@link VoidBody} so that a lambda fitting both (an
     * expression body) is taken as this one and keeps its value.
     */
    @FunctionalInterface
    public interface Body<T> extends VoidBody {
        /** Runs the block, creating tasks in {@code group}. */
        T call(TaskGroup group) throws Exception;

        /** Runs the block, dropping its value. */
        @Override
        default void run(TaskGroup group) throws Exception {
            call(group);
        }
    }

    private final EventLoop loop;
    private final Task<?> parent;
    private final Set<Task<?>> tasks = new LinkedHashSet<>();
    private final List<Throwable> errors = new ArrayList<>();
    /** The first KeyboardInterrupt or SystemExit of the block or a task: re-raised as it is. */
    private Throwable baseError;
    private boolean exiting;
    private boolean aborting;
    private boolean parentCancelRequested;
    private Future<Boolean> allDone;

    private TaskGroup(Task<?> parent) {
        this.parent = parent;
        this.loop = parent.getLoop();
    }

    /**
     * Runs {@code body} with a new group inside the current task, then waits for every task of the
     * group; returns the block's value or raises as asyncio's {@code TaskGroup.__aexit__} does.
     */
    public static <T> T run(Body<T> body) {
        Task<?> parent = Task.current();
        if (parent == null) {
            throw new IllegalStateException("TaskGroup cannot determine the parent task: run it inside a task");
        }
        TaskGroup group = new TaskGroup(parent);
        T value;
        try {
            value = body.call(group);
        } catch (Throwable error) {
            group.exit(error);
            throw Throwables.sneaky(error);
        }
        group.exit(null);
        return value;
    }

    /** {@link #run(Body)} for a block without a value. Mirrors {@code async with TaskGroup() as g:}. */
    public static void run(VoidBody body) {
        run((Body<Void>) group -> {
            body.run(group);
            return null;
        });
    }

    /** Creates a task in this group. Mirrors {@code TaskGroup.create_task()}. */
    public <R> Task<R> createTask(Coroutine<R> coro) {
        return createTask(coro, null);
    }

    /** Creates a named task in this group. */
    public <R> Task<R> createTask(Coroutine<R> coro, String name) {
        if (exiting && tasks.isEmpty()) {
            throw new IllegalStateException("TaskGroup " + this + " is finished");
        }
        if (aborting) {
            throw new IllegalStateException("TaskGroup " + this + " is shutting down");
        }
        Task<R> task = loop.createTask(coro, name);
        // Registered even when an eager task is already done, so its failure is seen at exit.
        tasks.add(task);
        // The call graph shows the group's task as awaiting each task of the group (asyncio 3.14).
        task.addAwaitedBy(parent);
        task.addDoneCallback(this::onTaskDone);
        return task;
    }

    private void exit(Throwable blockError) {
        exiting = true;
        if (baseError == null && Throwables.endsTheRun(blockError)) {
            baseError = blockError;
        }
        CancelledError propagateCancellation = blockError instanceof CancelledError c ? c : null;
        if (blockError != null && !aborting) {
            abort();
        }
        while (!tasks.isEmpty()) {
            if (allDone == null) {
                allDone = loop.createFuture();
            }
            try {
                Asyncio.await(allDone);
            } catch (CancelledError cancelled) {
                if (!aborting) {
                    // The parent is being cancelled while our tasks still run.
                    propagateCancellation = cancelled;
                    abort();
                }
            }
            allDone = null;
        }
        if (baseError != null) {
            reportErrorsLeftBehind();
            throw Throwables.sneaky(baseError);
        }
        if (parentCancelRequested && parent.uncancel() == 0) {
            // Our own cancellation of the parent is not the parent's business.
            propagateCancellation = null;
        }
        if (propagateCancellation != null && errors.isEmpty()) {
            throw propagateCancellation;
        }
        if (blockError != null && !(blockError instanceof CancelledError)) {
            errors.add(blockError);
        }
        if (!errors.isEmpty()) {
            if (parent.cancelling() > 0) {
                // Keep the count of outside cancellations stable.
                parent.uncancel();
                parent.cancel();
            }
            throw new TaskGroupException("unhandled errors in a TaskGroup", errors);
        }
    }

    /** The other failures cannot travel with a KeyboardInterrupt or SystemExit: report them, as asyncio does. */
    private void reportErrorsLeftBehind() {
        for (Throwable error : errors) {
            if (error == baseError) {
                continue;
            }
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("message", "TaskGroup task exception was not propagated because the TaskGroup body"
                    + " is being closed with a BaseException");
            context.put("exception", error);
            context.put("task_group", this);
            loop.callExceptionHandler(context);
        }
    }

    private void abort() {
        aborting = true;
        for (Task<?> task : tasks) {
            if (!task.done()) {
                task.cancel();
            }
        }
    }

    private void onTaskDone(Future<?> task) {
        tasks.remove(task);
        task.discardAwaitedBy(parent);
        if (allDone != null && tasks.isEmpty() && !allDone.done()) {
            allDone.setResult(true);
        }
        if (task.cancelled()) {
            return;
        }
        Throwable error = task.exception();
        if (error == null) {
            return;
        }
        errors.add(error);
        if (baseError == null && Throwables.endsTheRun(error)) {
            baseError = error;
        }
        if (!aborting && !parentCancelRequested) {
            // Interrupt whatever the block is awaiting; exit() withdraws this cancellation.
            abort();
            parentCancelRequested = true;
            parent.cancel();
        }
    }

    @Override
    public String toString() {
        return "<TaskGroup tasks=" + tasks.size() + (errors.isEmpty() ? "" : " errors=" + errors.size())
                + (aborting ? " cancelling" : exiting ? " exiting" : " entered") + ">";
    }
}
