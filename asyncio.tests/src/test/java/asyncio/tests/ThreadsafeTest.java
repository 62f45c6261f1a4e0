package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import asyncio.api.EventLoop;
import asyncio.api.Handle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.extension.ExtendWith;

/** What other threads may do to a loop: call_soon_threadsafe and stop, which wake a blocked loop at once. */
@ExtendWith(NoDescriptorLeaks.class)
class ThreadsafeTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    @LoopTest
    void callSoonThreadsafeWakesALoopBlockedWithNothingToDo(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Thread[] loopThread = new Thread[1];
            loop.callSoon(() -> {
                loopThread[0] = Thread.currentThread();
                Thread.ofPlatform().start(() -> {
                    awaitBlockedInPoll(loopThread[0], loop);
                    loop.callSoonThreadsafe(loop::stop);
                });
            });

            // No timer at all: only the wake-up can end this run.
            assertTimeoutPreemptively(BOUND, loop::runForever);

            assertFalse(loop.isRunning());
        }
    }

    @LoopTest
    void stopFromAnotherThreadWakesALoopBlockedWithNothingToDo(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            loop.callSoon(() -> {
                Thread loopThread = Thread.currentThread();
                Thread.ofPlatform().start(() -> {
                    awaitBlockedInPoll(loopThread, loop);
                    loop.stop();
                });
            });

            assertTimeoutPreemptively(BOUND, loop::runForever);

            assertFalse(loop.isRunning());
        }
    }

    @LoopTest
    void callSoonThreadsafeWakesALoopWaitingForADistantTimer(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            loop.callLater(3600, () -> { });
            List<String> ran = new ArrayList<>();
            loop.callSoon(() -> {
                Thread loopThread = Thread.currentThread();
                Thread.ofPlatform().start(() -> {
                    awaitBlockedInPoll(loopThread, loop);
                    loop.callSoonThreadsafe(() -> {
                        ran.add("from another thread");
                        loop.stop();
                    });
                });
            });

            assertTimeoutPreemptively(BOUND, loop::runForever);

            assertEquals(List.of("from another thread"), ran);
        }
    }

    @LoopTest
    void repeatedWakeupsFromAnotherThreadAreNeverLost(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            int rounds = 2000;
            int[] received = {0};
            CountDownLatch started = new CountDownLatch(1);
            // Ping-pong: each callback releases the next send only after it ran, so every send
            // finds the loop idle or about to block, which is where a lost wake-up would hang.
            java.util.concurrent.Semaphore turn = new java.util.concurrent.Semaphore(0);
            loop.callSoon(started::countDown);
            Thread sender = Thread.ofPlatform().start(() -> {
                try {
                    started.await(10, TimeUnit.SECONDS);
                    for (int i = 0; i < rounds; i++) {
                        loop.callSoonThreadsafe(() -> {
                            received[0]++;
                            turn.release();
                        });
                        if (!turn.tryAcquire(10, TimeUnit.SECONDS)) {
                            return;
                        }
                    }
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
                loop.stop();
            });

            assertTimeoutPreemptively(BOUND, loop::runForever);
            LoopLifecycleTest.join(sender);

            assertEquals(rounds, received[0]);
        }
    }

    @LoopTest
    void wakeUpsSentWhileTheLoopSpinsWithoutChannelsAreNotLostWhenItThenBlocks(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            int rounds = 2000;
            int[] received = {0};
            CountDownLatch started = new CountDownLatch(1);
            java.util.concurrent.Semaphore turn = new java.util.concurrent.Semaphore(0);
            // Each message keeps the loop busy for a few iterations with nothing registered (the
            // poll does not block, and a loop may skip it), and releases the next send at once:
            // sends land while the loop spins, as it stops spinning, and while it blocks.
            Runnable[] spin = new Runnable[1];
            int[] hops = {0};
            spin[0] = () -> {
                if (--hops[0] > 0) {
                    loop.callSoon(spin[0]);
                }
            };
            loop.callSoon(started::countDown);
            Thread sender = Thread.ofPlatform().start(() -> {
                try {
                    started.await(10, TimeUnit.SECONDS);
                    for (int i = 0; i < rounds; i++) {
                        int length = i % 7;
                        loop.callSoonThreadsafe(() -> {
                            received[0]++;
                            hops[0] = length;
                            spin[0].run();
                            turn.release();
                        });
                        if (!turn.tryAcquire(10, TimeUnit.SECONDS)) {
                            return;
                        }
                    }
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
                loop.stop();
            });

            assertTimeoutPreemptively(BOUND, loop::runForever);
            LoopLifecycleTest.join(sender);

            assertEquals(rounds, received[0]);
        }
    }

    @LoopTest
    void manyThreadsSchedulingManyCallbacksRunEachExactlyOnce(LoopKind kind) {
        int threads = 8;
        int perThread = 20_000;
        int total = threads * perThread;
        try (EventLoop loop = kind.newLoop()) {
            BitSet seen = new BitSet(total);
            int[] runs = {0};
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t * perThread;
                senders.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    for (int i = first; i < first + perThread; i++) {
                        int id = i;
                        loop.callSoonThreadsafe(() -> {
                            runs[0]++;
                            seen.set(id);
                            if (runs[0] == total) {
                                loop.stop();
                            }
                        });
                    }
                }));
            }
            loop.callSoon(go::countDown);

            assertTimeoutPreemptively(BOUND, loop::runForever);
            senders.forEach(LoopLifecycleTest::join);

            assertEquals(total, runs[0]);
            assertEquals(total, seen.cardinality());
        }
    }

    @LoopTest
    void callbacksFromOneThreadKeepTheirOrder(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            List<Integer> order = new ArrayList<>();
            int count = 10_000;
            loop.callSoon(() -> Thread.ofPlatform().start(() -> {
                for (int i = 0; i < count; i++) {
                    int n = i;
                    loop.callSoonThreadsafe(() -> order.add(n));
                }
                loop.callSoonThreadsafe(loop::stop);
            }));

            assertTimeoutPreemptively(BOUND, loop::runForever);

            assertEquals(count, order.size());
            for (int i = 0; i < count; i++) {
                assertEquals(i, order.get(i));
            }
        }
    }

    @LoopTest
    void callbacksScheduledFromAnotherThreadBeforeTheLoopRunsRunWhenItDoes(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            List<String> ran = new ArrayList<>();
            Thread other = Thread.ofPlatform().start(() -> loop.callSoonThreadsafe(() -> ran.add("early")));
            LoopLifecycleTest.join(other);

            LoopDriver.runOnce(loop);

            assertEquals(List.of("early"), ran);
        }
    }

    @LoopTest
    void aThreadsafeHandleCanBeCancelledBeforeItRuns(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            List<String> ran = new ArrayList<>();
            Handle[] handle = new Handle[1];
            Thread other = Thread.ofPlatform().start(() -> handle[0] = loop.callSoonThreadsafe(() -> ran.add("cancelled")));
            LoopLifecycleTest.join(other);

            handle[0].cancel();
            LoopDriver.runOnce(loop);

            assertEquals(List.of(), ran);
        }
    }

    @LoopTest
    void callSoonThreadsafeOnAClosedLoopRaisesInTheCallingThread(LoopKind kind) throws Exception {
        EventLoop loop = kind.newLoop();
        loop.close();
        Throwable[] error = new Throwable[1];
        Thread other = Thread.ofPlatform().start(() -> error[0] = LoopLifecycleTest.catchThrowable(
                () -> loop.callSoonThreadsafe(() -> { })));
        LoopLifecycleTest.join(other);

        LoopLifecycleTest.assertInstanceOfWithMessage(IllegalStateException.class, "Event loop is closed", error[0]);
        assertThrows(IllegalStateException.class, () -> loop.callSoonThreadsafe(() -> { }));
    }

    @LoopTest
    void stopFromAnotherThreadBeforeRunLetsOneIterationRun(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            List<String> ran = new ArrayList<>();
            loop.callSoon(() -> {
                ran.add("first iteration");
                loop.callSoon(() -> ran.add("second iteration"));
            });
            Thread other = Thread.ofPlatform().start(loop::stop);
            LoopLifecycleTest.join(other);

            assertTimeoutPreemptively(BOUND, loop::runForever);

            assertEquals(List.of("first iteration"), ran);
        }
    }

    /**
     * Waits (bounded) until {@code loopThread} is inside the loop's poll, i.e. about to block or
     * blocked, so that what the caller does next must wake it. Gives up after a few seconds, which
     * only weakens the test (the wake-up must work at any point anyway).
     */
    static void awaitBlockedInPoll(Thread loopThread, EventLoop loop) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            for (StackTraceElement frame : loopThread.getStackTrace()) {
                if (frame.getMethodName().equals("poll") && isLoopClass(frame.getClassName(), loop.getClass())) {
                    return;
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    private static boolean isLoopClass(String className, Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(className)) {
                return true;
            }
        }
        return false;
    }
}
