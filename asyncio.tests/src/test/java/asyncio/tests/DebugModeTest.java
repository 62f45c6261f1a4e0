package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Handle;
import asyncio.api.Runner;
import asyncio.api.TimerHandle;
import asyncio.selector.SelectorEventLoop;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/** asyncio's debug mode: thread checks, where handles were created, slow callbacks. */
@ExtendWith(NoDescriptorLeaks.class)
class DebugModeTest {

    @LoopTest
    void debugModeCanBeSwitchedOnAndOff(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            loop.setDebug(true);
            assertTrue(loop.getDebug());
            loop.setDebug(false);
            assertFalse(loop.getDebug());
        }
    }

    @LoopTest
    void aNonThreadsafeCallFromAnotherThreadWhileRunningRaisesInDebugMode(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            loop.setDebug(true);
            List<Throwable> errors = new ArrayList<>();
            List<Executable> calls = List.of(
                    () -> loop.callSoon(() -> { }),
                    () -> loop.callLater(1, () -> { }),
                    () -> loop.callAt(loop.time() + 1, () -> { }),
                    () -> loop.createTask(() -> null));
            loop.callSoon(() -> {
                // The loop thread waits here while another thread breaks the rule.
                Thread other = Thread.ofPlatform().start(() -> {
                    for (Executable call : calls) {
                        errors.add(LoopLifecycleTest.catchThrowable(call));
                    }
                });
                LoopLifecycleTest.join(other);
                loop.stop();
            });

            LoopDriver.runUntilStopped(loop);

            assertEquals(calls.size(), errors.size());
            for (Throwable error : errors) {
                assertTrue(error instanceof IllegalStateException, String.valueOf(error));
                assertTrue(error.getMessage().startsWith("Non-thread-safe operation"), error.getMessage());
            }
        }
    }

    @LoopTest
    void threadsafeCallsFromAnotherThreadAreAllowedInDebugMode(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            loop.setDebug(true);
            List<Throwable> errors = new ArrayList<>();
            List<String> ran = new ArrayList<>();
            loop.callSoon(() -> {
                Thread other = Thread.ofPlatform().start(() -> errors.add(LoopLifecycleTest.catchThrowable(
                        () -> loop.callSoonThreadsafe(() -> ran.add("threadsafe")))));
                LoopLifecycleTest.join(other);
                loop.callSoon(loop::stop);
            });

            LoopDriver.runUntilStopped(loop);

            assertEquals(java.util.Collections.singletonList(null), errors);
            assertEquals(List.of("threadsafe"), ran);
        }
    }

    @LoopTest
    void aLoopThatIsNotRunningAcceptsCallsFromAnyThreadInDebugMode(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            loop.setDebug(true);
            List<Throwable> errors = new ArrayList<>();
            List<String> ran = new ArrayList<>();
            Thread other = Thread.ofPlatform().start(() -> errors.add(LoopLifecycleTest.catchThrowable(
                    () -> loop.callSoon(() -> ran.add("scheduled before the loop ran")))));
            LoopLifecycleTest.join(other);

            LoopDriver.runOnce(loop);

            assertNull(errors.get(0));
            assertEquals(List.of("scheduled before the loop ran"), ran);
        }
    }

    @LoopTest
    void codeRunningInATaskMayUseTheLoopInDebugMode(LoopKind kind) {
        // With the virtual-thread carrier the task's code runs on its own thread: it is still the loop's.
        Integer result = kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            loop.setDebug(true);
            asyncio.api.Future<Integer> future = loop.createFuture();
            loop.callSoon(() -> future.setResult(1));
            TimerHandle timer = loop.callLater(0.001, () -> { });
            Asyncio.sleep(0);
            timer.cancel();
            return future.await() + loop.createTask(() -> 1).await();
        });
        assertEquals(2, result);
    }

    @LoopTest
    void handlesRememberWhereTheyWereCreatedInDebugMode(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            loop.setDebug(true);
            Handle soon = loop.callSoon(() -> { });
            TimerHandle later = loop.callLater(1, () -> { });
            Handle threadsafe = loop.callSoonThreadsafe(() -> { });

            for (Handle handle : List.of(soon, later, threadsafe)) {
                assertNotNull(handle.sourceTraceback(), handle.toString());
                assertTrue(ExceptionHandlerTest.mentions(handle.sourceTraceback(),
                        "handlesRememberWhereTheyWereCreatedInDebugMode"), handle.toString());
            }
        }
    }

    @LoopTest
    void handlesDoNotRecordTheirOriginOutsideDebugMode(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            loop.setDebug(false);
            assertNull(loop.callSoon(() -> { }).sourceTraceback());
            assertNull(loop.callLater(1, () -> { }).sourceTraceback());
            assertNull(loop.callSoonThreadsafe(() -> { }).sourceTraceback());
        }
    }

    @LoopTest
    void slowCallbackDurationDefaultsToATenthOfASecondAndRejectsNonsense(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            assertEquals(0.1, loop.getSlowCallbackDuration());
            loop.setSlowCallbackDuration(0.5);
            assertEquals(0.5, loop.getSlowCallbackDuration());
            loop.setSlowCallbackDuration(0);
            assertEquals(0, loop.getSlowCallbackDuration());

            assertThrows(IllegalArgumentException.class, () -> loop.setSlowCallbackDuration(-1));
            assertThrows(IllegalArgumentException.class, () -> loop.setSlowCallbackDuration(Double.NaN));
            assertEquals(0, loop.getSlowCallbackDuration());
        }
    }

    @LoopTest
    void aSlowCallbackInDebugModeIsReportedAndTheLoopCarriesOn(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            loop.setDebug(true);
            loop.setSlowCallbackDuration(0);
            List<String> ran = new ArrayList<>();
            loop.callSoon(() -> ran.add("slow by the zero threshold"));
            loop.callSoon(() -> {
                throw new IllegalStateException("slow and failing");
            });
            loop.setExceptionHandler((l, context) -> ran.add("handler"));
            loop.callSoon(() -> ran.add("next"));

            assertDoesNotThrow(() -> LoopDriver.runOnce(loop));

            assertEquals(List.of("slow by the zero threshold", "handler", "next"), ran);
        }
    }

    /**
     * Selector only: seeing the report needs a subclass of the concrete loop (the report itself is
     * a log record). A callback at or above the threshold is reported with its handle; one below
     * it, or any callback outside debug mode, is not.
     */
    @Test
    void slowCallbacksAreReportedInDebugModeOnly() {
        List<Object[]> reports = new ArrayList<>();
        try (EventLoop loop = new SelectorEventLoop() {
            @Override
            protected void slowCallback(Handle handle, double seconds) {
                reports.add(new Object[] {handle, seconds});
                super.slowCallback(handle, seconds);
            }
        }) {
            loop.setDebug(true);
            loop.setSlowCallbackDuration(0.02);
            Handle slow = loop.callSoon(() -> spin(0.03));
            loop.callSoon(() -> { });
            LoopDriver.runOnce(loop);

            assertEquals(1, reports.size());
            assertSame(slow, reports.get(0)[0]);
            assertTrue((double) reports.get(0)[1] >= 0.02, String.valueOf(reports.get(0)[1]));

            loop.setDebug(false);
            loop.callSoon(() -> spin(0.03));
            LoopDriver.runOnce(loop);

            assertEquals(1, reports.size(), "outside debug mode nothing is timed");
        }
    }

    /** Busy for {@code seconds}: the behaviour under test is a callback that takes time. */
    private static void spin(double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    @LoopTest
    void theAsyncioDebugPropertyTurnsDebugModeOnForNewLoops(LoopKind kind) {
        withProperty("asyncio.debug", "true", () -> assertDebug(kind, true));
        withProperty("asyncio.debug", "1", () -> assertDebug(kind, true));
        withProperty("asyncio.debug", "false", () -> assertDebug(kind, false));
        if (System.getenv("ASYNCIO_DEBUG") == null) {
            withProperty("asyncio.debug", null, () -> assertDebug(kind, false));
        }
    }

    @LoopTest
    void aRunnerCanForceDebugModeOnItsLoop(LoopKind kind) {
        try (Runner runner = new Runner(true, kind::newLoop)) {
            assertTrue(runner.run(() -> Asyncio.getRunningLoop().getDebug()));
        }
        try (Runner runner = new Runner(false, kind::newLoop)) {
            assertFalse(runner.run(() -> Asyncio.getRunningLoop().getDebug()));
        }
    }

    private static void assertDebug(LoopKind kind, boolean expected) {
        try (EventLoop loop = kind.newLoop()) {
            assertEquals(expected, loop.getDebug());
        }
    }

    static void withProperty(String name, String value, Runnable body) {
        String saved = System.getProperty(name);
        try {
            if (value == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, value);
            }
            body.run();
        } finally {
            if (saved == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, saved);
            }
        }
    }
}
