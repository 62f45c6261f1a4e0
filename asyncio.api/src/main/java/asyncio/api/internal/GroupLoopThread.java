package asyncio.api.internal;

import asyncio.api.EventLoop;
import asyncio.api.Runner;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * One loop of an {@code EventLoopGroup} and the platform thread that runs it: the loop is made on
 * that thread, runs forever until {@link #stop()}, then is torn down there as {@code asyncio.run}
 * tears its loop down (tasks left are cancelled and awaited, the default executor is shut down,
 * the loop is closed). A {@link Runner} does the teardown; its {@code run} is not used, since it
 * would take SIGINT, which belongs to the application's main thread.
 */
public final class GroupLoopThread {
    private final Thread thread;
    private final CompletableFuture<EventLoop> running = new CompletableFuture<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private volatile boolean stopRequested;

    /** Starts a thread named {@code name} that makes its loop with {@code loopFactory} and runs it. */
    public GroupLoopThread(String name, Supplier<? extends EventLoop> loopFactory) {
        thread = new Thread(() -> run(loopFactory), name);
        thread.start();
    }

    private void run(Supplier<? extends EventLoop> loopFactory) {
        Runner runner = new Runner(null, loopFactory::get);
        Throwable failure = null;
        try {
            EventLoop loop = runner.getLoop();
            loop.callSoon(() -> {
                running.complete(loop);
                if (stopRequested) {
                    loop.stop();
                }
            });
            loop.runForever();
        } catch (Throwable error) {
            failure = error;
        } finally {
            try {
                runner.close();
            } catch (Throwable error) {
                if (failure == null) {
                    failure = error;
                } else {
                    failure.addSuppressed(error);
                }
            }
        }
        if (failure == null) {
            running.completeExceptionally(new IllegalStateException("the loop stopped before it ran"));
            ended.complete(null);
        } else {
            running.completeExceptionally(failure);
            ended.completeExceptionally(failure);
        }
    }

    /** The loop once it runs; what its thread failed with otherwise (the loop factory's exception, say). */
    public EventLoop awaitRunning() {
        return join(running);
    }

    /** Asks the loop to stop, now or as soon as it runs; it then tears itself down. Any thread. */
    public void stop() {
        // Either this sees the loop running, or the loop's first callback sees the request.
        stopRequested = true;
        if (running.isDone() && !running.isCompletedExceptionally()) {
            running.join().stop();
        }
    }

    /**
     * Waits until the thread has torn its loop down, at most {@code timeout}; rethrows what ended
     * the loop abnormally (a {@code SystemExit} from a callback, a failed close).
     */
    public void awaitEnded(Duration timeout) {
        try {
            ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            // The loop is closed; what is left is the thread's own exit.
            thread.join(timeout.toMillis());
        } catch (TimeoutException late) {
            IllegalStateException stuck = new IllegalStateException("loop thread " + thread.getName()
                    + " did not stop within " + timeout + " (a callback or task that blocks?)");
            stuck.setStackTrace(thread.getStackTrace());
            throw stuck;
        } catch (ExecutionException failed) {
            joinQuietly(timeout);
            throw Throwables.sneaky(failed.getCause());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + thread.getName(), interrupted);
        }
    }

    private void joinQuietly(Duration timeout) {
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the calling thread is this loop's. */
    public boolean isCurrent() {
        return Thread.currentThread() == thread;
    }

    /** The result of {@code future}, waiting without limit, rethrowing its exception as is. */
    public static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (ExecutionException failed) {
            throw Throwables.sneaky(failed.getCause());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a loop of the group", interrupted);
        }
    }
}
