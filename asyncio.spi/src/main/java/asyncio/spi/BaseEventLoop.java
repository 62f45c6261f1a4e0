package asyncio.spi;

import asyncio.api.Asyncio;
import asyncio.api.Coroutine;
import asyncio.api.EventLoop;
import asyncio.api.ExceptionHandler;
import asyncio.api.Future;
import asyncio.api.Handle;
import asyncio.api.KeyboardInterrupt;
import asyncio.api.SystemExit;
import asyncio.api.Task;
import asyncio.api.TaskFactory;
import asyncio.api.TimerHandle;
import asyncio.api.internal.RunningLoop;
import asyncio.api.internal.StepScheduler;
import asyncio.api.internal.TaskRegistry;
import asyncio.api.internal.Throwables;
import asyncio.api.internal.TransportReleases;
import asyncio.api.transports.NameInfo;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a loop does that does not depend on how it waits for I/O: the ready queue, the timer
 * heap, thread-safe scheduling, the executor, error reporting and debug checks. Mirrors
 * {@code asyncio.base_events.BaseEventLoop}; a loop module adds only {@link #poll} and {@link #wakeup}.
 */
// StepScheduler and TransportReleases are internal (exported to this module only): tasks and a
// group's acceptor find them with instanceof, and loop modules never need to name them.
@SuppressWarnings("exports")
public abstract class BaseEventLoop implements EventLoop, StepScheduler, TransportReleases {
    /** The file-type bits of a Unix mode, and the value that means a socket (removeStaleSocketFile). */
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    /** Below this many timers the heap is never compacted. Mirrors {@code _MIN_SCHEDULED_TIMER_HANDLES}. */
    private static final int MIN_TIMERS_TO_COMPACT = 100;

    /** The longest single wait for I/O, whatever the timers say. Mirrors {@code MAXIMUM_SELECT_TIMEOUT}. */
    private static final double MAX_POLL_SECONDS = 24 * 3600;

    private static final VarHandle THREAD;

    static {
        try {
            THREAD = MethodHandles.lookup().findVarHandle(BaseEventLoop.class, "thread", Thread.class);
        } catch (ReflectiveOperationException impossible) {
            throw new ExceptionInInitializerError(impossible);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger("asyncio");

    private final ArrayDeque<Handle> ready = new ArrayDeque<>();
    private final TimerHeap<LoopTimer> timers = new TimerHeap<>();
    private final ConcurrentLinkedQueue<Handle> fromOtherThreads = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupRequested = new AtomicBoolean();
    private final DefaultExecutor executor = new DefaultExecutor();
    private volatile Thread thread;
    private volatile boolean stopping;
    private volatile boolean closed;
    /** Whether the running thread was interrupted during this run; the flag itself is cleared. */
    private boolean interruptedWhileRunning;
    private int cancelledTimers;
    private long timerSequence;
    private boolean debug = DebugMode.enabledByEnvironment();
    private double slowCallbackDuration = 0.1;
    private ExceptionHandler exceptionHandler;
    private TaskFactory taskFactory;

    /** A loop that is neither running nor closed. */
    // The MXBean only keeps the loop; it reads it once the loop runs.
    @SuppressWarnings("this-escape")
    protected BaseEventLoop() {
        EventLoopMonitor.registerIfEnabled(this);
        JfrSwitch.listen();
        LoopLagSampler.loopCreated(this);
    }

    // --- what a loop module provides ---

    /**
     * Waits for I/O for at most {@code timeoutNanos} (0: do not block; negative: no limit) and
     * records what is ready, without running any callback yet. Returns early when {@link #wakeup}
     * is called.
     */
    protected abstract void poll(long timeoutNanos);

    /**
     * Runs the I/O callbacks {@link #poll} recorded. Called after the callbacks that were already
     * ready and before the timers that came due, which is asyncio's order within one iteration.
     */
    protected void processEvents() {
    }

    /** Makes a blocked or the next {@link #poll} return at once; called from any thread. */
    protected abstract void wakeup();

    /** Releases the loop's own resources (selector, epoll fd); called once by {@link #close()}. */
    protected void closeResources() {
    }

    // --- running and stopping ---

    @Override
    public void runForever() {
        checkClosed();
        checkNotRunning();
        if (!THREAD.compareAndSet(this, null, Thread.currentThread())) {
            throw new IllegalStateException("This event loop is already running");
        }
        RunningLoop.set(this);
        try {
            while (true) {
                runOnce();
                if (stopping) {
                    break;
                }
            }
        } finally {
            stopping = false;
            thread = null;
            RunningLoop.set(null);
            if (interruptedWhileRunning) {
                // Handed back to the code that ran the loop, which may be waiting to be told.
                interruptedWhileRunning = false;
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public <T> T runUntilComplete(Future<T> future) {
        checkClosed();
        checkNotRunning();
        if (future.getLoop() != this) {
            throw new IllegalArgumentException("The future belongs to a different loop than the one running it");
        }
        Consumer<Future<T>> stopWhenDone = done -> {
            if (!done.cancelled() && Throwables.endsTheRun(done.exception())) {
                // That exception already ended runForever: a stop now would end the next run.
                return;
            }
            stop();
        };
        future.addDoneCallback(stopWhenDone);
        try {
            runForever();
        } finally {
            future.removeDoneCallback(stopWhenDone);
        }
        if (!future.done()) {
            throw new IllegalStateException("Event loop stopped before Future completed.");
        }
        return future.result();
    }

    @Override
    public <T> T runUntilComplete(Coroutine<T> coro) {
        // Refuse before wrapping: a task made here would run on the loop that is already running.
        checkClosed();
        checkNotRunning();
        Task<T> task = createTask(coro);
        try {
            return runUntilComplete(task);
        } catch (Throwable error) {
            if (task.done() && !task.cancelled()) {
                // A KeyboardInterrupt or SystemExit left the task: the caller never sees the task,
                // so its exception counts as retrieved, as in asyncio.
                task.exception();
            }
            throw error;
        }
    }

    @Override
    public void stop() {
        stopping = true;
        if (!onLoopThread()) {
            requestWakeup();
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (isRunning()) {
            throw new IllegalStateException("Cannot close a running event loop");
        }
        if (closed) {
            return;
        }
        if (debug) {
            LOG.debug("Close {}", this);
        }
        closed = true;
        EventLoopMonitor.unregister(this);
        LoopLagSampler.loopClosed(this);
        ready.clear();
        timers.clear();
        fromOtherThreads.clear();
        // What other threads made for this loop and posted, dropped above unrun: nobody would
        // ever take it. A thread posting after this point finds the loop closed and discards itself.
        for (Runnable discard : List.copyOf(discardAtClose)) {
            discardAtClose.remove(discard);
            discard.run();
        }
        executor.shutdownNoWait();
        try {
            closeResources();
        } finally {
            TaskRegistry.loopClosed(this);
        }
    }

    @Override
    public Future<Void> shutdownDefaultExecutor(Duration timeout) {
        Future<Void> done = createFuture();
        executor.shutdown(timeout, () -> {
            try {
                callSoonThreadsafe(() -> {
                    if (!done.done()) {
                        done.setResult(null);
                    }
                });
            } catch (IllegalStateException loopClosed) {
                // Nobody is waiting any more.
            }
        });
        return done;
    }

    // --- scheduling ---

    @Override
    public Handle callSoon(Runnable callback) {
        checkClosed();
        if (debug) {
            checkThread("callSoon");
        }
        Handle handle = new Handle(Objects.requireNonNull(callback, "callback"), this, sourceTraceback());
        takeFromOtherThreadsFirst();
        ready.add(handle);
        return handle;
    }

    /**
     * For tasks: queues a handle they reuse for each step, except in debug mode (see
     * {@link StepScheduler}). Task steps bypass an overridden {@link #callSoon}.
     */
    @Override
    public final boolean callSoonReusing(Handle step) {
        checkClosed();
        if (debug) {
            return false;
        }
        takeFromOtherThreadsFirst();
        ready.add(step);
        return true;
    }

    @Override
    public Handle callSoonThreadsafe(Runnable callback) {
        checkClosed();
        Handle handle = new Handle(Objects.requireNonNull(callback, "callback"), this, sourceTraceback());
        if (onLoopThread()) {
            takeFromOtherThreadsFirst();
            ready.add(handle);
        } else {
            fromOtherThreads.add(handle);
            requestWakeup();
        }
        return handle;
    }

    @Override
    public TimerHandle callLater(double delay, Runnable callback) {
        if (Double.isNaN(delay)) {
            throw new IllegalArgumentException("delay must be a number, got NaN");
        }
        return callAt(time() + delay, callback);
    }

    @Override
    public TimerHandle callAt(double when, Runnable callback) {
        if (Double.isNaN(when)) {
            throw new IllegalArgumentException("when must be a number, got NaN");
        }
        checkClosed();
        if (debug) {
            checkThread("callAt");
        }
        long sequence = timerSequence++;
        LoopTimer timer = new LoopTimer(when, sequence, Objects.requireNonNull(callback, "callback"),
                sourceTraceback());
        timers.add(when, sequence, timer);
        return timer;
    }

    @Override
    public double time() {
        return System.nanoTime() * 1e-9;
    }

    // --- futures and tasks ---

    @Override
    public <T> Future<T> createFuture() {
        return new Future<>(this);
    }

    @Override
    public <T> Task<T> createTask(Coroutine<T> coro, String name) {
        checkClosed();
        if (debug) {
            checkThread("createTask");
        }
        TaskFactory factory = taskFactory;
        return factory == null ? new Task<>(coro, this, name) : factory.createTask(this, coro, name);
    }

    @Override
    public void setTaskFactory(TaskFactory factory) {
        taskFactory = factory;
    }

    @Override
    public TaskFactory getTaskFactory() {
        return taskFactory;
    }

    // --- executor ---

    @Override
    public <T> Future<T> runInExecutor(Executor target, Callable<T> function) {
        checkClosed();
        if (debug) {
            checkThread("runInExecutor");
        }
        Objects.requireNonNull(function, "function");
        Executor chosen = target != null ? target : executor.get();
        CompletableFuture<T> outcome = new CompletableFuture<>();
        chosen.execute(() -> {
            if (outcome.isDone()) {
                return;
            }
            try {
                outcome.complete(function.call());
            } catch (Throwable error) {
                outcome.completeExceptionally(error);
            }
        });
        return Asyncio.wrapFuture(outcome, this);
    }

    // --- name resolution: on the default executor, the same for every loop family ---

    @Override
    public Future<List<InetSocketAddress>> getaddrinfo(String host, int port, ProtocolFamily family) {
        checkClosed();
        return Resolver.resolve(this, host, port, family);
    }

    @Override
    public Future<NameInfo> getnameinfo(InetSocketAddress address) {
        checkClosed();
        return Resolver.nameOf(this, Objects.requireNonNull(address, "address"));
    }

    @Override
    public void setDefaultExecutor(ExecutorService replacement) {
        executor.replace(replacement);
    }

    // --- errors and debug ---

    @Override
    public void setExceptionHandler(ExceptionHandler handler) {
        exceptionHandler = handler;
    }

    @Override
    public ExceptionHandler getExceptionHandler() {
        return exceptionHandler;
    }

    @Override
    public void defaultExceptionHandler(Map<String, Object> context) {
        ErrorReport.log(LOG, context);
    }

    @Override
    public void callExceptionHandler(Map<String, Object> context) {
        ExceptionHandler handler = exceptionHandler;
        if (handler == null) {
            try {
                defaultExceptionHandler(context);
            } catch (RuntimeException | LinkageError broken) {
                LOG.error("Exception in default exception handler", broken);
            }
            return;
        }
        try {
            handler.handle(this, context);
        } catch (VirtualMachineError | KeyboardInterrupt | SystemExit fatal) {
            throw fatal;
        } catch (Throwable handlerFailed) {
            try {
                defaultExceptionHandler(Map.of("message", "Unhandled error in exception handler",
                        "exception", handlerFailed, "context", context));
            } catch (RuntimeException | LinkageError broken) {
                LOG.error("Exception in default exception handler while handling an unexpected error"
                        + " in custom exception handler", broken);
            }
        }
    }

    @Override
    public boolean getDebug() {
        return debug;
    }

    @Override
    public void setDebug(boolean enabled) {
        debug = enabled;
    }

    @Override
    public double getSlowCallbackDuration() {
        return slowCallbackDuration;
    }

    @Override
    public void setSlowCallbackDuration(double seconds) {
        if (!(seconds >= 0)) {
            throw new IllegalArgumentException("slow callback duration must be >= 0, got " + seconds);
        }
        slowCallbackDuration = seconds;
    }

    @Override
    public String toString() {
        return "<" + getClass().getSimpleName() + " running=" + isRunning() + " closed=" + closed + " debug=" + debug + ">";
    }

    // --- for loop modules ---

    /** Whether the caller runs on this loop's behalf: the loop thread, or a task of this loop. */
    protected final boolean onLoopThread() {
        return RunningLoop.get() == this;
    }

    /** Raises if the loop was closed. Mirrors {@code _check_closed}. */
    protected final void checkClosed() {
        if (closed) {
            throw new IllegalStateException("Event loop is closed");
        }
    }

    /** In debug mode, raises if called from a thread other than the running loop's. Mirrors {@code _check_thread}. */
    protected final void checkThread(String operation) {
        if (thread != null && !onLoopThread()) {
            throw new IllegalStateException("Non-thread-safe operation " + operation + " invoked on an event loop"
                    + " other than the current one (loop thread: " + thread.getName() + ", caller: "
                    + Thread.currentThread().getName() + ")");
        }
    }

    // --- one iteration ---

    private void runOnce() {
        // Clear the flag before looking at the queue: a request after this point wakes the poll.
        // Only when set: a volatile write costs a fence per iteration, and a flag read false
        // gives the same guarantee (the next request finds it false and calls wakeup()).
        if (wakeupRequested.get()) {
            wakeupRequested.set(false);
        }
        takeFromOtherThreads();
        dropCancelledTimersAtHead();
        long timeout;
        if (!ready.isEmpty() || stopping) {
            timeout = 0;
        } else if (!timers.isEmpty()) {
            double seconds = Math.min(timers.peekWhen() - time(), MAX_POLL_SECONDS);
            timeout = Math.max(0, (long) Math.ceil(seconds * 1e9));
        } else {
            timeout = -1;
        }
        absorbInterrupt();
        poll(timeout);
        takeFromOtherThreads();
        absorbInterrupt();
        int alreadyReady = ready.size();
        moveDueTimers();
        int dueTimers = ready.size() - alreadyReady;
        // Only what is ready now runs: callbacks scheduled by these run at the next iteration.
        runReady(alreadyReady);
        processEvents();
        runReady(dueTimers);
    }

    /**
     * An interrupt of the loop's thread is not meant for the poll: a selector returns at once
     * while the flag is set, so a flag left set makes the loop spin, and an interruptible channel
     * a callback uses would be closed by it. So it is cleared before the poll and after it, and
     * set again when {@link #runForever} returns. The second clear comes after the callbacks of
     * other threads are taken, so one scheduled after an interrupt never sees it.
     */
    private void absorbInterrupt() {
        if (Thread.interrupted()) {
            interruptedWhileRunning = true;
        }
    }

    /**
     * asyncio has one ready queue in registration order, whichever call registered the callback.
     * Here other threads append to their own queue; a callback they registered before this one
     * must still run first, so their queue moves over before the loop's thread appends. When it
     * is empty (nearly always) this is one read of its head: no lock, no allocation.
     */
    private void takeFromOtherThreadsFirst() {
        if (!fromOtherThreads.isEmpty()) {
            takeFromOtherThreads();
        }
    }

    private void takeFromOtherThreads() {
        Handle handle;
        while ((handle = fromOtherThreads.poll()) != null) {
            ready.add(handle);
        }
    }

    private void dropCancelledTimersAtHead() {
        while (!timers.isEmpty() && timers.peek().cancelled()) {
            timers.poll().scheduled = false;
            cancelledTimers--;
        }
    }

    private void moveDueTimers() {
        if (timers.isEmpty()) {
            // No clock read when there is nothing to compare it with.
            return;
        }
        double end = time();
        while (!timers.isEmpty() && timers.peekWhen() <= end) {
            LoopTimer timer = timers.poll();
            timer.scheduled = false;
            if (timer.cancelled()) {
                cancelledTimers--;
            } else {
                ready.add(timer);
            }
        }
    }

    private void runReady(int count) {
        // Once per iteration, not per callback: whether a JFR recording wants slow callbacks
        // (a static flag kept by JfrSwitch: one field read, no event object).
        boolean recorded = count > 0 && JfrSwitch.slowCallback;
        for (int todo = count; todo > 0; todo--) {
            Handle handle = ready.poll();
            if (handle.cancelled()) {
                continue;
            }
            if (recorded) {
                runRecorded(handle);
            } else if (debug) {
                runTimed(handle);
            } else {
                handle.run();
            }
        }
    }

    private void runRecorded(Handle handle) {
        SlowCallbackEvent event = new SlowCallbackEvent();
        event.begin();
        try {
            if (debug) {
                runTimed(handle);
            } else {
                handle.run();
            }
        } finally {
            event.end();
            if (event.shouldCommit()) {
                event.callback = String.valueOf(handle);
                event.loop = getClass().getSimpleName() + "-" + Integer.toHexString(System.identityHashCode(this));
                event.commit();
            }
        }
    }

    private void runTimed(Handle handle) {
        long start = System.nanoTime();
        handle.run();
        double seconds = (System.nanoTime() - start) * 1e-9;
        if (seconds >= slowCallbackDuration) {
            slowCallback(handle, seconds);
        }
    }

    /**
     * In debug mode, reports a callback that ran for {@link #getSlowCallbackDuration()} or longer:
     * logs it with where it was scheduled. Mirrors the warning of asyncio's {@code _run_once}.
     */
    protected void slowCallback(Handle handle, double seconds) {
        LOG.warn("Executing {} took {} seconds{}", handle, String.format("%.3f", seconds),
                handle.sourceTraceback() == null ? "" : "; scheduled at " + ErrorReport.origin(handle.sourceTraceback()));
    }

    private void requestWakeup() {
        if (!wakeupRequested.getAndSet(true)) {
            wakeup();
        }
    }

    private void checkNotRunning() {
        if (isRunning()) {
            throw new IllegalStateException("This event loop is already running");
        }
        if (RunningLoop.get() != null) {
            throw new IllegalStateException("Cannot run the event loop while another loop is running");
        }
    }

    private Throwable sourceTraceback() {
        return debug ? new Throwable("handle created here") : null;
    }

    private void timerCancelled() {
        cancelledTimers++;
        // Keep memory bounded by live timers: rebuild when most of the heap is cancelled ones.
        if (timers.size() > MIN_TIMERS_TO_COMPACT && cancelledTimers * 2 > timers.size()) {
            timers.removeIf(timer -> {
                if (timer.cancelled()) {
                    timer.scheduled = false;
                    return true;
                }
                return false;
            });
            cancelledTimers = 0;
        }
    }

    /** A timer that tells its loop when it is cancelled while still in the heap. */
    private final class LoopTimer extends TimerHandle {
        private boolean scheduled = true;

        LoopTimer(double when, long sequence, Runnable callback, Throwable createdAt) {
            super(when, sequence, callback, BaseEventLoop.this, createdAt);
        }

        @Override
        protected void onCancel() {
            if (scheduled) {
                timerCancelled();
            }
        }
    }

    /**
     * Resources other threads made for this loop and posted to it (children a starter thread
     * started), each with how to discard it; concurrent, as those threads write it.
     */
    private final Set<Runnable> discardAtClose = ConcurrentHashMap.newKeySet();

    /** {@code discard} runs at close unless {@link #landed} took it back first. */
    final void discardAtClose(Runnable discard) {
        discardAtClose.add(discard);
    }

    /** The loop took what {@code discard} would have discarded (or the poster discarded it). */
    final void landed(Runnable discard) {
        discardAtClose.remove(discard);
    }

    // --- what the MXBean and JFR see of transports ---

    /**
     * The transports that hold a socket or pipe now, for the loop's MXBean; called on the loop's
     * thread. None by default; a loop with transports lists them.
     */
    protected Collection<? extends InspectableTransport> liveTransports() {
        return List.of();
    }

    /**
     * Records {@code transport}'s opening as a JFR event ({@code asyncio.TransportOpened}) when a
     * recording wants it; otherwise one field read. A loop calls it once the transport holds its socket.
     */
    protected final void recordTransportOpened(InspectableTransport transport) {
        if (JfrSwitch.transportOpened) {
            TransportEvents.opened(this, transport.describe());
        }
    }

    /**
     * Records {@code transport}'s closing, with its byte counts, as a JFR event
     * ({@code asyncio.TransportClosed}) when a recording wants it. A loop calls it once the
     * transport let go of its socket.
     */
    protected final void recordTransportClosed(InspectableTransport transport) {
        if (JfrSwitch.transportClosed) {
            TransportEvents.closed(this, transport.describe());
        }
        if (releaseListeners != null) {
            // A copy: a listener may remove itself (or another) while told.
            for (Runnable listener : releaseListeners.toArray(Runnable[]::new)) {
                listener.run();
            }
        }
    }

    /** Who wants to hear of each transport letting go of its socket (a group's acceptor at close); null when none. */
    private List<Runnable> releaseListeners;

    @Override
    public final void addReleaseListener(Runnable listener) {
        if (releaseListeners == null) {
            releaseListeners = new ArrayList<>(1);
        }
        releaseListeners.add(listener);
    }

    @Override
    public final void removeReleaseListener(Runnable listener) {
        if (releaseListeners != null && releaseListeners.remove(listener) && releaseListeners.isEmpty()) {
            releaseListeners = null;
        }
    }

    /** How many callbacks wait in the ready queue; read on the loop thread (for the loop's MXBean). */
    final int readyCount() {
        return ready.size();
    }

    /** How many timers the heap holds, cancelled ones not yet dropped included (for tests and diagnostics). */
    public final int scheduledTimerCount() {
        return timers.size();
    }

    /**
     * asyncio removes a leftover socket file (never a regular file) at a path it is about to bind
     * (create_unix_server, and create_datagram_endpoint with a Unix local address). Any other file
     * stays, and the bind then fails with "address already in use". Public for the loops of every
     * package, which bind Unix servers the same way.
     */
    public static void removeStaleSocketFile(Path path) {
        if (path == null || path.toString().isEmpty() || !Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Object mode = Files.getAttribute(path, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS);
            if (mode instanceof Integer bits && (bits & S_IFMT) == S_IFSOCK) {
                Files.deleteIfExists(path);
            }
        } catch (UnsupportedOperationException | IllegalArgumentException noUnixAttributes) {
            // No file modes here: nothing can tell a socket file apart, so nothing is removed.
        } catch (IOException failed) {
            // As asyncio: the directory may only allow creating the socket; the bind says the rest.
            org.slf4j.LoggerFactory.getLogger("asyncio").error("Unable to check or remove stale UNIX socket {}: {}",
                    path, failed.toString());
        }
    }

    /** Closes what a failed or abandoned connection attempt leaves open; the first error is the one reported. */
    static void closeQuietly(java.io.Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException ignored) {
            // Already failing or already closed: nothing more to report.
        }
    }
}
