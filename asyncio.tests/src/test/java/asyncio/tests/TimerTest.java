package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.EventLoop;
import asyncio.api.TimerHandle;
import asyncio.selector.SelectorEventLoop;
import asyncio.spi.BaseEventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Timers: asyncio's call_later/call_at, TimerHandle, and the lazily compacted timer heap. */
@ExtendWith(NoDescriptorLeaks.class)
class TimerTest {
    /** More than the heap's compaction threshold, so compaction must kick in. */
    private static final int MANY = 1_000_000;

    @LoopTest
    void timersRunInTimeOrder(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            List<String> order = new ArrayList<>();
            // One base time: delays measured from successive time() calls could cross under load.
            double now = loop.time();
            loop.callAt(now + 0.03, () -> {
                order.add("third");
                loop.stop();
            });
            loop.callAt(now + 0.01, () -> order.add("first"));
            loop.callAt(now + 0.02, () -> order.add("second"));

            LoopDriver.runUntilStopped(loop);

            assertEquals(List.of("first", "second", "third"), order);
        }
    }

    @LoopTest
    void timersDueAtTheSameTimeRunInSchedulingOrder(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            List<Integer> order = new ArrayList<>();
            double when = loop.time() + 0.01;
            for (int i = 0; i < 100; i++) {
                int n = i;
                loop.callAt(when, () -> order.add(n));
            }
            loop.callAt(when, loop::stop);

            LoopDriver.runUntilStopped(loop);

            for (int i = 0; i < 100; i++) {
                assertEquals(i, order.get(i));
            }
        }
    }

    @LoopTest
    void aTimerInThePastRunsAtTheNextIterationAfterTheReadyCallbacks(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            List<String> order = new ArrayList<>();
            loop.callSoon(() -> order.add("ready before"));
            loop.callAt(loop.time() - 10, () -> order.add("timer in the past"));
            loop.callLater(-5, () -> order.add("negative delay"));
            loop.callSoon(() -> order.add("ready after"));

            LoopDriver.runOnce(loop);

            assertEquals(List.of("ready before", "ready after", "timer in the past", "negative delay"), order);
        }
    }

    @LoopTest
    void aTimerNeverRunsBeforeItsTime(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            double[] ranAt = new double[1];
            TimerHandle timer = loop.callLater(0.05, () -> {
                ranAt[0] = loop.time();
                loop.stop();
            });

            LoopDriver.runUntilStopped(loop);

            assertTrue(ranAt[0] >= timer.when(), "ran at " + ranAt[0] + ", due at " + timer.when());
        }
    }

    @LoopTest
    void theLoopWaitsForTheEarliestTimerWhenNothingElseIsReady(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            double start = loop.time();
            loop.callLater(0.05, loop::stop);
            loop.callLater(30, () -> { });

            LoopDriver.runUntilStopped(loop);

            double elapsed = loop.time() - start;
            assertTrue(elapsed >= 0.05, "stopped after " + elapsed + " s");
            assertTrue(elapsed < 5, "the loop waited for the later timer: " + elapsed + " s");
        }
    }

    @LoopTest
    void whenIsTheLoopTimeTheTimerIsDueAt(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            double before = loop.time();
            TimerHandle later = loop.callLater(2.5, () -> { });
            double after = loop.time();
            TimerHandle at = loop.callAt(before + 7, () -> { });
            TimerHandle byDuration = loop.callLater(Duration.ofMillis(1500), () -> { });

            assertTrue(later.when() >= before + 2.5 && later.when() <= after + 2.5, String.valueOf(later.when()));
            assertEquals(before + 7, at.when());
            assertTrue(byDuration.when() >= before + 1.5 && byDuration.when() <= loop.time() + 1.5);
            assertTrue(at.toString().contains("when="), at.toString());
        }
    }

    @LoopTest
    void timeIsMonotonicSeconds(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            double first = loop.time();
            long nanosBefore = System.nanoTime();
            double previous = first;
            for (int i = 0; i < 10_000; i++) {
                double now = loop.time();
                assertTrue(now >= previous);
                previous = now;
            }
            long nanos = System.nanoTime() - nanosBefore;
            // Seconds, not milliseconds or nanoseconds: the loop clock advanced no faster than wall time.
            assertTrue(previous - first <= nanos * 1e-9 + 0.01, (previous - first) + " s vs " + nanos + " ns");
        }
    }

    @LoopTest
    void aCancelledTimerNeverRuns(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            List<String> order = new ArrayList<>();
            TimerHandle cancelled = loop.callLater(0.01, () -> order.add("cancelled"));
            loop.callLater(0.02, () -> {
                order.add("kept");
                loop.stop();
            });

            cancelled.cancel();
            LoopDriver.runUntilStopped(loop);

            assertTrue(cancelled.cancelled());
            assertEquals(List.of("kept"), order);
        }
    }

    @LoopTest
    void aTimerCancelledByACallbackOfTheSameIterationDoesNotRun(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            List<String> order = new ArrayList<>();
            TimerHandle[] victim = new TimerHandle[1];
            double when = loop.time() - 1;
            loop.callAt(when, () -> victim[0].cancel());
            victim[0] = loop.callAt(when, () -> order.add("victim"));

            LoopDriver.runOnce(loop);

            assertEquals(List.of(), order);
        }
    }

    @LoopTest
    void nanDelaysAreRejected(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            assertThrows(IllegalArgumentException.class, () -> loop.callLater(Double.NaN, () -> { }));
            assertThrows(IllegalArgumentException.class, () -> loop.callAt(Double.NaN, () -> { }));
        }
    }

    @LoopTest
    void aTimerThatNeverComesDoesNotKeepStopFromWorking(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            loop.callLater(Double.POSITIVE_INFINITY, () -> { });
            loop.callLater(1e300, () -> { });
            loop.callLater(0.01, loop::stop);

            LoopDriver.runUntilStopped(loop);

            assertFalse(loop.isRunning());
        }
    }

    @LoopTest
    void shuffledTimersWithManyTiesRunByTimeThenSchedulingOrderAcrossCompactions(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            // A fixed seed: the same shuffle every run, mixing ties, cancellations and compactions.
            Random random = new Random(7);
            double past = loop.time() - 1;
            int count = 20_000;
            int[] slot = new int[count];
            List<TimerHandle> timers = new ArrayList<>(count);
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                slot[i] = random.nextInt(50);
                timers.add(loop.callAt(past + slot[i] * 1e-3, () -> order.add(n)));
            }
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                if (random.nextInt(3) != 0) {
                    timers.get(i).cancel();
                } else {
                    expected.add(i);
                }
            }
            expected.sort(Comparator.comparingInt((Integer i) -> slot[i]).thenComparingInt(i -> i));

            LoopDriver.runOnce(loop);

            assertEquals(expected, order);
        }
    }

    // --- the heap: cancelled timers are dropped lazily and compacted ---

    @LoopTest
    void cancellingMostOfAMillionTimersCompactsTheHeap(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            BaseEventLoop base = (BaseEventLoop) loop;
            Runnable noop = () -> { };
            List<TimerHandle> timers = new ArrayList<>(MANY);
            for (int i = 0; i < MANY; i++) {
                timers.add(loop.callLater(3600 + i, noop));
            }
            assertEquals(MANY, base.scheduledTimerCount());

            for (TimerHandle timer : timers) {
                timer.cancel();
            }

            assertTrue(base.scheduledTimerCount() <= 1000,
                    "cancelled timers still held: " + base.scheduledTimerCount());
        }
    }

    @LoopTest
    void schedulingAndCancellingTimersOneByOneKeepsTheHeapSmall(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            BaseEventLoop base = (BaseEventLoop) loop;
            Runnable noop = () -> { };
            int largest = 0;
            for (int i = 0; i < MANY; i++) {
                loop.callLater(60, noop).cancel();
                largest = Math.max(largest, base.scheduledTimerCount());
            }

            assertTrue(largest <= 1000, "the heap grew to " + largest + " cancelled timers");
        }
    }

    @LoopTest
    void liveTimersSurviveCompactionAndStillRunInOrder(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            BaseEventLoop base = (BaseEventLoop) loop;
            List<Integer> order = new ArrayList<>();
            List<TimerHandle> timers = new ArrayList<>();
            double base0 = loop.time() - 1;
            for (int i = 0; i < 10_000; i++) {
                int n = i;
                timers.add(loop.callAt(base0 + i * 1e-6, () -> order.add(n)));
            }
            for (int i = 0; i < timers.size(); i++) {
                if (i % 10 != 0) {
                    timers.get(i).cancel();
                }
            }
            assertTrue(base.scheduledTimerCount() < 5_000, "no compaction: " + base.scheduledTimerCount());

            LoopDriver.runOnce(loop);

            assertEquals(1000, order.size());
            for (int i = 0; i < order.size(); i++) {
                assertEquals(i * 10, order.get(i));
            }
            assertEquals(0, base.scheduledTimerCount());
        }
    }

    @LoopTest
    void cancelledTimersAtTheHeadAreDroppedByTheNextIteration(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            BaseEventLoop base = (BaseEventLoop) loop;
            List<TimerHandle> timers = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                timers.add(loop.callLater(3600 + i, () -> { }));
            }
            timers.forEach(TimerHandle::cancel);
            assertEquals(50, base.scheduledTimerCount(), "below the compaction threshold nothing is rebuilt");

            LoopDriver.runOnce(loop);

            assertEquals(0, base.scheduledTimerCount());
        }
    }

    @LoopTest
    void timersDueAtTheSameTimeWithTheSameCallbackAreEqualAndHashAlike(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Runnable callback = () -> { };
            double when = loop.time() + 3600;
            TimerHandle first = loop.callAt(when, callback);
            TimerHandle second = loop.callAt(when, callback);

            assertEquals(first, second);
            assertEquals(first.hashCode(), second.hashCode());
            assertEquals(Double.hashCode(when), first.hashCode(), "hashed by when alone");
            assertEquals(0, first.compareTo(first));
            first.cancel();
            second.cancel();
        }
    }

    @LoopTest
    void timersWithAnotherTimeOrCallbackOrCancelledStateAreNotEqual(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Runnable callback = () -> { };
            double when = loop.time() + 3600;
            TimerHandle timer = loop.callAt(when, callback);
            TimerHandle later = loop.callAt(when + 1, callback);
            TimerHandle otherCallback = loop.callAt(when, () -> { });
            TimerHandle toCancel = loop.callAt(when, callback);

            assertNotEquals(timer, later);
            assertNotEquals(timer, otherCallback);
            toCancel.cancel();
            assertNotEquals(timer, toCancel, "a cancelled timer differs from a pending one");
            assertNotEquals(timer, new Object());
            assertNotEquals(timer, loop.callSoon(callback), "a plain handle is never equal to a timer");

            timer.cancel();
            assertEquals(timer, toCancel, "two cancelled timers of the same time are equal");
            later.cancel();
            otherCallback.cancel();
        }
    }

    // --- how the selector loop waits ---

    /**
     * Selector only: a distant timer must make the selector sleep, not spin. (This needs to count
     * the loop's polls, which only a subclass of the concrete loop can do.)
     */
    @Test
    void aDistantTimerLetsTheSelectorLoopSleepInsteadOfSpinning() throws Exception {
        CountingSelectorLoop loop = new CountingSelectorLoop();
        try {
            for (double far : new double[] {1e7, 1e12, Double.POSITIVE_INFINITY}) {
                loop.polls.set(0);
                TimerHandle timer = loop.callLater(far, () -> { });
                CountDownLatch running = new CountDownLatch(1);
                loop.callSoon(running::countDown);
                Thread stopper = Thread.ofPlatform().start(() -> {
                    try {
                        running.await(10, TimeUnit.SECONDS);
                        // The behaviour is about time: leave the loop alone for a while, then stop it.
                        Thread.sleep(100);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                    }
                    loop.stop();
                });
                assertTimeoutPreemptively(Duration.ofSeconds(10), loop::runForever);
                LoopLifecycleTest.join(stopper);
                timer.cancel();

                assertTrue(loop.polls.get() <= 5, "delay " + far + ": the loop polled " + loop.polls.get()
                        + " times in 100 ms with nothing to do");
            }
        } finally {
            loop.close();
        }
    }

    /** A selector loop that counts its polls. */
    private static final class CountingSelectorLoop extends SelectorEventLoop {
        final AtomicInteger polls = new AtomicInteger();

        @Override
        protected void poll(long timeoutNanos) {
            polls.incrementAndGet();
            super.poll(timeoutNanos);
        }
    }
}
