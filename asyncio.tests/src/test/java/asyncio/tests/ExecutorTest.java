package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.EventLoop;
import asyncio.api.Future;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtendWith;

/** asyncio's run_in_executor, set_default_executor and shutdown_default_executor. */
@ExtendWith(NoDescriptorLeaks.class)
class ExecutorTest {

    @LoopTest
    void runInExecutorRunsTheFunctionOnAnotherThreadAndGivesItsResult(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Thread[] ranOn = new Thread[1];
            Future<String> future = loop.runInExecutor(null, () -> {
                ranOn[0] = Thread.currentThread();
                return "computed";
            });

            assertEquals("computed", loop.runUntilComplete(future));
            assertNotSame(Thread.currentThread(), ranOn[0]);
            assertSame(loop, future.getLoop());
        }
    }

    @LoopTest
    void runInExecutorPassesTheFunctionsExceptionUnchanged(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            IOException failure = new IOException("checked, from the worker");
            Future<String> future = loop.runInExecutor(null, () -> {
                throw failure;
            });

            IOException thrown = assertThrows(IOException.class, () -> loop.runUntilComplete(future));

            assertSame(failure, thrown);
        }
    }

    @LoopTest
    void runInExecutorUsesTheGivenExecutor(LoopKind kind) {
        ExecutorService mine = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "mine"));
        try (EventLoop loop = kind.newLoop()) {
            Future<String> future = loop.runInExecutor(mine, () -> Thread.currentThread().getName());

            assertEquals("mine", loop.runUntilComplete(future));
        } finally {
            mine.shutdownNow();
        }
    }

    @LoopTest
    void cancellingTheFutureBeforeTheJobStartsMeansItNeverRuns(LoopKind kind) throws Exception {
        ExecutorService single = Executors.newSingleThreadExecutor();
        CountDownLatch release = new CountDownLatch(1);
        try (EventLoop loop = kind.newLoop()) {
            AtomicBoolean cancelledJobRan = new AtomicBoolean();
            Future<Boolean> blocker = loop.runInExecutor(single, () -> release.await(10, TimeUnit.SECONDS));
            Future<Object> queued = loop.runInExecutor(single, () -> {
                cancelledJobRan.set(true);
                return null;
            });

            assertTrue(queued.cancel());
            // As in asyncio, the cancellation reaches the executor's future through a done callback.
            LoopDriver.runOnce(loop);
            release.countDown();
            assertTrue(loop.runUntilComplete(blocker));
            // The single worker takes jobs in order: once this one ran, the cancelled one was skipped.
            assertEquals("after", loop.runUntilComplete(loop.runInExecutor(single, () -> "after")));

            assertTrue(queued.cancelled());
            assertFalse(cancelledJobRan.get());
        } finally {
            release.countDown();
            single.shutdownNow();
        }
    }

    @LoopTest
    void theDefaultExecutorIsCreatedOnceAndReused(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Set<Thread> workers = new HashSet<>();
            int jobs = 3 * (Runtime.getRuntime().availableProcessors() + 4);
            for (int i = 0; i < jobs; i++) {
                workers.add(loop.runUntilComplete(loop.runInExecutor(null, Thread::currentThread)));
            }

            // One pool of min(32, cores + 4) threads serves every call; a pool per call would use a thread per job.
            assertTrue(workers.size() <= Math.min(32, Runtime.getRuntime().availableProcessors() + 4),
                    workers.size() + " threads for " + jobs + " sequential jobs");
        }
    }

    @LoopTest
    void setDefaultExecutorReplacesItAndCloseShutsItDown(LoopKind kind) {
        ExecutorService custom = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "custom-default"));
        try {
            EventLoop loop = kind.newLoop();
            try {
                loop.setDefaultExecutor(custom);
                assertEquals("custom-default",
                        loop.runUntilComplete(loop.runInExecutor(null, () -> Thread.currentThread().getName())));
            } finally {
                loop.close();
            }

            assertTrue(custom.isShutdown(), "close() shuts the default executor down");
        } finally {
            custom.shutdownNow();
        }
    }

    @LoopTest
    void setDefaultExecutorRejectsNull(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            assertThrows(NullPointerException.class, () -> loop.setDefaultExecutor(null));
        }
    }

    @LoopTest
    void shutdownDefaultExecutorWaitsForTheWorkersThenRefusesTheDefaultExecutor(LoopKind kind) throws Exception {
        try (EventLoop loop = kind.newLoop()) {
            Thread worker = loop.runUntilComplete(loop.runInExecutor(null, Thread::currentThread));

            assertNull(loop.runUntilComplete(loop.shutdownDefaultExecutor(null)));

            worker.join(10_000);
            assertFalse(worker.isAlive(), "the default executor's threads have ended");
            IllegalStateException error = assertThrows(IllegalStateException.class,
                    () -> loop.runInExecutor(null, () -> 1));
            assertEquals("Executor shutdown has been called", error.getMessage());
        }
    }

    @LoopTest
    void anExplicitExecutorStillWorksAfterTheDefaultOneWasShutDown(LoopKind kind) {
        ExecutorService mine = Executors.newSingleThreadExecutor();
        try (EventLoop loop = kind.newLoop()) {
            loop.runUntilComplete(loop.shutdownDefaultExecutor(Duration.ofSeconds(10)));

            assertEquals(5, loop.runUntilComplete(loop.runInExecutor(mine, () -> 5)));
        } finally {
            mine.shutdownNow();
        }
    }

    @LoopTest
    void shutdownDefaultExecutorCompletesAtOnceWhenNoneWasCreated(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Future<Void> done = loop.shutdownDefaultExecutor(null);

            LoopDriver.runUntil(loop, 0.001, () -> { }, done::done);

            assertNull(done.result());
            assertThrows(IllegalStateException.class, () -> loop.runInExecutor(null, () -> 1));
        }
    }

    @LoopTest
    void shutdownDefaultExecutorGivesUpWaitingAfterTheTimeout(LoopKind kind) {
        CountDownLatch release = new CountDownLatch(1);
        try (EventLoop loop = kind.newLoop()) {
            Future<Boolean> stuck = loop.runInExecutor(null, () -> release.await(30, TimeUnit.SECONDS));
            double start = loop.time();

            assertNull(loop.runUntilComplete(loop.shutdownDefaultExecutor(Duration.ofMillis(50))));

            double waited = loop.time() - start;
            assertTrue(waited >= 0.04 && waited < 10, "waited " + waited + " s");
            assertFalse(stuck.done(), "the job is still running: shutdown did not wait for it");
            release.countDown();
            assertTrue(loop.runUntilComplete(stuck));
        } finally {
            release.countDown();
        }
    }

    @LoopTest
    void manyConcurrentJobsAllComplete(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            AtomicInteger ran = new AtomicInteger();
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                int n = i;
                futures.add(loop.runInExecutor(null, () -> {
                    ran.incrementAndGet();
                    return n;
                }));
            }
            Future<Void> all = loop.createFuture();
            int[] remaining = {futures.size()};
            for (Future<Integer> future : futures) {
                future.addDoneCallback(done -> {
                    if (--remaining[0] == 0) {
                        all.setResult(null);
                    }
                });
            }

            loop.runUntilComplete(all);

            assertEquals(500, ran.get());
            for (int i = 0; i < futures.size(); i++) {
                assertEquals(i, futures.get(i).result());
            }
        }
    }
}
