package asyncio.api;

import asyncio.api.internal.Carriers;
import asyncio.api.internal.RecursiveRepr;
import asyncio.api.internal.RunningLoop;
import asyncio.api.internal.StepScheduler;
import asyncio.api.internal.Strand;
import asyncio.api.internal.TaskObserver;
import asyncio.api.internal.TaskRegistry;
import asyncio.api.internal.Throwables;
import asyncio.api.internal.Unclaimed;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A coroutine running on a loop, as a future of its result. Mirrors {@code asyncio.Task}: it runs
 * step by step on the loop thread, suspends at each {@link Asyncio#await(Future)} of a pending
 * future, and {@link #cancel(String)} throws {@link CancelledError} into it at its current await.
 *
 * @param <T> the type of the coroutine's result
 */
public class Task<T> extends Future<T> {
    /** Starts tasks synchronously until their first suspension. Mirrors {@code asyncio.eager_task_factory}. */
    public static final TaskFactory EAGER_TASK_FACTORY = new TaskFactory() {
        @Override
        public <R> Task<R> createTask(EventLoop loop, Coroutine<R> coro, String name) {
            return new Task<>(coro, loop, name, true);
        }
    };

    private static final AtomicLong COUNTER = new AtomicLong();

    static {
        Unclaimed.access((task, close) -> task.setDropAction(close));
    }

    private Coroutine<T> coro;
    private final Set<Task<?>> registry;
    /** What an observer is told for a task whose cancellation won as its coroutine returned. */
    private static final CancelledError CANCELLED_AT_RETURN = new CancelledError(null);
    /** The task's step, both as a scheduled callback and as the done callback of what it awaits. */
    private final Step stepCallback = new Step();
    /** Queued for every step on a loop that allows it; null until the first. */
    private Handle stepHandle;
    private String name;
    private Strand strand;
    private Future<?> waiter;
    private Future<?> awaiting;
    private boolean mustCancel;
    private String pendingCancelMessage;
    private int cancelRequests;
    private T outcome;
    private Throwable failure;
    /** Closes a result a cancellation replaced (see {@link Unclaimed}); null for almost every task. */
    private Consumer<? super T> dropAction;

    /** Schedules {@code coro} on {@code loop}. Mirrors {@code asyncio.Task(coro, loop=loop, name=name)}. */
    public Task(Coroutine<T> coro, EventLoop loop, String name) {
        this(coro, loop, name, false);
    }

    /**
     * Creates a task; with {@code eagerStart} and a running loop its first step runs now, before
     * this constructor returns. Mirrors {@code asyncio.Task(..., eager_start=True)}.
     */
    // Scheduling from the constructor is asyncio's contract: a task runs without being awaited.
    @SuppressWarnings("this-escape")
    public Task(Coroutine<T> coro, EventLoop loop, String name, boolean eagerStart) {
        super(loop);
        this.coro = Objects.requireNonNull(coro, "coro");
        if (loop.isClosed()) {
            throw new IllegalStateException("Event loop is closed");
        }
        this.name = name != null ? name : "Task-" + COUNTER.incrementAndGet();
        this.registry = TaskRegistry.of(loop);
        TaskObserver observer = TaskObserver.installed();
        if (observer != null) {
            observer.created(this);
        }
        if (eagerStart && loop.isRunning()) {
            registry.add(this);
            step();
            if (done()) {
                // As asyncio does, a task that finished eagerly lets its coroutine go.
                this.coro = null;
            }
        } else {
            scheduleStep();
            registry.add(this);
        }
    }

    /** The task's name. Mirrors {@code Task.get_name()}. */
    public final String getName() {
        return name;
    }

    /** Renames the task. Mirrors {@code Task.set_name()}. */
    public final void setName(String name) {
        this.name = String.valueOf(name);
    }

    /** The coroutine this task runs; null for a task that completed eagerly. Mirrors {@code Task.get_coro()}. */
    public final Coroutine<T> getCoro() {
        return coro;
    }

    /**
     * Requests cancellation: {@link CancelledError} is thrown into the coroutine at its current
     * await (or at its start). Returns false if the task is already done. Mirrors {@code Task.cancel(msg)}.
     */
    @Override
    public boolean cancel(String message) {
        if (done()) {
            // Whoever cancels a done task has dealt with its outcome: Future.cancel marks it seen.
            return super.cancel(message);
        }
        cancelRequests++;
        TaskObserver observer = TaskObserver.installed();
        if (observer != null) {
            observer.cancelRequested(this, message);
        }
        // The waiter's cancellation reaches the coroutine through the waiter's result; keep the
        // waiter, since a task that ignores cancellation may need cancelling again.
        if (waiter != null && waiter.cancel(message)) {
            return true;
        }
        mustCancel = true;
        pendingCancelMessage = message;
        return true;
    }

    /** How many cancellation requests are pending. Mirrors {@code Task.cancelling()}. */
    public final int cancelling() {
        return cancelRequests;
    }

    /**
     * Withdraws one cancellation request and returns how many remain; at zero a cancellation not yet
     * delivered is dropped. Mirrors {@code Task.uncancel()} (3.13 semantics).
     */
    public final int uncancel() {
        if (cancelRequests > 0) {
            cancelRequests--;
            if (cancelRequests == 0) {
                mustCancel = false;
            }
        }
        return cancelRequests;
    }

    /** Tasks complete only through their coroutine. Mirrors the {@code RuntimeError} of {@code Task.set_result()}. */
    @Override
    public final void setResult(T value) {
        throw new IllegalStateException("Task does not support set_result operation");
    }

    /** Tasks complete only through their coroutine. */
    @Override
    public final void setException(Throwable error) {
        throw new IllegalStateException("Task does not support set_exception operation");
    }

    /**
     * The frames of the suspended (or running) coroutine, without the carrier's own; for a task
     * that ended with an exception, that exception's frames. Ordered as asyncio orders them, oldest
     * first: the task's own coroutine first, the innermost call last. With {@code limit > 0}, at
     * most that many, from the task's coroutine inwards (asyncio's stack starts at the task's
     * coroutine frame, its traceback at the oldest frame). Mirrors {@code Task.get_stack()}.
     */
    public final List<StackTraceElement> getStack(int limit) {
        List<StackTraceElement> frames;
        if (done()) {
            Throwable error = cancelled() ? null : peekException();
            frames = error == null ? List.of() : coroutineFrames(error.getStackTrace(), false);
        } else if (RunningLoop.currentTask() == this) {
            frames = coroutineFrames(Thread.currentThread().getStackTrace(), true);
        } else if (strand != null) {
            frames = coroutineFrames(strand.stackTrace(), true);
        } else {
            frames = List.of();
        }
        return limit <= 0 || frames.size() <= limit ? frames : frames.subList(0, limit);
    }

    /**
     * Prints the task and its stack (or the exception that ended it) to {@code out}.
     * Mirrors {@code Task.print_stack()}.
     */
    public final void printStack(PrintStream out) {
        printStack(0, out);
    }

    /**
     * Prints the task and at most {@code limit} frames of its stack ({@code limit <= 0}: all),
     * oldest first, as {@link #getStack(int)} returns them. Mirrors {@code Task.print_stack(limit=, file=)}.
     */
    public final void printStack(int limit, PrintStream out) {
        List<StackTraceElement> frames = getStack(limit);
        Throwable error = done() && !cancelled() ? peekException() : null;
        if (frames.isEmpty()) {
            out.println("No stack for " + this);
        } else if (error != null) {
            out.println("Traceback for " + this + " (most recent call last):");
        } else {
            out.println("Stack for " + this + " (most recent call last):");
        }
        for (StackTraceElement frame : frames) {
            out.println("\tat " + frame);
        }
        if (error != null) {
            out.println(error);
        }
    }

    /** The frames from the coroutine's entry to its innermost call, outermost first, without carrier frames. */
    private static List<StackTraceElement> coroutineFrames(StackTraceElement[] trace, boolean suspendedOrRunning) {
        int start = 0;
        if (suspendedOrRunning) {
            while (start < trace.length && isMachinery(trace[start])) {
                start++;
            }
        }
        int end = start;
        while (end < trace.length && !isCoroutineEntry(trace[end])) {
            end++;
        }
        List<StackTraceElement> frames = Arrays.asList(Arrays.copyOfRange(trace, start, end));
        // A Java trace lists the innermost frame first; asyncio lists the oldest first.
        Collections.reverse(frames);
        return Collections.unmodifiableList(frames);
    }

    private static boolean isMachinery(StackTraceElement frame) {
        String type = frame.getClassName();
        return type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("asyncio.api.internal.")
                || type.equals(Task.class.getName());
    }

    private static boolean isCoroutineEntry(StackTraceElement frame) {
        return frame.getClassName().equals(Task.class.getName()) && frame.getMethodName().equals("runCoroutine");
    }

    @Override
    protected String unretrievedMessage() {
        return "Task exception was never retrieved";
    }

    @Override
    public String toString() {
        return RecursiveRepr.of(this, () -> {
            String waiting = waiter != null && !done() ? " wait_for=" + waiter : "";
            return "<Task " + describeState() + " name='" + name + "' coro=" + coro + waiting + ">";
        });
    }

    /** A pending task with cancellation requests shows as cancelling, as asyncio's repr does. */
    @Override
    protected String describeState() {
        return cancelRequests > 0 && !done() ? "cancelling" : super.describeState();
    }

    // --- the machinery ---

    /**
     * Runs the task's next step, scheduled directly or as the done callback of what it awaits. It
     * shows as the task itself, so that a report about its handle (a slow callback in debug mode)
     * names the task, as asyncio's does.
     */
    private final class Step implements Runnable, Consumer<Future<?>> {
        @Override
        public void run() {
            step();
        }

        @Override
        public void accept(Future<?> awaited) {
            step();
        }

        Task<T> owner() {
            return Task.this;
        }

        @Override
        public String toString() {
            return Task.this.toString();
        }
    }

    /** The task whose step {@code callback} is, or null: how a future knows which tasks await it. */
    static Task<?> ownerOfStep(Object callback) {
        return callback instanceof Task<?>.Step step ? step.owner() : null;
    }

    /** The task whose code runs on this thread, or null. */
    static Task<?> current() {
        return RunningLoop.currentTask() instanceof Task<?> task ? task : null;
    }

    /** Suspends the current task until {@code future} is done, then throws a pending cancellation. */
    static void suspendUntil(Future<?> future, String operation) {
        Task<?> task = current();
        if (task == null) {
            throw new IllegalStateException(operation + " outside a task: only a coroutine running in a Task can"
                    + " suspend (start one with Asyncio.run, loop.runUntilComplete or loop.createTask)");
        }
        task.suspend(future);
    }

    private void suspend(Future<?> future) {
        if (future == this) {
            throw new IllegalStateException("Task cannot await on itself: " + this);
        }
        if (future != null && future.getLoop() != getLoop()) {
            throw new IllegalStateException("Task " + this + " got Future " + future + " attached to a different loop");
        }
        awaiting = future;
        try {
            strand.suspend();
        } catch (RuntimeException | Error notSuspended) {
            awaiting = null;
            throw notSuspended;
        }
        if (mustCancel) {
            mustCancel = false;
            if (future != null && future.done() && !future.cancelled()) {
                // The outcome is replaced by the cancellation, but it counts as seen, as in asyncio.
                if (future.exception() == null && future instanceof Task<?> made) {
                    made.resultDropped();
                }
            }
            throw new CancelledError(pendingCancelMessage);
        }
    }

    private void step() {
        if (done()) {
            return;
        }
        waiter = null;
        if (strand == null) {
            if (mustCancel) {
                // Cancelled before it ever ran: the coroutine's body never starts.
                mustCancel = false;
                finish(null, new CancelledError(pendingCancelMessage));
                return;
            }
            try {
                strand = Carriers.carrier().newStrand(name, this::runCoroutine);
            } catch (IllegalStateException noCarrier) {
                // No way to run coroutines in this JVM: the task fails, loudly, instead of hanging.
                finish(null, noCarrier);
                return;
            }
        }
        RunningLoop.Current here = RunningLoop.current();
        Object previous = here.swapTask(this);
        try {
            strand.resume();
        } finally {
            here.swapTask(previous);
        }
        if (strand.isDone()) {
            finish(outcome, failure);
        } else {
            waitFor(awaiting);
        }
    }

    @SuppressWarnings("unchecked")
    private void setDropAction(Consumer<?> close) {
        dropAction = (Consumer<? super T>) close;
    }

    /** The one task awaiting this one was cancelled instead of taking its result. */
    private void resultDropped() {
        if (dropAction != null) {
            drop(result());
        }
    }

    private void drop(T value) {
        Consumer<? super T> close = dropAction;
        dropAction = null;
        if (close != null && value != null) {
            close.accept(value);
        }
    }

    private void runCoroutine() {
        try {
            outcome = coro.call();
        } catch (Throwable error) {
            failure = error;
        }
    }

    private void waitFor(Future<?> future) {
        awaiting = null;
        if (future == null) {
            // A bare yield (sleep(0)): run again at the next iteration.
            scheduleStep();
            return;
        }
        future.addDoneCallback(stepCallback);
        waiter = future;
        if (mustCancel && future.cancel(pendingCancelMessage)) {
            mustCancel = false;
        }
    }

    /** Runs the next step at the loop's next iteration, as {@code callSoon(this::step)} would. */
    private void scheduleStep() {
        EventLoop loop = getLoop();
        if (loop instanceof StepScheduler scheduler) {
            // Nobody else sees this handle, so nobody can cancel it: it can go round again.
            if (stepHandle == null) {
                stepHandle = new Handle(stepCallback, loop, null);
            }
            if (scheduler.callSoonReusing(stepHandle)) {
                return;
            }
        }
        loop.callSoon(stepCallback);
    }

    private void finish(T value, Throwable error) {
        registry.remove(this);
        strand = null;
        outcome = null;
        failure = null;
        if (error instanceof CancelledError cancelled) {
            cancelFuture(cancelled.getMessage(), cancelled);
        } else if (error != null) {
            fail(error);
            if (Throwables.endsTheRun(error)) {
                observeDone(error);
                // Stored, and also raised out of the loop's run, as asyncio's Task.__step does.
                throw Throwables.sneaky(error);
            }
        } else if (mustCancel) {
            // Cancelled right before the coroutine returned: the cancellation wins, as in asyncio.
            mustCancel = false;
            cancelFuture(pendingCancelMessage, null);
            drop(value);
            error = CANCELLED_AT_RETURN;
        } else {
            complete(value);
        }
        observeDone(error);
    }

    /** Tells the installed observer, if any; {@code error} is the task's outcome, not read back through {@code exception()}, which would mark it retrieved. */
    private void observeDone(Throwable error) {
        TaskObserver observer = TaskObserver.installed();
        if (observer != null) {
            observer.done(this, error);
        }
    }
}
