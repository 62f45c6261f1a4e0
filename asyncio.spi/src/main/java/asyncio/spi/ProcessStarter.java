package asyncio.spi;

import asyncio.api.EventLoop;
import asyncio.api.Future;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Starts children with {@link ProcessBuilder} off the loop thread. {@code ProcessBuilder.start()}
 * blocks its caller for the whole fork and exec (milliseconds each, and for good when a redirect
 * is a FIFO nobody writes to), so on the loop thread a hundred children would stall every other
 * callback. asyncio's {@code Popen} blocks its loop the same way; here the loop keeps running
 * and the call completes when the child has started. A small pool shared by every loop of the
 * JVM bounds the threads; they end after a few idle seconds.
 */
public final class ProcessStarter {
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
     * Completes with what {@code spawn} returns (the started child), or with what it raised. If
     * the future was cancelled meanwhile (its caller was cancelled) or the loop closed, the child
     * is handed to {@code discard}, which kills it, rather than left running with nobody to talk to it:
     * by this thread when the loop refuses the callback, by the loop's close when it dropped the
     * callback unrun.
     */
    public static <C> Future<C> start(EventLoop loop, Callable<C> spawn, Consumer<? super C> discard) {
        Future<C> started = loop.createFuture();
        POOL.execute(() -> {
            C child;
            try {
                child = spawn.call();
            } catch (Exception | Error failed) {
                post(loop, () -> {
                    if (!started.done()) {
                        started.setException(failed);
                    }
                }, null);
                return;
            }
            // In flight from here until the loop takes it: a loop that closes first, dropping
            // the posted callback unrun, discards it at its close.
            Runnable discardIt = () -> discard.accept(child);
            BaseEventLoop tracking = loop instanceof BaseEventLoop base ? base : null;
            if (tracking != null) {
                tracking.discardAtClose(discardIt);
            }
            post(loop, () -> {
                if (tracking != null) {
                    tracking.landed(discardIt);
                }
                if (started.done()) {
                    discard.accept(child);
                } else {
                    started.setResult(child);
                }
            }, () -> {
                if (tracking != null) {
                    tracking.landed(discardIt);
                }
                discard.accept(child);
            });
        });
        return started;
    }

    private static void post(EventLoop loop, Runnable outcome, Runnable loopClosed) {
        try {
            loop.callSoonThreadsafe(outcome);
        } catch (IllegalStateException closed) {
            if (loopClosed != null) {
                loopClosed.run();
            }
        }
    }
}
