package asyncio.api;

import asyncio.api.internal.RunningLoop;
import asyncio.api.internal.TaskRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * The module-level functions of asyncio: running, loops and policies, awaiting, sleeping, and the
 * ways of combining futures. Mirrors the {@code asyncio} namespace ({@code asyncio.run},
 * {@code asyncio.gather}, ...).
 */
public final class Asyncio {
    private static final Object POLICY_LOCK = new Object();
    private static volatile EventLoopPolicy policy;

    private Asyncio() {
    }

    // --- running ---

    /**
     * Runs {@code main} on a new loop, then cancels what is left, shuts the default executor
     * down and closes the loop. Mirrors {@code asyncio.run()}.
     */
    public static <T> T run(Coroutine<T> main) {
        return run(main, (Boolean) null);
    }

    /** {@link #run(Coroutine)} with debug mode forced on or off ({@code null}: the loop's default). */
    public static <T> T run(Coroutine<T> main, Boolean debug) {
        if (RunningLoop.get() != null) {
            throw new IllegalStateException("asyncio.run() cannot be called from a running event loop");
        }
        try (Runner runner = new Runner(debug, null)) {
            return runner.run(main);
        }
    }

    /**
     * Which coroutine carrier runs tasks in this JVM and why: JDK continuations on the loop thread,
     * or virtual threads with a hand-off (and the flag that enables the fast carrier). No asyncio twin.
     */
    public static String coroutineCarrier() {
        return asyncio.api.internal.Carriers.description();
    }

    // --- loops and policies ---

    /** The loop running in this thread; raises {@link IllegalStateException} if none. Mirrors {@code asyncio.get_running_loop()}. */
    public static EventLoop getRunningLoop() {
        EventLoop loop = RunningLoop.get();
        if (loop == null) {
            throw new IllegalStateException("no running event loop");
        }
        return loop;
    }

    /** The running loop, else the thread's current loop; raises if neither (as in 3.14). Mirrors {@code asyncio.get_event_loop()}. */
    public static EventLoop getEventLoop() {
        EventLoop loop = RunningLoop.get();
        return loop != null ? loop : getEventLoopPolicy().getEventLoop();
    }

    /** Sets the thread's current loop. Mirrors {@code asyncio.set_event_loop()}. */
    public static void setEventLoop(EventLoop loop) {
        getEventLoopPolicy().setEventLoop(loop);
    }

    /** A new loop from the policy. Mirrors {@code asyncio.new_event_loop()}. */
    public static EventLoop newEventLoop() {
        return getEventLoopPolicy().newEventLoop();
    }

    /**
     * The policy in force: the one set, else the first {@link EventLoopPolicy} service found.
     * Mirrors {@code asyncio.get_event_loop_policy()}.
     */
    public static EventLoopPolicy getEventLoopPolicy() {
        EventLoopPolicy current = policy;
        if (current == null) {
            synchronized (POLICY_LOCK) {
                if (policy == null) {
                    policy = ServiceLoader.load(EventLoopPolicy.class, Asyncio.class.getClassLoader()).findFirst()
                            .orElseThrow(() -> new IllegalStateException("no asyncio.api.EventLoopPolicy service found:"
                                    + " put the asyncio.spi module and a loop module (asyncio.selector) on the"
                                    + " module path or class path"));
                }
                current = policy;
            }
        }
        return current;
    }

    /** Replaces the policy ({@code null}: back to the discovered default). Mirrors {@code asyncio.set_event_loop_policy()}. */
    public static void setEventLoopPolicy(EventLoopPolicy newPolicy) {
        synchronized (POLICY_LOCK) {
            policy = newPolicy;
        }
    }

    // --- awaiting and tasks ---

    /**
     * Suspends the current task until {@code future} is done, then returns its result or throws its
     * exception unchanged. A done future returns at once without suspending. The Java spelling of
     * {@code await future}; outside a task it raises {@link IllegalStateException}.
     */
    public static <T> T await(Future<T> future) {
        if (future instanceof AsCompleted.AwaitedLazily lazy) {
            lazy.awaiting();
        }
        if (!future.done()) {
            Task.suspendUntil(future, "await");
        }
        return future.result();
    }

    /** Suspends the current task for {@code seconds}; 0 or less yields once. Mirrors {@code asyncio.sleep()}. */
    public static void sleep(double seconds) {
        sleep(seconds, null);
    }

    /** Suspends the current task for {@code delay}. */
    public static void sleep(Duration delay) {
        sleep(delay.toNanos() / 1e9, null);
    }

    /** Suspends for {@code seconds} and returns {@code result}. Mirrors {@code asyncio.sleep(delay, result)}. */
    public static <T> T sleep(double seconds, T result) {
        if (Double.isNaN(seconds)) {
            throw new IllegalArgumentException("Invalid delay: NaN (not a number)");
        }
        if (seconds <= 0) {
            Task.suspendUntil(null, "sleep");
            return result;
        }
        EventLoop loop = getRunningLoop();
        Future<T> future = loop.createFuture();
        TimerHandle timer = loop.callLater(seconds, () -> {
            if (!future.done()) {
                future.setResult(result);
            }
        });
        try {
            return await(future);
        } finally {
            timer.cancel();
        }
    }

    /** Schedules {@code coro} as a task on the running loop. Mirrors {@code asyncio.create_task()}. */
    public static <T> Task<T> createTask(Coroutine<T> coro) {
        return getRunningLoop().createTask(coro);
    }

    /** Schedules {@code coro} as a task named {@code name}. */
    public static <T> Task<T> createTask(Coroutine<T> coro, String name) {
        return getRunningLoop().createTask(coro, name);
    }

    /**
     * The task whose code is running, or null (in a plain callback); raises
     * {@link IllegalStateException} if no loop runs in this thread. Mirrors {@code asyncio.current_task()}.
     */
    public static Task<?> currentTask() {
        Task<?> task = Task.current();
        if (task == null) {
            // As current_task() asks get_running_loop(): a callback of a loop gets null, nothing else does.
            getRunningLoop();
        }
        return task;
    }

    /** The running loop's tasks that are not done. Mirrors {@code asyncio.all_tasks()}. */
    public static List<Task<?>> allTasks() {
        return allTasks(getRunningLoop());
    }

    /** {@code loop}'s tasks that are not done. Mirrors {@code asyncio.all_tasks(loop)}. */
    public static List<Task<?>> allTasks(EventLoop loop) {
        List<Task<?>> pending = new ArrayList<>(TaskRegistry.pending(loop));
        pending.removeIf(Future::done);
        return pending;
    }

    /**
     * A task running {@code coro} on the running loop, else on the thread's current loop (set with
     * {@link #setEventLoop}); raises if there is neither. Mirrors {@code asyncio.ensure_future(coro)}.
     */
    public static <T> Future<T> ensureFuture(Coroutine<T> coro) {
        return getEventLoop().createTask(coro);
    }

    /** Whether {@code object} is an asyncio future (or task). Mirrors {@code asyncio.isfuture()}. */
    public static boolean isFuture(Object object) {
        return object instanceof Future<?>;
    }

    /**
     * A future on {@code loop} that follows {@code stage} (completed from any thread); cancelling
     * it cancels {@code stage} when that is a {@link CompletableFuture}. Mirrors {@code asyncio.wrap_future()}.
     */
    public static <T> Future<T> wrapFuture(CompletionStage<T> stage, EventLoop loop) {
        Future<T> future = loop.createFuture();
        stage.whenComplete((value, error) -> {
            try {
                loop.callSoonThreadsafe(() -> copyOutcome(value, error, future));
            } catch (IllegalStateException closed) {
                // The loop closed first: nobody can observe the outcome any more.
            }
        });
        if (stage instanceof java.util.concurrent.Future<?> source) {
            future.addDoneCallback(done -> {
                if (done.cancelled()) {
                    try {
                        source.cancel(false);
                    } catch (UnsupportedOperationException notCancellable) {
                        // A minimal stage cannot be cancelled: its late outcome is simply ignored.
                    }
                }
            });
        }
        return future;
    }

    private static <T> void copyOutcome(T value, Throwable error, Future<T> target) {
        if (target.done()) {
            return;
        }
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof CancellationException) {
            target.cancel();
        } else if (cause != null) {
            target.setException(cause);
        } else {
            target.setResult(value);
        }
    }

    /**
     * Runs {@code function} in the running loop's default executor; await the returned future for
     * its result. Mirrors {@code asyncio.to_thread()}.
     */
    public static <T> Future<T> toThread(Callable<T> function) {
        return getRunningLoop().runInExecutor(null, function);
    }

    /**
     * Submits {@code coro} to {@code loop} from any other thread. Cancelling the returned future
     * cancels the task. Mirrors {@code asyncio.run_coroutine_threadsafe()}.
     */
    public static <T> CompletableFuture<T> runCoroutineThreadsafe(Coroutine<T> coro, EventLoop loop) {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.callSoonThreadsafe(() -> {
            if (result.isDone()) {
                return;
            }
            Task<T> task;
            try {
                task = loop.createTask(coro);
            } catch (Throwable error) {
                result.completeExceptionally(error);
                throw error;
            }
            task.addDoneCallback(done -> {
                if (done.cancelled()) {
                    result.cancel(false);
                } else if (done.exception() != null) {
                    result.completeExceptionally(done.exception());
                } else {
                    result.complete(done.result());
                }
            });
            result.whenComplete((value, error) -> {
                if (result.isCancelled()) {
                    loop.callSoonThreadsafe(task::cancel);
                }
            });
        });
        return result;
    }

    // --- combining futures ---

    /** Runs futures concurrently; results in argument order, first exception raised. Mirrors {@code asyncio.gather()}. */
    public static Future<List<Object>> gather(Future<?>... futures) {
        return gather(false, futures);
    }

    /**
     * {@link #gather(Future...)}; with {@code returnExceptions} failures (and cancellations) are
     * results in the list. Mirrors {@code asyncio.gather(..., return_exceptions=True)}.
     */
    @SuppressWarnings("unchecked")
    public static Future<List<Object>> gather(boolean returnExceptions, Future<?>... futures) {
        List<Future<Object>> children = new ArrayList<>(futures.length);
        for (Future<?> future : futures) {
            children.add((Future<Object>) future);
        }
        return Gathering.of(children, returnExceptions);
    }

    /** A typed {@code gather} of futures with results of one type. */
    public static <T> Future<List<T>> gatherAll(List<? extends Future<T>> futures) {
        return Gathering.of(futures, false);
    }

    /**
     * A future that follows {@code inner} but whose cancellation does not cancel {@code inner}.
     * Mirrors {@code asyncio.shield()}.
     */
    public static <T> Future<T> shield(Future<T> inner) {
        if (inner.done()) {
            return inner;
        }
        Future<T> outer = inner.getLoop().createFuture();
        java.util.function.Consumer<Future<T>> innerDone = done -> {
            if (outer.cancelled()) {
                if (!done.cancelled()) {
                    done.exception();
                }
                return;
            }
            if (done.cancelled()) {
                outer.cancel();
            } else if (done.exception() != null) {
                outer.setException(done.exception());
            } else {
                outer.setResult(done.result());
            }
        };
        Task<?> caller = Task.current();
        if (caller != null && caller.getLoop() == inner.getLoop()) {
            // The call graph shows the shielding task as awaiting the inner future (asyncio 3.14).
            inner.addAwaitedBy(caller);
            inner.addDoneCallback(done -> done.discardAwaitedBy(caller));
        }
        inner.addDoneCallback(innerDone);
        outer.addDoneCallback(done -> {
            if (!inner.done()) {
                inner.removeDoneCallback(innerDone);
            }
        });
        return outer;
    }

    /**
     * Awaits {@code future} for at most {@code timeout} seconds ({@code null}: no limit); on timeout
     * cancels it, waits for the cancellation, and raises {@link TimeoutError}. Mirrors {@code asyncio.wait_for()}.
     */
    public static <T> T waitFor(Future<T> future, Double timeout) {
        if (timeout != null && timeout <= 0) {
            if (future.done()) {
                return future.result();
            }
            cancelAndWait(future);
            try {
                return future.result();
            } catch (CancelledError cancelled) {
                TimeoutError error = new TimeoutError();
                error.initCause(cancelled);
                throw error;
            }
        }
        return timeout(timeout, scope -> await(future));
    }

    /**
     * Runs {@code coro} for at most {@code timeout} seconds. As in asyncio 3.12+ (wait_for built on
     * timeout), a positive or null timeout runs the coroutine inside the current task, so a
     * cancellation from outside reaches its body; a timeout of 0 or less runs it as a task that is
     * cancelled before it starts, then raises {@link TimeoutError}.
     */
    public static <T> T waitFor(Coroutine<T> coro, Double timeout) {
        if (timeout != null && timeout <= 0) {
            return waitFor(ensureFuture(coro), timeout);
        }
        return timeout(timeout, scope -> coro.call());
    }

    private static void cancelAndWait(Future<?> future) {
        Future<Void> waiter = future.getLoop().createFuture();
        java.util.function.Consumer<Future<?>> release = done -> {
            if (!waiter.done()) {
                waiter.setResult(null);
            }
        };
        future.addDoneCallback(release);
        try {
            future.cancel();
            await(waiter);
        } finally {
            future.removeDoneCallback(release);
        }
    }

    /**
     * Waits until {@code returnWhen} is met or {@code timeout} seconds pass ({@code null}: no limit);
     * never raises {@link TimeoutError}. Mirrors {@code asyncio.wait()}.
     */
    public static <T> WaitResult<T> wait(Collection<? extends Future<T>> futures, Double timeout, ReturnWhen returnWhen) {
        if (futures.isEmpty()) {
            throw new IllegalArgumentException("Set of Tasks/Futures is empty.");
        }
        if (returnWhen == null) {
            throw new IllegalArgumentException("Invalid return_when value: null");
        }
        Set<Future<T>> all = new LinkedHashSet<>(futures);
        EventLoop loop = getRunningLoop();
        Future<Void> waiter = loop.createFuture();
        TimerHandle timer = timeout == null ? null : loop.callLater(timeout, () -> {
            if (!waiter.done()) {
                waiter.setResult(null);
            }
        });
        int[] remaining = {all.size()};
        java.util.function.Consumer<Future<T>> onCompletion = done -> {
            remaining[0]--;
            // Only FIRST_EXCEPTION looks at the exception (and so marks it retrieved), as in asyncio.
            if (remaining[0] <= 0 || returnWhen == ReturnWhen.FIRST_COMPLETED
                    || (returnWhen == ReturnWhen.FIRST_EXCEPTION && !done.cancelled() && done.exception() != null)) {
                if (!waiter.done()) {
                    waiter.setResult(null);
                }
            }
        };
        for (Future<T> future : all) {
            future.addDoneCallback(onCompletion);
        }
        try {
            await(waiter);
        } finally {
            if (timer != null) {
                timer.cancel();
            }
            for (Future<T> future : all) {
                future.removeDoneCallback(onCompletion);
            }
        }
        Set<Future<T>> done = new LinkedHashSet<>();
        Set<Future<T>> pending = new LinkedHashSet<>();
        for (Future<T> future : all) {
            (future.done() ? done : pending).add(future);
        }
        return new WaitResult<>(done, pending);
    }

    /** {@link #wait(Collection, Double, ReturnWhen)} until all complete. */
    public static <T> WaitResult<T> wait(Collection<? extends Future<T>> futures, Double timeout) {
        return wait(futures, timeout, ReturnWhen.ALL_COMPLETED);
    }

    /**
     * The futures' outcomes in the order they finish: each {@code next()} is a future of the next
     * one to finish; after {@code timeout} seconds the rest raise {@link TimeoutError}.
     * Mirrors {@code asyncio.as_completed()}.
     */
    public static <T> AsCompleted<T> asCompleted(Collection<? extends Future<T>> futures, Double timeout) {
        return new AsCompleted<>(futures, timeout);
    }

    /**
     * Runs {@code body} in the current task with a deadline {@code delay} seconds from now
     * ({@code null}: none, but reschedulable). Mirrors {@code async with asyncio.timeout(delay)}.
     */
    public static <T> T timeout(Double delay, Timeout.TimeoutBody<T> body) {
        Double when = delay == null ? null : getRunningLoop().time() + delay;
        return new Timeout(when).run(body);
    }

    /** Runs {@code body} with a deadline at loop time {@code when}. Mirrors {@code async with asyncio.timeout_at(when)}. */
    public static <T> T timeoutAt(Double when, Timeout.TimeoutBody<T> body) {
        return new Timeout(when).run(body);
    }

    // --- the forms a Python port writes: seconds as any number or a Duration, no timeout as its own
    // form, coroutines where asyncio takes awaitables, futures of mixed result types ---

    /**
     * {@link #run(Coroutine)} on a loop made by {@code loopFactory} (not set as the thread's current
     * loop). Mirrors {@code asyncio.run(main, loop_factory=...)} (3.12).
     */
    public static <T> T run(Coroutine<T> main, Supplier<? extends EventLoop> loopFactory) {
        return run(main, null, loopFactory);
    }

    /** {@link #run(Coroutine, Supplier)} with debug mode. Mirrors {@code asyncio.run(main, debug=..., loop_factory=...)}. */
    public static <T> T run(Coroutine<T> main, Boolean debug, Supplier<? extends EventLoop> loopFactory) {
        if (RunningLoop.get() != null) {
            throw new IllegalStateException("asyncio.run() cannot be called from a running event loop");
        }
        try (Runner runner = new Runner(debug, loopFactory == null ? null : loopFactory::get)) {
            return runner.run(main);
        }
    }

    /** Returns {@code future} itself. Mirrors {@code asyncio.ensure_future(future)}. */
    public static <T> Future<T> ensureFuture(Future<T> future) {
        return java.util.Objects.requireNonNull(future, "future");
    }

    /**
     * A future on the running loop (else the thread's current loop) that follows {@code source},
     * which may be any {@link java.util.concurrent.Future}, such as an {@code ExecutorService}
     * returns. A {@link CompletionStage} is followed through its callbacks; any other future has
     * no completion callback, so a virtual thread waits for it (at no cost to the loop). Cancelling
     * the result cancels {@code source}. Mirrors {@code asyncio.wrap_future(future)}.
     */
    @SuppressWarnings("unchecked")
    public static <T> Future<T> wrapFuture(java.util.concurrent.Future<T> source) {
        java.util.Objects.requireNonNull(source, "future");
        EventLoop loop = getEventLoop();
        if (source instanceof CompletionStage<?> stage) {
            return wrapFuture((CompletionStage<T>) stage, loop);
        }
        Future<T> target = loop.createFuture();
        // A daemon virtual thread, not the default executor: a source that never completes must
        // not hold up the executor's shutdown when the loop closes.
        Thread.ofVirtual().name("asyncio-wrap_future").start(() -> {
            T value = null;
            Throwable error = null;
            try {
                value = source.get();
            } catch (Throwable failed) {
                error = failed;
            }
            T result = value;
            Throwable failure = error;
            try {
                loop.callSoonThreadsafe(() -> copyOutcome(result, failure, target));
            } catch (IllegalStateException closed) {
                // The loop closed first: nobody can observe the outcome any more.
            }
        });
        target.addDoneCallback(done -> {
            if (done.cancelled()) {
                // Also ends the waiting thread: its get() raises CancellationException.
                source.cancel(false);
            }
        });
        return target;
    }

    /** A typed {@code wait_for} on {@code timeout} seconds. Mirrors {@code asyncio.wait_for(aw, timeout)}. */
    public static <T> T waitFor(Future<T> future, double timeout) {
        return waitFor(future, Double.valueOf(timeout));
    }

    /** {@link #waitFor(Future, double)} with a {@link Duration}. Mirrors {@code asyncio.wait_for(aw, timeout)}. */
    public static <T> T waitFor(Future<T> future, Duration timeout) {
        return waitFor(future, seconds(timeout));
    }

    /** Awaits {@code future} with no time limit. Mirrors {@code asyncio.wait_for(aw, None)}. */
    public static <T> T waitFor(Future<T> future) {
        return waitFor(future, (Double) null);
    }

    /** Runs {@code coro} as a task and awaits it for at most {@code timeout} seconds. Mirrors {@code asyncio.wait_for(coro, timeout)}. */
    public static <T> T waitFor(Coroutine<T> coro, double timeout) {
        return waitFor(coro, Double.valueOf(timeout));
    }

    /** {@link #waitFor(Coroutine, double)} with a {@link Duration}. Mirrors {@code asyncio.wait_for(coro, timeout)}. */
    public static <T> T waitFor(Coroutine<T> coro, Duration timeout) {
        return waitFor(coro, seconds(timeout));
    }

    /** Runs {@code coro} as a task and awaits it with no time limit. Mirrors {@code asyncio.wait_for(coro, None)}. */
    public static <T> T waitFor(Coroutine<T> coro) {
        return waitFor(coro, (Double) null);
    }

    /**
     * Waits until {@code returnWhen} is met or {@code timeout} seconds pass; the futures may have
     * different result types ({@code T} is their common supertype). Mirrors
     * {@code asyncio.wait(fs, timeout=..., return_when=...)}.
     */
    public static <T> WaitResult<T> wait(Collection<? extends Future<? extends T>> futures, double timeout,
                                         ReturnWhen returnWhen) {
        return wait(widen(futures), Double.valueOf(timeout), returnWhen);
    }

    /** {@link #wait(Collection, double, ReturnWhen)} with a {@link Duration}. Mirrors {@code asyncio.wait(fs, timeout=..., return_when=...)}. */
    public static <T> WaitResult<T> wait(Collection<? extends Future<? extends T>> futures, Duration timeout,
                                         ReturnWhen returnWhen) {
        return wait(widen(futures), seconds(timeout), returnWhen);
    }

    /** Waits with no time limit until {@code returnWhen} is met. Mirrors {@code asyncio.wait(fs, return_when=...)}. */
    public static <T> WaitResult<T> wait(Collection<? extends Future<? extends T>> futures, ReturnWhen returnWhen) {
        return wait(widen(futures), (Double) null, returnWhen);
    }

    /** Waits until all complete or {@code timeout} seconds pass. Mirrors {@code asyncio.wait(fs, timeout=...)}. */
    public static <T> WaitResult<T> wait(Collection<? extends Future<? extends T>> futures, double timeout) {
        return wait(widen(futures), Double.valueOf(timeout), ReturnWhen.ALL_COMPLETED);
    }

    /** {@link #wait(Collection, double)} with a {@link Duration}. Mirrors {@code asyncio.wait(fs, timeout=...)}. */
    public static <T> WaitResult<T> wait(Collection<? extends Future<? extends T>> futures, Duration timeout) {
        return wait(widen(futures), seconds(timeout), ReturnWhen.ALL_COMPLETED);
    }

    /** Waits until all complete. Mirrors {@code asyncio.wait(fs)}. */
    public static <T> WaitResult<T> wait(Collection<? extends Future<? extends T>> futures) {
        return wait(widen(futures), (Double) null, ReturnWhen.ALL_COMPLETED);
    }

    /** {@code as_completed} with a timeout in seconds; futures of mixed result types. Mirrors {@code asyncio.as_completed(aws, timeout=...)}. */
    public static <T> AsCompleted<T> asCompleted(Collection<? extends Future<? extends T>> futures, double timeout) {
        return new AsCompleted<>(widen(futures), timeout);
    }

    /** {@link #asCompleted(Collection, double)} with a {@link Duration}. Mirrors {@code asyncio.as_completed(aws, timeout=...)}. */
    public static <T> AsCompleted<T> asCompleted(Collection<? extends Future<? extends T>> futures, Duration timeout) {
        return new AsCompleted<>(widen(futures), seconds(timeout));
    }

    /** {@code as_completed} with no time limit. Mirrors {@code asyncio.as_completed(aws)}. */
    public static <T> AsCompleted<T> asCompleted(Collection<? extends Future<? extends T>> futures) {
        return new AsCompleted<>(widen(futures), null);
    }

    /**
     * Runs each coroutine as a task and yields the tasks' outcomes in the order they finish.
     * Mirrors {@code asyncio.as_completed(coros)}, which wraps coroutines in tasks.
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // tasksOf only reads the array
    public static <T> AsCompleted<T> asCompleted(Coroutine<? extends T>... coros) {
        return new AsCompleted<>(tasksOf(coros), null);
    }

    /** Runs each coroutine as a task; results in argument order. Mirrors {@code asyncio.gather(*coros)}. */
    public static Future<List<Object>> gather(Coroutine<?>... coros) {
        return gather(false, coros);
    }

    /** {@link #gather(Coroutine...)} with {@code return_exceptions}. Mirrors {@code asyncio.gather(*coros, return_exceptions=...)}. */
    public static Future<List<Object>> gather(boolean returnExceptions, Coroutine<?>... coros) {
        return Gathering.of(tasksOf(coros), returnExceptions);
    }

    /** A done future of an empty list (needed: {@code gather()} would match both varargs forms). Mirrors {@code asyncio.gather()}. */
    public static Future<List<Object>> gather() {
        return gather(false, new Future<?>[0]);
    }

    /** {@link #gather()} with {@code return_exceptions}. Mirrors {@code asyncio.gather(return_exceptions=...)}. */
    public static Future<List<Object>> gather(boolean returnExceptions) {
        return gather(returnExceptions, new Future<?>[0]);
    }

    /** Runs {@code coro} as a task and shields it. Mirrors {@code asyncio.shield(coro)}. */
    public static <T> Future<T> shield(Coroutine<T> coro) {
        return shield(createTask(coro));
    }

    /** Suspends for {@code delay} and returns {@code result}. Mirrors {@code asyncio.sleep(delay, result)}. */
    public static <T> T sleep(Duration delay, T result) {
        return sleep(seconds(delay), result);
    }

    /** {@link #timeout(Double, Timeout.TimeoutBody)} with a deadline in seconds. Mirrors {@code async with asyncio.timeout(delay)}. */
    public static <T> T timeout(double delay, Timeout.TimeoutBody<T> body) {
        return timeout(Double.valueOf(delay), body);
    }

    /** A block without a value under a deadline {@code delay} seconds away. Mirrors {@code async with asyncio.timeout(delay)}. */
    public static void timeout(double delay, Timeout.VoidBody body) {
        timeout(delay).run(body);
    }

    /** {@link #timeout(double, Timeout.TimeoutBody)} with a {@link Duration}. Mirrors {@code async with asyncio.timeout(delay)}. */
    public static <T> T timeout(Duration delay, Timeout.TimeoutBody<T> body) {
        return timeout(seconds(delay), body);
    }

    /** {@link #timeout(double, Timeout.VoidBody)} with a {@link Duration}. Mirrors {@code async with asyncio.timeout(delay)}. */
    public static void timeout(Duration delay, Timeout.VoidBody body) {
        timeout(delay).run(body);
    }

    /** A block with no deadline yet (it may {@link Timeout#reschedule} one). Mirrors {@code async with asyncio.timeout(None)}. */
    public static <T> T timeout(Timeout.TimeoutBody<T> body) {
        return new Timeout(null).run(body);
    }

    /** {@link #timeout(Timeout.TimeoutBody)} for a block without a value. Mirrors {@code async with asyncio.timeout(None)}. */
    public static void timeout(Timeout.VoidBody body) {
        new Timeout(null).run(body);
    }

    /**
     * A timeout of {@code delay} seconds from now, not entered yet: enter it with
     * {@link Timeout#run}, and ask {@link Timeout#expired()} after the block. Mirrors
     * {@code cm = asyncio.timeout(delay)} for {@code async with cm: ...}.
     */
    public static Timeout timeout(double delay) {
        return new Timeout(getRunningLoop().time() + delay);
    }

    /** {@link #timeout(double)} with a {@link Duration}. Mirrors {@code cm = asyncio.timeout(delay)}. */
    public static Timeout timeout(Duration delay) {
        return timeout(seconds(delay));
    }

    /** A timeout at loop time {@code when}, not entered yet. Mirrors {@code cm = asyncio.timeout_at(when)}. */
    public static Timeout timeoutAt(double when) {
        return new Timeout(when);
    }

    /** {@link #timeoutAt(Double, Timeout.TimeoutBody)} with a primitive deadline. Mirrors {@code async with asyncio.timeout_at(when)}. */
    public static <T> T timeoutAt(double when, Timeout.TimeoutBody<T> body) {
        return new Timeout(when).run(body);
    }

    /** A block without a value under a deadline at loop time {@code when}. Mirrors {@code async with asyncio.timeout_at(when)}. */
    public static void timeoutAt(double when, Timeout.VoidBody body) {
        new Timeout(when).run(body);
    }

    /** A {@link Duration} in seconds, as asyncio's float delays; refuses null with a clear message. */
    static double seconds(Duration duration) {
        java.util.Objects.requireNonNull(duration, "duration (use the form without a timeout for none)");
        return duration.getSeconds() + duration.getNano() / 1e9;
    }

    /**
     * Reading a {@code Future<? extends T>} as a {@code Future<T>} is safe for every read
     * ({@code result()}, {@code await}); this view is only read from here.
     */
    @SuppressWarnings("unchecked")
    private static <T> Collection<? extends Future<T>> widen(Collection<? extends Future<? extends T>> futures) {
        return (Collection<? extends Future<T>>) (Collection<?>) futures;
    }

    @SuppressWarnings("unchecked")
    private static <T> List<Future<T>> tasksOf(Coroutine<? extends T>[] coros) {
        List<Future<T>> tasks = new ArrayList<>(coros.length);
        for (Coroutine<? extends T> coro : coros) {
            tasks.add((Future<T>) createTask(coro));
        }
        return tasks;
    }

    // --- call graph introspection (Python 3.14) ---

    /**
     * The call graph of the current task, or null in a plain callback; raises
     * {@link IllegalStateException} outside a running loop. Mirrors {@code asyncio.capture_call_graph()}.
     */
    public static FutureCallGraph captureCallGraph() {
        return CallGraph.capture(null, 1, null);
    }

    /** The call graph of {@code future} (or, if null, the current task). Mirrors {@code asyncio.capture_call_graph(future)}. */
    public static FutureCallGraph captureCallGraph(Future<?> future) {
        return CallGraph.capture(future, 1, null);
    }

    /**
     * The call graph of {@code future} (null: the current task). For the current task, {@code depth}
     * frames are skipped from the top of its stack (1: start at the caller). {@code limit} null keeps
     * every frame; a positive limit keeps that many frames nearest each task's coroutine, a negative
     * one that many innermost, and 0 none. Mirrors {@code asyncio.capture_call_graph(future, depth=, limit=)}.
     */
    public static FutureCallGraph captureCallGraph(Future<?> future, int depth, Integer limit) {
        return CallGraph.capture(future, depth, limit);
    }

    /** The call graph of {@code future} (null: the current task) as text. Mirrors {@code asyncio.format_call_graph()}. */
    public static String formatCallGraph(Future<?> future) {
        return CallGraph.format(future, 1, null);
    }

    /**
     * {@link #captureCallGraph(Future, int, Integer)} as text, or the empty string if there is no
     * graph. Mirrors {@code asyncio.format_call_graph(future, depth=, limit=)}.
     */
    public static String formatCallGraph(Future<?> future, int depth, Integer limit) {
        return CallGraph.format(future, depth, limit);
    }

    /** Prints the call graph of {@code future} (null: the current task) to standard output. Mirrors {@code asyncio.print_call_graph()}. */
    public static void printCallGraph(Future<?> future) {
        System.out.println(CallGraph.format(future, 1, null));
    }

    /** Prints the call graph to {@code out}. Mirrors {@code asyncio.print_call_graph(future, file=, depth=, limit=)}. */
    public static void printCallGraph(Future<?> future, java.io.PrintStream out, int depth, Integer limit) {
        (out != null ? out : System.out).println(CallGraph.format(future, depth, limit));
    }

    /**
     * Records that {@code waiter} awaits {@code future}, for the call graph; code that waits through
     * done callbacks (not {@link #await}) calls it so the graph shows the link. Mirrors
     * {@code asyncio.future_add_to_awaited_by()}.
     */
    public static void futureAddToAwaitedBy(Future<?> future, Future<?> waiter) {
        if (future != null && waiter != null) {
            future.addAwaitedBy(waiter);
        }
    }

    /** Forgets what {@link #futureAddToAwaitedBy} recorded. Mirrors {@code asyncio.future_discard_from_awaited_by()}. */
    public static void futureDiscardFromAwaitedBy(Future<?> future, Future<?> waiter) {
        if (future != null && waiter != null) {
            future.discardAwaitedBy(waiter);
        }
    }
}
