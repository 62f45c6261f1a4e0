package asyncio.api;

import asyncio.api.internal.RunningLoop;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
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
    private int interrupts;

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
        boolean handlingInterrupts = installInterruptHandler(task);
        interrupts = 0;
        try {
            return loop.runUntilComplete(task);
        } catch (CancelledError cancelled) {
            if (interrupts > 0 && task.uncancel() == 0) {
                throw new KeyboardInterrupt(cancelled);
            }
            throw cancelled;
        } finally {
            if (handlingInterrupts) {
                if (!loop.isClosed()) {
                    loop.removeSignalHandler("INT");
                }
                SIGINT_TAKEN.set(false);
            }
        }
    }

    /**
     * As Python 3.11+ does, the first Ctrl-C cancels the main task; our handler is then removed,
     * so a second Ctrl-C gets the JVM's own (it exits). Returns whether the handler is installed.
     */
    private boolean installInterruptHandler(Task<?> mainTask) {
        // One SIGINT handler per JVM: a second runner on another thread leaves Ctrl-C to the first.
        if (!SIGINT_TAKEN.compareAndSet(false, true)) {
            return false;
        }
        try {
            loop.addSignalHandler("INT", () -> {
                interrupts++;
                loop.removeSignalHandler("INT");
                if (!mainTask.done()) {
                    mainTask.cancel();
                }
            });
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
