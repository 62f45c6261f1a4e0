package asyncio.spi;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loop's default executor: created on first use with asyncio's size, min(32, cores + 4), and
 * refused once shutdown was requested. Mirrors the {@code ThreadPoolExecutor} a loop keeps.
 */
final class DefaultExecutor {
    private static final Logger LOG = LoggerFactory.getLogger("asyncio");
    private static final AtomicInteger THREADS = new AtomicInteger();

    private ExecutorService service;
    private boolean shutdownCalled;

    synchronized ExecutorService get() {
        if (shutdownCalled) {
            throw new IllegalStateException("Executor shutdown has been called");
        }
        if (service == null) {
            int size = Math.min(32, Runtime.getRuntime().availableProcessors() + 4);
            ThreadPoolExecutor pool = new ThreadPoolExecutor(size, size, 60, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), daemonThreads());
            pool.allowCoreThreadTimeOut(true);
            service = pool;
        }
        return service;
    }

    synchronized void replace(ExecutorService replacement) {
        service = java.util.Objects.requireNonNull(replacement, "executor");
    }

    /** Shuts down; {@code then} runs once the threads ended or {@code timeout} passed (null: no limit). */
    synchronized void shutdown(Duration timeout, Runnable then) {
        shutdownCalled = true;
        ExecutorService current = service;
        if (current == null) {
            then.run();
            return;
        }
        Thread joiner = new Thread(() -> {
            current.shutdown();
            try {
                boolean ended = timeout == null ? awaitForever(current)
                        : current.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
                if (!ended) {
                    LOG.warn("The executor did not finish joining its threads within {} seconds.", timeout.toNanos() / 1e9);
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            then.run();
        }, "asyncio-executor-shutdown");
        joiner.setDaemon(true);
        joiner.start();
    }

    synchronized void shutdownNoWait() {
        shutdownCalled = true;
        if (service != null) {
            service.shutdown();
            service = null;
        }
    }

    private static boolean awaitForever(ExecutorService service) throws InterruptedException {
        while (!service.awaitTermination(1, TimeUnit.DAYS)) {
            // keep waiting: no timeout was asked for
        }
        return true;
    }

    private static ThreadFactory daemonThreads() {
        return task -> {
            Thread thread = new Thread(task, "asyncio-executor-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
