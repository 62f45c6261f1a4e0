package asyncio.spi;

import asyncio.api.Future;
import asyncio.api.subprocess.SubprocessOptions;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts children with {@link ProcessBuilder} off the loop thread. {@code ProcessBuilder.start()}
 * blocks its caller for the whole fork and exec (milliseconds each, and for good when a redirect
 * is a FIFO nobody writes to), so on the loop thread a hundred children would stall every other
 * callback. asyncio's {@code Popen} blocks its loop the same way; here the loop keeps running
 * and the call completes when the child has started. A small pool shared by every loop of the
 * JVM bounds the threads; they end after a few idle seconds.
 */
final class ProcessStarter {
    /** Forks are mostly kernel work: more threads than this only queue in the kernel. */
    private static final int THREADS = 2;
    private static final long IDLE_SECONDS = 5;

    private static final ThreadPoolExecutor POOL = pool();

    private ProcessStarter() {
    }

    private static ThreadPoolExecutor pool() {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory daemons = work -> {
            Thread thread = new Thread(work, "asyncio-process-starter-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, IDLE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemons);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /**
     * Completes with the started child, or with what {@link JdkChildProcess#start} raised. If the
     * future was cancelled meanwhile (its caller was cancelled) or the loop closed, the child is
     * killed rather than left running with nobody to talk to it: by this thread when the loop
     * refuses the callback, by the loop's close when it dropped the callback unrun.
     */
    static Future<JdkChildProcess> start(ReadinessEventLoop loop, List<String> command, SubprocessOptions options) {
        Future<JdkChildProcess> started = loop.createFuture();
        POOL.execute(() -> {
            JdkChildProcess child;
            try {
                child = JdkChildProcess.start(loop, command, options);
            } catch (Exception | Error failed) {
                post(loop, null, () -> {
                    if (!started.done()) {
                        started.setException(failed);
                    }
                });
                return;
            }
            // In flight from here until the loop takes it: a loop that closes first kills it.
            loop.childInFlight(child);
            post(loop, child, () -> {
                loop.childLanded(child);
                if (started.done()) {
                    child.killWithLoop();
                } else {
                    started.setResult(child);
                }
            });
        });
        return started;
    }

    private static void post(ReadinessEventLoop loop, JdkChildProcess child, Runnable outcome) {
        try {
            loop.callSoonThreadsafe(outcome);
        } catch (IllegalStateException loopClosed) {
            if (child != null) {
                loop.childLanded(child);
                child.killWithLoop();
            }
        }
    }
}
