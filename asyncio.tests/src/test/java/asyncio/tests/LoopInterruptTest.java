package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import asyncio.api.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Thread.interrupt() of the thread running a loop, by one of its callbacks or by another thread.
 * A selector's wait returns at once while the flag is set, so a loop that left it set would poll
 * in a busy loop until it stopped; and an interruptible channel a callback touches would be
 * closed by it. The loop clears the flag around its poll, so callbacks that run afterwards do
 * not see it, and sets it again when runForever returns, for the code that ran the loop.
 */
@ExtendWith(NoDescriptorLeaks.class)
class LoopInterruptTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    @LoopTest
    void aCallbackInterruptingTheLoopThreadIsHandedBackWhenTheRunEndsAndNotSeenMeanwhile(LoopKind kind) {
        List<Boolean> seen = new ArrayList<>();
        try (EventLoop loop = kind.newLoop()) {
            loop.callSoon(() -> Thread.currentThread().interrupt());
            // A timer makes the loop wait in its poll between the two callbacks.
            loop.callLater(0.05, () -> seen.add(Thread.currentThread().isInterrupted()));
            loop.callLater(0.1, () -> {
                seen.add(Thread.currentThread().isInterrupted());
                loop.stop();
            });
            // The run has a thread of its own: the interrupt stays there.
            assertTimeoutPreemptively(BOUND, () -> {
                loop.runForever();
                seen.add(Thread.interrupted());
            });
        }
        assertEquals(List.of(false, false, true), seen);
    }

    @LoopTest
    void anInterruptFromAnotherThreadWhileTheLoopWaitsIsHandedBackWhenTheRunEnds(LoopKind kind) {
        List<Boolean> seen = new ArrayList<>();
        try (EventLoop loop = kind.newLoop()) {
            Thread[] interrupter = new Thread[1];
            loop.callSoon(() -> {
                Thread loopThread = Thread.currentThread();
                interrupter[0] = Thread.ofPlatform().start(() -> {
                    ThreadsafeTest.awaitBlockedInPoll(loopThread, loop);
                    loopThread.interrupt();
                    loop.callSoonThreadsafe(() -> {
                        seen.add(Thread.currentThread().isInterrupted());
                        loop.stop();
                    });
                });
            });
            // Nothing else to do: only the thread-safe callback can end the run.
            try {
                assertTimeoutPreemptively(BOUND, () -> {
                    loop.runForever();
                    seen.add(Thread.interrupted());
                });
                interrupter[0].join(BOUND.toMillis());
            } catch (InterruptedException unexpected) {
                throw new AssertionError(unexpected);
            }
        }
        assertEquals(List.of(false, true), seen);
    }

    @LoopTest
    void aRunStartedWithTheFlagSetKeepsItFromItsCallbacksAndHandsItBack(LoopKind kind) {
        List<Boolean> seen = new ArrayList<>();
        try (EventLoop loop = kind.newLoop()) {
            loop.callLater(0.05, () -> {
                seen.add(Thread.currentThread().isInterrupted());
                loop.stop();
            });
            assertTimeoutPreemptively(BOUND, () -> {
                // As a runner's second run_until_complete finds it after an interrupted first one.
                Thread.currentThread().interrupt();
                loop.runForever();
                seen.add(Thread.interrupted());
            });
        }
        assertEquals(List.of(false, true), seen);
    }
}
