package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.EventLoop;
import asyncio.api.Handle;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;

/** Ready callbacks: asyncio's call_soon FIFO, one iteration at a time, and Handle.cancel(). */
@ExtendWith(NoDescriptorLeaks.class)
class CallbackOrderTest {

    @LoopTest
    void callbacksRunInTheOrderTheyWereScheduled(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                int n = i;
                loop.callSoon(() -> order.add(n));
            }

            LoopDriver.runOnce(loop);

            assertEquals(1000, order.size());
            for (int i = 0; i < 1000; i++) {
                assertEquals(i, order.get(i));
            }
        }
    }

    @LoopTest
    void callbacksScheduledByACallbackRunAtTheNextIteration(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            List<String> order = new ArrayList<>();
            loop.callSoon(() -> {
                order.add("a");
                loop.callSoon(() -> order.add("c, scheduled by a"));
            });
            loop.callSoon(() -> order.add("b"));

            LoopDriver.runOnce(loop);
            assertEquals(List.of("a", "b"), order);

            LoopDriver.runOnce(loop);
            assertEquals(List.of("a", "b", "c, scheduled by a"), order);
        }
    }

    @LoopTest
    void aCallbackThatKeepsReschedulingItselfDoesNotStarveTheLoop(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            int[] spins = {0};
            Runnable[] spin = new Runnable[1];
            spin[0] = () -> {
                spins[0]++;
                loop.callSoon(spin[0]);
            };
            loop.callSoon(spin[0]);
            loop.callLater(0.02, loop::stop);

            LoopDriver.runUntilStopped(loop);

            assertTrue(spins[0] > 1, "the self-rescheduling callback ran once per iteration");
        }
    }

    @LoopTest
    void callSoonReturnsAnUncancelledHandleOfThisLoop(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Runnable callback = () -> { };
            Handle handle = loop.callSoon(callback);

            assertFalse(handle.cancelled());
            assertSame(loop, handle.getLoop());
            assertSame(callback, handle.callback());
        }
    }

    @LoopTest
    void aCancelledCallbackNeverRuns(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            List<String> order = new ArrayList<>();
            loop.callSoon(() -> order.add("kept before"));
            Handle cancelled = loop.callSoon(() -> order.add("cancelled"));
            loop.callSoon(() -> order.add("kept after"));

            cancelled.cancel();
            LoopDriver.runOnce(loop);

            assertTrue(cancelled.cancelled());
            assertEquals(List.of("kept before", "kept after"), order);
        }
    }

    @LoopTest
    void aCallbackCanCancelOneLaterInTheSameIteration(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            List<String> order = new ArrayList<>();
            Handle[] victim = new Handle[1];
            loop.callSoon(() -> victim[0].cancel());
            victim[0] = loop.callSoon(() -> order.add("victim"));
            loop.callSoon(() -> order.add("bystander"));

            LoopDriver.runOnce(loop);

            assertEquals(List.of("bystander"), order);
        }
    }

    @LoopTest
    void cancelIsIdempotentAndAfterRunningChangesNothing(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            int[] runs = {0};
            Handle handle = loop.callSoon(() -> runs[0]++);
            LoopDriver.runOnce(loop);

            handle.cancel();
            handle.cancel();
            LoopDriver.runOnce(loop);

            assertTrue(handle.cancelled());
            assertEquals(1, runs[0]);
        }
    }

    @LoopTest
    void aCancelledHandleLetsGoOfItsCallback(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Handle soon = loop.callSoon(() -> { });
            Handle timer = loop.callLater(3600, () -> { });

            soon.cancel();
            timer.cancel();

            assertNull(soon.callback());
            assertNull(timer.callback());
            assertEquals("<Handle cancelled>", soon.toString());
        }
    }

    @LoopTest
    void inDebugModeACancelledHandleStillNamesItsCallback(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            loop.setDebug(true);
            Runnable named = new Runnable() {
                @Override
                public void run() {
                }

                @Override
                public String toString() {
                    return "named-callback";
                }
            };
            Handle handle = loop.callSoon(named);

            handle.cancel();

            assertEquals("<Handle cancelled named-callback>", handle.toString());
        }
    }

    @LoopTest
    void callbacksRunOnTheThreadThatRunsTheLoop(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            List<Thread> threads = new ArrayList<>();
            loop.callSoon(() -> threads.add(Thread.currentThread()));
            loop.callLater(0, () -> threads.add(Thread.currentThread()));
            loop.callSoonThreadsafe(() -> threads.add(Thread.currentThread()));

            LoopDriver.runOnce(loop);

            assertEquals(List.of(Thread.currentThread(), Thread.currentThread(), Thread.currentThread()), threads);
        }
    }

    @LoopTest
    void callSoonRejectsNull(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            assertThrows(NullPointerException.class, () -> loop.callSoon(null));
            assertThrows(NullPointerException.class, () -> loop.callSoonThreadsafe(null));
            assertThrows(NullPointerException.class, () -> loop.callLater(1, null));
            assertThrows(NullPointerException.class, () -> loop.callAt(1, null));
        }
    }

    @LoopTest
    void handleToStringNamesItsStateAndCallback(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Runnable callback = new Runnable() {
                @Override
                public void run() {
                }

                @Override
                public String toString() {
                    return "my-callback";
                }
            };
            Handle handle = loop.callSoon(callback);
            assertTrue(handle.toString().contains("my-callback"), handle.toString());
            assertFalse(handle.toString().contains("cancelled"), handle.toString());

            handle.cancel();

            assertTrue(handle.toString().contains("cancelled"), handle.toString());
        }
    }
    @LoopTest
    void aThreadsafeCallbackRegisteredBeforeTheLoopRunsKeepsItsPlace(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            List<String> order = new ArrayList<>();
            loop.callSoonThreadsafe(() -> order.add("a, threadsafe"));
            loop.callSoon(() -> order.add("b"));
            loop.callSoonThreadsafe(() -> order.add("c, threadsafe"));

            LoopDriver.runOnce(loop);

            assertEquals(List.of("a, threadsafe", "b", "c, threadsafe"), order);
        }
    }

    @LoopTest
    void aCallbackAnotherThreadRegisteredFirstRunsBeforeOneTheLoopThreadRegistersAfter(LoopKind kind)
            throws Exception {
        try (EventLoop loop = kind.newLoop()) {
            List<String> order = new ArrayList<>();
            loop.callSoon(() -> {
                Thread other = new Thread(() -> loop.callSoonThreadsafe(() -> order.add("a, from another thread")));
                other.start();
                try {
                    other.join();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                loop.callSoon(() -> order.add("b, from the loop thread"));
                loop.callSoon(loop::stop);
            });

            LoopDriver.runUntilStopped(loop);

            assertEquals(List.of("a, from another thread", "b, from the loop thread"), order);
        }
    }

    @LoopTest
    void aTaskStepRegisteredAfterAThreadsafeCallbackRunsAfterIt(LoopKind kind) {
        List<String> order = new ArrayList<>();
        kind.run(() -> {
            EventLoop loop = asyncio.api.Asyncio.getRunningLoop();
            Thread other = new Thread(() -> loop.callSoonThreadsafe(() -> order.add("threadsafe callback")));
            other.start();
            other.join();
            asyncio.api.Asyncio.sleep(0);
            order.add("task resumed");
            return null;
        });

        assertEquals(List.of("threadsafe callback", "task resumed"), order);
    }
}
