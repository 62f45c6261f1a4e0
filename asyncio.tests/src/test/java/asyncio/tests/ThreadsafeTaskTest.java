package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code asyncio.run_coroutine_threadsafe}: tasks submitted from other threads. */
@ExtendWith(NoDescriptorLeaks.class)
class ThreadsafeTaskTest {
    private static final long WAIT_SECONDS = 10;

    @LoopTest
    void resultOfACoroutineSubmittedFromAnotherThread(LoopKind kind) throws InterruptedException {
        withLoopThread(kind, loop -> {
            CompletableFuture<String> result = Asyncio.runCoroutineThreadsafe(() -> {
                Asyncio.sleep(0);
                return "on " + (Asyncio.getRunningLoop() == loop ? "the loop" : "another loop");
            }, loop);
            assertEquals("on the loop", result.get(WAIT_SECONDS, TimeUnit.SECONDS));
        });
    }

    @LoopTest
    void exceptionOfASubmittedCoroutineCompletesTheFutureExceptionally(LoopKind kind) throws InterruptedException {
        IOException error = new IOException("remote failure");
        withLoopThread(kind, loop -> {
            CompletableFuture<String> result = Asyncio.runCoroutineThreadsafe(() -> {
                Asyncio.sleep(0);
                throw error;
            }, loop);
            ExecutionException thrown = assertThrows(ExecutionException.class,
                    () -> result.get(WAIT_SECONDS, TimeUnit.SECONDS));
            assertSame(error, thrown.getCause());
        });
    }

    @LoopTest
    void cancellingTheCompletableFutureCancelsTheTask(LoopKind kind) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        withLoopThread(kind, loop -> {
            CompletableFuture<Void> result = Asyncio.runCoroutineThreadsafe(() -> {
                Future<Void> never = Asyncio.getRunningLoop().createFuture();
                started.countDown();
                try {
                    return never.await();
                } catch (CancelledError error) {
                    cancelled.countDown();
                    throw error;
                }
            }, loop);
            assertTrue(started.await(WAIT_SECONDS, TimeUnit.SECONDS));
            assertTrue(result.cancel(true));
            assertTrue(cancelled.await(WAIT_SECONDS, TimeUnit.SECONDS), "the task saw CancelledError");
            assertThrows(CancellationException.class, result::join);
        });
    }

    @LoopTest
    void taskCancelledOnTheLoopCancelsTheCompletableFuture(LoopKind kind) throws InterruptedException {
        withLoopThread(kind, loop -> {
            CompletableFuture<Void> result = Asyncio.runCoroutineThreadsafe(() -> {
                Asyncio.currentTask().cancel();
                Asyncio.sleep(0);
                return null;
            }, loop);
            assertThrows(CancellationException.class, () -> result.get(WAIT_SECONDS, TimeUnit.SECONDS));
            assertTrue(result.isCancelled());
        });
    }

    @LoopTest
    void coroutineCancelledBeforeItWasScheduledNeverRuns(LoopKind kind) throws InterruptedException {
        withLoopThread(kind, loop -> {
            CountDownLatch gate = new CountDownLatch(1);
            AtomicReference<String> ran = new AtomicReference<>("no");
            // Hold the loop so the submission cannot start before the cancel.
            loop.callSoonThreadsafe(() -> awaitQuietly(gate));
            CompletableFuture<Void> result = Asyncio.runCoroutineThreadsafe(() -> {
                ran.set("yes");
                return null;
            }, loop);
            result.cancel(false);
            gate.countDown();
            CompletableFuture<Void> probe = Asyncio.runCoroutineThreadsafe(() -> null, loop);
            probe.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals("no", ran.get());
        });
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @LoopTest
    void submittingToAClosedLoopRaises(LoopKind kind) {
        EventLoop loop = kind.newLoop();
        loop.close();
        assertThrows(IllegalStateException.class, () -> Asyncio.runCoroutineThreadsafe(() -> 1, loop));
    }

    @LoopTest
    void manyThreadsSubmittingAtOnceAllGetTheirResults(LoopKind kind) throws InterruptedException {
        withLoopThread(kind, loop -> {
            int threads = 8;
            int perThread = 50;
            CompletableFuture<?>[] all = new CompletableFuture<?>[threads * perThread];
            Thread[] submitters = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                submitters[t] = new Thread(() -> {
                    for (int i = 0; i < perThread; i++) {
                        int value = base + i;
                        all[value] = Asyncio.runCoroutineThreadsafe(() -> {
                            Asyncio.sleep(0);
                            return value;
                        }, loop);
                    }
                });
                submitters[t].start();
            }
            for (Thread submitter : submitters) {
                submitter.join();
            }
            CompletableFuture.allOf(all).get(WAIT_SECONDS, TimeUnit.SECONDS);
            for (int i = 0; i < all.length; i++) {
                assertEquals(i, all[i].join());
            }
        });
    }

    /** A test body that may throw. */
    @FunctionalInterface
    private interface Body {
        void run(EventLoop loop) throws Exception;
    }

    /** Runs a loop on its own thread for the duration of {@code body}, then stops and closes it. */
    private static void withLoopThread(LoopKind kind, Body body) throws InterruptedException {
        EventLoop loop = kind.newLoop();
        Thread thread = new Thread(loop::runForever, "loop-under-test");
        thread.start();
        try {
            body.run(loop);
        } catch (RuntimeException | Error unchecked) {
            throw unchecked;
        } catch (Exception checked) {
            throw new AssertionError(checked);
        } finally {
            loop.callSoonThreadsafe(loop::stop);
            thread.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            assertFalse(thread.isAlive(), "the loop thread stopped");
            loop.close();
        }
    }
}
