package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Runner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/** docs/develop.md, "Debug mode": the ways to turn it on and the checks it adds. */
@ExtendWith(NoDescriptorLeaks.class)
class DevelopGuideDebugModeTest {

    @LoopTest
    void debugModeIsTurnedOnByTheSystemPropertyARunnerOrSetDebug(LoopKind kind) {
        DebugModeTest.withProperty("asyncio.debug", "true", () -> {
            try (EventLoop loop = kind.newLoop()) {
                assertTrue(loop.getDebug(), "-Dasyncio.debug=true reaches every new loop");
            }
        });
        try (Runner runner = new Runner(true, kind::newLoop)) {
            assertTrue(runner.run(() -> Asyncio.getRunningLoop().getDebug()), "new Runner(true, ...)");
        }
        try (EventLoop loop = kind.newLoop()) {
            loop.setDebug(true);
            assertTrue(loop.getDebug(), "loop.setDebug(true)");
        }
    }

    @Test
    void asyncioRunTakesADebugFlag() {
        assertTrue(Asyncio.run(() -> Asyncio.getRunningLoop().getDebug(), true));
        assertFalse(Asyncio.run(() -> Asyncio.getRunningLoop().getDebug(), false));
    }

    @LoopTest
    void inDebugModeNonThreadsafeCallsFromAnotherThreadRaise(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            loop.setDebug(true);
            List<Executable> calls = List.of(
                    () -> loop.callSoon(() -> { }),
                    () -> loop.callLater(1, () -> { }),
                    () -> loop.createTask(() -> null),
                    () -> loop.runInExecutor(null, () -> null));

            List<Throwable> errors = fromAnotherThreadWhileRunning(loop, calls);

            assertEquals(calls.size(), errors.size());
            for (Throwable error : errors) {
                assertInstanceOf(IllegalStateException.class, error);
                assertTrue(error.getMessage().startsWith("Non-thread-safe operation"), error.getMessage());
                assertTrue(error.getMessage().contains("caller: not-the-loop"), error.getMessage());
            }
        }
    }

    @LoopTest
    void outsideDebugModeTheSameMistakeGoesUnnoticed(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            loop.setDebug(false);
            List<Throwable> errors = fromAnotherThreadWhileRunning(loop, List.of(() -> loop.callSoon(() -> { })));

            assertEquals(1, errors.size());
            assertNull(errors.get(0), "no check: the call is accepted");
        }
    }

    @LoopTest
    void inDebugModeAFailingCallbackIsReportedWithWhereItWasScheduled(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            loop.setDebug(true);
            ErrorRecorder errors = ErrorRecorder.on(loop);
            loop.callSoon(() -> {
                throw new IllegalArgumentException("bad callback");
            });

            LoopDriver.runOnce(loop);

            Map<String, Object> report = errors.contexts().get(0);
            assertInstanceOf(IllegalArgumentException.class, report.get("exception"));
            Throwable origin = assertInstanceOf(Throwable.class, report.get("source_traceback"));
            assertTrue(ExceptionHandlerTest.mentions(origin, "inDebugModeAFailingCallbackIsReportedWithWhereItWasScheduled"));
        }
    }

    /**
     * Runs each call on a thread other than the loop's while the loop runs (the loop thread waits
     * for that thread inside a callback), and returns what each call threw, or null.
     */
    static List<Throwable> fromAnotherThreadWhileRunning(EventLoop loop, List<Executable> calls) {
        List<Throwable> errors = new ArrayList<>();
        loop.callSoon(() -> {
            Thread other = Thread.ofPlatform().name("not-the-loop").start(() -> {
                for (Executable call : calls) {
                    errors.add(LoopLifecycleTest.catchThrowable(call));
                }
            });
            LoopLifecycleTest.join(other);
            loop.stop();
        });
        LoopDriver.runUntilStopped(loop);
        return errors;
    }
}
