package asyncio.api;

import asyncio.api.internal.AtSignal;
import asyncio.api.internal.RunningLoop;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs coroutines on one loop it owns, and tears the loop down properly on {@link #close()}.
 * Mirrors {@code asyncio.Runner}; {@link Asyncio#run(Coroutine)} is a one-shot runner.
 */
public final class Runner implements AutoCloseable {
    private enum State { CREATED, INITIALIZED, CLOSED }

    /** How long {@link #close()} waits for the default executor's threads. Mirrors asyncio's 300 s. */
    private static final Duration EXECUTOR_JOIN_TIMEOUT = Duration.ofSeconds(300);
    /** Whether some runner of this JVM handles SIGINT now. */
    private static final AtomicBoolean SIGINT_TAKEN = new AtomicBoolean();

    private final Boolean debug;
    private final Supplier<EventLoop> loopFactory;
    private State state = State.CREATED;
    private EventLoop loop;
    private boolean setEventLoop;

    /** A runner whose loop comes from the policy. */
    public Runner() {
        this(null, null);
    }

    /**
     * A runner with debug mode forced on or off ({@code null}: the loop's default) and a loop
     * factory ({@code null}: the policy's new loop, also set as the thread's current loop).
     */
    public Runner(Boolean debug, Supplier<EventLoop> loopFactory) {
        this.debug = debug;
        this.loopFactory = loopFactory;
    }

    /** Runs {@code coro} as a task on the runner's loop and returns its result. Mirrors {@code Runner.run()}. */
    public <T> T run(Coroutine<T> coro) {
        if (RunningLoop.get() != null) {
            throw new IllegalStateException("Runner.run() cannot be called from a running event loop");
        }
        initialize();
        Task<T> task = loop.createTask(coro);
        Interrupts interrupts = new Interrupts(task);
        boolean handlingInterrupts = installInterruptHandler(interrupts);
        T result;
        try {
            result = loop.runUntilComplete(task);
        } catch (CancelledError cancelled) {
            throw interruptedOrCancelled(interrupts, task, cancelled);
        } finally {
            interrupts.runEnded();
            if (handlingInterrupts) {
                if (!loop.isClosed()) {
                    loop.removeSignalHandler("INT");
                }
                SIGINT_TAKEN.set(false);
            }
        }
        if (interrupts.cancelLeftUnapplied()) {
            // Acting at once, as in Python, the interrupt would have cancelled the task before it returned.
            throw interruptedOrCancelled(interrupts, task, new CancelledError());
        }
        return result;
    }

    /** As asyncio's runner: KeyboardInterrupt only if Ctrl-C was pressed and no other cancellation is left. */
    private static RuntimeException interruptedOrCancelled(Interrupts interrupts, Task<?> task, CancelledError cancelled) {
        if (interrupts.count() > 0) {
            // uncancel() takes back the interrupt's cancellation; one the task never received
            // (it finished first) was never counted by the task, so there is nothing to take back.
            int left = interrupts.cancelLeftUnapplied() ? task.cancelling() : task.uncancel();
            if (left == 0) {
                return new KeyboardInterrupt(cancelled);
            }
        }
        return cancelled;
    }

    /**
     * Ctrl-C during one {@link #run}: Python's {@code _on_sigint}. It acts at the signal (on the
     * JVM's signal thread): the first one counts and, if the main task still runs, asks for its
     * cancellation, which the loop applies at its next callback. If the task finishes in between,
     * the cancellation still counts as made, as it would have been in Python, where the handler
     * runs between two bytecodes of the main thread.
     */
    private final class Interrupts implements AtSignal {
        private final Task<?> mainTask;
        private final AtomicInteger count = new AtomicInteger();
        private volatile boolean running = true;
        private volatile boolean cancelRequested;
        private boolean cancelApplied;

        Interrupts(Task<?> mainTask) {
            this.mainTask = mainTask;
        }

        @Override
        public void atSignal() {
            if (count.incrementAndGet() == 1 && running) {
                cancelRequested = true;
            }
        }

        /** On the loop, right after: our handler goes (a second Ctrl-C gets the JVM's own), the cancellation is made. */
        @Override
        public void run() {
            if (!running) {
                // Queued too late for its run (which removed the handler itself): it must not
                // remove the handler of the runner's next run.
                return;
            }
            if (!loop.isClosed()) {
                loop.removeSignalHandler("INT");
            }
            if (cancelRequested && !cancelApplied && !mainTask.done()) {
                cancelApplied = true;
                mainTask.cancel();
            }
        }

        int count() {
            return count.get();
        }

        /** The interrupt asked for a cancellation the task finished too early to receive. */
        boolean cancelLeftUnapplied() {
            return cancelRequested && !cancelApplied;
        }

        void runEnded() {
            running = false;
        }
    }

    /**
     * As Python 3.11+ does, the first Ctrl-C cancels the main task; our handler is then removed,
     * so a second Ctrl-C gets the JVM's own (it exits). Returns whether the handler is installed.
     */
    private boolean installInterruptHandler(Interrupts interrupts) {
        // One SIGINT handler per JVM: a second runner on another thread leaves Ctrl-C to the first.
        if (!SIGINT_TAKEN.compareAndSet(false, true)) {
            return false;
        }
        try {
            loop.addSignalHandler("INT", interrupts);
            return true;
        } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException unavailable) {
            // The JVM reserves SIGINT here (-Xrs) or the loop cannot handle signals: leave Ctrl-C alone.
            SIGINT_TAKEN.set(false);
            return false;
        }
    }

    /** The runner's loop, created on first use. Mirrors {@code Runner.get_loop()}. */
    public EventLoop getLoop() {
        initialize();
        return loop;
    }

    /**
     * Cancels the tasks still pending, waits for them, shuts the default executor down and closes
     * the loop. Mirrors {@code Runner.close()}; idempotent.
     */
    @Override
    public void close() {
        if (state != State.INITIALIZED) {
            return;
        }
        try {
            cancelAllTasks();
            loop.runUntilComplete(loop.shutdownDefaultExecutor(EXECUTOR_JOIN_TIMEOUT));
        } finally {
            if (setEventLoop) {
                Asyncio.getEventLoopPolicy().setEventLoop(null);
            }
            loop.close();
            loop = null;
            state = State.CLOSED;
        }
    }

    private void initialize() {
        if (state == State.CLOSED) {
            throw new IllegalStateException("Runner is closed");
        }
        if (state == State.INITIALIZED) {
            return;
        }
        if (loopFactory == null) {
            loop = Asyncio.newEventLoop();
            Asyncio.getEventLoopPolicy().setEventLoop(loop);
            setEventLoop = true;
        } else {
            loop = loopFactory.get();
        }
        if (debug != null) {
            loop.setDebug(debug);
        }
        state = State.INITIALIZED;
    }

    private void cancelAllTasks() {
        List<Task<?>> pending = Asyncio.allTasks(loop);
        if (pending.isEmpty()) {
            return;
        }
        for (Task<?> task : pending) {
            task.cancel();
        }
        loop.runUntilComplete(Asyncio.gather(true, pending.toArray(Future<?>[]::new)));
        for (Task<?> task : pending) {
            if (!task.cancelled() && task.exception() != null) {
                Map<String, Object> context = new LinkedHashMap<>();
                context.put("message", "unhandled exception during asyncio.run() shutdown");
                context.put("exception", task.exception());
                context.put("task", task);
                loop.callExceptionHandler(context);
            }
        }
    }
}
