package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * docs/develop.md, "Concurrency and threads" and "Blocking calls": how other threads talk to a
 * loop, and how blocking work leaves the loop thread free.
 */
@ExtendWith(NoDescriptorLeaks.class)
class DevelopGuideThreadsTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    @LoopTest
    void callSoonThreadsafeRunsTheCallbackOnTheLoopThread(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            AtomicReference<Thread> ranOn = new AtomicReference<>();
            Thread other = Thread.ofPlatform().start(() -> loop.callSoonThreadsafe(() -> {
                ranOn.set(Thread.currentThread());
                loop.stop();
            }));

            LoopDriver.runUntilStopped(loop);
            LoopLifecycleTest.join(other);

            assertSame(Thread.currentThread(), ranOn.get(), "the thread that runs the loop ran the callback");
        }
    }

    @LoopTest
    void runCoroutineThreadsafeRunsACoroutineOnALoopOfAnotherThread(LoopKind kind) throws Exception {
        try (EventLoop loop = kind.newLoop()) {
            Thread loopThread = Thread.ofPlatform().name("loop").start(loop::runForever);
            try {
                CompletableFuture<String> answer = Asyncio.runCoroutineThreadsafe(() -> {
                    Asyncio.sleep(0);
                    return Asyncio.getRunningLoop() == loop ? "ran on the loop" : "elsewhere";
                }, loop);
                assertEquals("ran on the loop", answer.get(BOUND.toSeconds(), TimeUnit.SECONDS));

                CountDownLatch started = new CountDownLatch(1);
                CompletableFuture<String> endless = Asyncio.runCoroutineThreadsafe(() -> {
                    started.countDown();
                    Asyncio.sleep(3600);
                    return "slept";
                }, loop);
                assertTrue(started.await(BOUND.toSeconds(), TimeUnit.SECONDS));
                endless.cancel(false);
                // Cancelling the CompletableFuture cancels the task on the loop: the loop runs on.
                assertThrows(CancellationException.class, endless::join);
                assertEquals(0, Asyncio.runCoroutineThreadsafe(() -> Asyncio.allTasks().size() - 1, loop)
                        .get(BOUND.toSeconds(), TimeUnit.SECONDS), "no task of ours is left on the loop");
            } finally {
                loop.stop();
                LoopLifecycleTest.join(loopThread);
            }
        }
    }

    @LoopTest
    void theRunningLoopIsInvisibleFromOtherThreads(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            List<Throwable> errors = DevelopGuideDebugModeTest.fromAnotherThreadWhileRunning(loop,
                    List.of(Asyncio::getRunningLoop));
            assertInstanceOf(IllegalStateException.class, errors.get(0));
        }
    }

    @LoopTest
    void inDebugModeCompletingAnAwaitedFutureFromAnotherThreadRaises(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            loop.setDebug(true);
            Future<String> wrong = loop.createFuture();
            wrong.addDoneCallback(done -> { });
            Future<String> right = loop.createFuture();
            List<String> results = new ArrayList<>();
            right.addDoneCallback(done -> results.add(done.result()));

            List<Throwable> errors = DevelopGuideDebugModeTest.fromAnotherThreadWhileRunning(loop, List.of(
                    () -> wrong.setResult("from another thread"),
                    () -> loop.callSoonThreadsafe(() -> right.setResult("handed to the loop"))));
            LoopDriver.runOnce(loop);
            LoopDriver.runOnce(loop);

            assertInstanceOf(IllegalStateException.class, errors.get(0));
            assertTrue(errors.get(0).getMessage().startsWith("Non-thread-safe operation callSoon"), errors.get(0).getMessage());
            assertEquals(null, errors.get(1));
            assertEquals(List.of("handed to the loop"), results);
        }
    }

    @LoopTest
    void toThreadRunsABlockingCallWhileTheLoopKeepsRunning(LoopKind kind) {
        kind.run(() -> {
            CountDownLatch released = new CountDownLatch(1);
            Thread loopThread = Thread.currentThread();
            Future<Thread> blocking = Asyncio.toThread(() -> {
                // Blocks its own thread until the loop, still running, lets it go.
                assertTrue(released.await(BOUND.toSeconds(), TimeUnit.SECONDS));
                return Thread.currentThread();
            });
            int ticks = 0;
            while (ticks < 10) {
                Asyncio.sleep(0);
                ticks++;
            }
            released.countDown();

            assertNotSame(loopThread, blocking.await());
            assertEquals(10, ticks);
            return null;
        });
    }

    @LoopTest
    void runInExecutorTakesAnExecutorOfYourOwn(LoopKind kind) {
        ExecutorService jdbcPool = Executors.newFixedThreadPool(1, work -> Thread.ofPlatform().name("jdbc").unstarted(work));
        try {
            String thread = kind.run(() -> Asyncio.getRunningLoop()
                    .runInExecutor(jdbcPool, () -> Thread.currentThread().getName()).await());
            assertEquals("jdbc", thread);
        } finally {
            jdbcPool.shutdownNow();
        }
    }

    @LoopTest
    void aCompletableFutureIsAwaitedThroughWrapFutureWhileTheLoopKeepsRunning(LoopKind kind) {
        kind.run(() -> {
            CountDownLatch released = new CountDownLatch(1);
            CompletableFuture<String> fromAnotherLibrary = CompletableFuture.supplyAsync(() -> {
                try {
                    assertTrue(released.await(BOUND.toSeconds(), TimeUnit.SECONDS));
                } catch (InterruptedException interrupted) {
                    throw new IllegalStateException(interrupted);
                }
                return "completed elsewhere";
            });
            Task<String> waiter = Asyncio.createTask(
                    () -> Asyncio.wrapFuture(fromAnotherLibrary, Asyncio.getRunningLoop()).await());
            // join() here would block the loop for good: the latch below would never be released.
            for (int tick = 0; tick < 10; tick++) {
                Asyncio.sleep(0);
            }
            assertFalse(waiter.done());
            released.countDown();

            assertEquals("completed elsewhere", waiter.await());
            return null;
        });
    }
}
