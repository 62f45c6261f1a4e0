package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.EventLoop;
import asyncio.api.ExceptionHandler;
import asyncio.api.Handle;
import asyncio.api.TimerHandle;
import asyncio.selector.SelectorEventLoop;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Errors nobody else can receive: asyncio's exception handler and its context keys. */
@ExtendWith(NoDescriptorLeaks.class)
class ExceptionHandlerTest {

    @LoopTest
    void anExceptionInACallbackGoesToTheHandlerAndTheLoopKeepsRunning(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            List<Map<String, Object>> reports = new ArrayList<>();
            List<EventLoop> loops = new ArrayList<>();
            loop.setExceptionHandler((l, context) -> {
                loops.add(l);
                reports.add(context);
            });
            IllegalArgumentException failure = new IllegalArgumentException("boom");
            List<String> ran = new ArrayList<>();
            Handle failing = loop.callSoon(() -> {
                throw failure;
            });
            loop.callSoon(() -> ran.add("same iteration"));
            loop.callSoon(() -> loop.callSoon(() -> {
                ran.add("next iteration");
                loop.stop();
            }));

            LoopDriver.runUntilStopped(loop);

            assertEquals(List.of("same iteration", "next iteration"), ran);
            assertEquals(1, reports.size());
            Map<String, Object> context = reports.get(0);
            assertSame(loop, loops.get(0));
            assertSame(failure, context.get("exception"));
            assertSame(failing, context.get("handle"));
            assertTrue(String.valueOf(context.get("message")).startsWith("Exception in callback "), context.toString());
        }
    }

    @LoopTest
    void anExceptionInATimerCallbackNamesTheTimerHandle(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            List<Map<String, Object>> reports = new ArrayList<>();
            loop.setExceptionHandler((l, context) -> reports.add(context));
            TimerHandle timer = loop.callLater(-1, () -> {
                throw new IllegalStateException("timer failed");
            });

            LoopDriver.runOnce(loop);

            assertSame(timer, reports.get(0).get("handle"));
            assertEquals("timer failed", ((Throwable) reports.get(0).get("exception")).getMessage());
        }
    }

    @LoopTest
    void errorsThatAreNotVirtualMachineErrorsAlsoGoToTheHandler(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            List<Object> exceptions = new ArrayList<>();
            loop.setExceptionHandler((l, context) -> exceptions.add(context.get("exception")));
            AssertionError assertion = new AssertionError("not fatal");
            loop.callSoon(() -> {
                throw assertion;
            });
            Exception checked = new java.io.IOException("checked");
            loop.callSoon(() -> sneakyThrow(checked));

            LoopDriver.runOnce(loop);

            assertEquals(List.of(assertion, checked), exceptions);
        }
    }

    @LoopTest
    void aHandlerThatThrowsDoesNotStopTheLoop(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            int[] calls = {0};
            loop.setExceptionHandler((l, context) -> {
                calls[0]++;
                throw new IllegalStateException("the handler itself is broken");
            });
            List<String> ran = new ArrayList<>();
            loop.callSoon(() -> {
                throw new IllegalArgumentException("first");
            });
            loop.callSoon(() -> ran.add("after the broken handler"));
            loop.callSoon(() -> {
                throw new IllegalArgumentException("second");
            });

            LoopDriver.runOnce(loop);

            assertEquals(2, calls[0]);
            assertEquals(List.of("after the broken handler"), ran);
        }
    }

    @LoopTest
    void callExceptionHandlerPassesTheLoopAndTheContextToTheHandler(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            List<Object[]> calls = new ArrayList<>();
            ExceptionHandler handler = (l, context) -> calls.add(new Object[] {l, context});
            loop.setExceptionHandler(handler);
            Map<String, Object> context = new HashMap<>();
            context.put("message", "something odd");
            context.put("transport", "a transport");

            loop.callExceptionHandler(context);

            assertSame(handler, loop.getExceptionHandler());
            assertEquals(1, calls.size());
            assertSame(loop, calls.get(0)[0]);
            assertSame(context, calls.get(0)[1]);
        }
    }

    @LoopTest
    void settingTheHandlerToNullRestoresTheDefault(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            assertNull(loop.getExceptionHandler());
            int[] calls = {0};
            loop.setExceptionHandler((l, context) -> calls[0]++);

            loop.setExceptionHandler(null);
            loop.callSoon(() -> {
                throw new IllegalStateException("goes to the default handler");
            });
            LoopDriver.runOnce(loop);

            assertNull(loop.getExceptionHandler());
            assertEquals(0, calls[0]);
        }
    }

    @LoopTest
    void theDefaultHandlerAcceptsAnyContext(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Map<String, Object> full = new HashMap<>();
            full.put("message", "full context");
            full.put("exception", new IllegalStateException("logged"));
            full.put("future", "a future");
            full.put("source_traceback", new Throwable("created here"));
            full.put("nothing", null);

            loop.defaultExceptionHandler(full);
            loop.defaultExceptionHandler(Map.of());
            loop.defaultExceptionHandler(Map.of("exception", new IllegalStateException("no message")));
            loop.callExceptionHandler(Map.of("message", "through the default handler"));

            assertFalse(loop.isClosed());
        }
    }

    @LoopTest
    void inDebugModeTheContextCarriesWhereTheCallbackWasScheduled(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            loop.setDebug(true);
            List<Map<String, Object>> reports = new ArrayList<>();
            loop.setExceptionHandler((l, context) -> reports.add(context));
            Handle handle = loop.callSoon(() -> {
                throw new IllegalStateException("fails");
            });

            LoopDriver.runOnce(loop);

            Throwable origin = assertInstanceOf(Throwable.class, reports.get(0).get("source_traceback"));
            assertSame(handle.sourceTraceback(), origin);
            assertTrue(mentions(origin, "inDebugModeTheContextCarriesWhereTheCallbackWasScheduled"));
        }
    }

    @LoopTest
    void outsideDebugModeTheContextHasNoSourceTraceback(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            loop.setDebug(false);
            List<Map<String, Object>> reports = new ArrayList<>();
            loop.setExceptionHandler((l, context) -> reports.add(context));
            loop.callSoon(() -> {
                throw new IllegalStateException("fails");
            });

            LoopDriver.runOnce(loop);

            assertFalse(reports.get(0).containsKey("source_traceback"));
        }
    }

    /**
     * Selector only: observing the default handler needs a subclass of the concrete loop. When the
     * handler fails, asyncio hands the default handler a context naming the failure and the original.
     */
    @Test
    void aHandlerThatThrowsFallsBackToTheDefaultHandlerWithBothErrors() {
        List<Map<String, Object>> defaults = new ArrayList<>();
        try (EventLoop loop = new SelectorEventLoop() {
            @Override
            public void defaultExceptionHandler(Map<String, Object> context) {
                defaults.add(context);
            }
        }) {
            IllegalStateException broken = new IllegalStateException("handler broken");
            loop.setExceptionHandler((l, context) -> {
                throw broken;
            });
            Map<String, Object> original = Map.of("message", "original problem");

            loop.callExceptionHandler(original);

            assertEquals(1, defaults.size());
            Map<String, Object> fallback = defaults.get(0);
            assertEquals("Unhandled error in exception handler", fallback.get("message"));
            assertSame(broken, fallback.get("exception"));
            assertSame(original, fallback.get("context"));
        }
    }

    /** Selector only, for the same reason: without a handler the context reaches the default handler unchanged. */
    @Test
    void withoutAHandlerTheContextGoesToTheDefaultHandler() {
        List<Map<String, Object>> defaults = new ArrayList<>();
        try (EventLoop loop = new SelectorEventLoop() {
            @Override
            public void defaultExceptionHandler(Map<String, Object> context) {
                defaults.add(context);
            }
        }) {
            IllegalStateException failure = new IllegalStateException("unhandled");
            Handle handle = loop.callSoon(() -> {
                throw failure;
            });

            LoopDriver.runOnce(loop);

            assertEquals(1, defaults.size());
            assertSame(failure, defaults.get(0).get("exception"));
            assertSame(handle, defaults.get(0).get("handle"));
        }
    }

    /** Selector only: a default handler that itself throws must not stop the loop either. */
    @Test
    void aDefaultHandlerThatThrowsDoesNotStopTheLoop() {
        try (EventLoop loop = new SelectorEventLoop() {
            @Override
            public void defaultExceptionHandler(Map<String, Object> context) {
                throw new IllegalStateException("default handler broken");
            }
        }) {
            List<String> ran = new ArrayList<>();
            loop.callSoon(() -> {
                throw new IllegalArgumentException("first");
            });
            loop.callSoon(() -> ran.add("still running"));
            loop.setExceptionHandler(null);

            LoopDriver.runOnce(loop);
            loop.setExceptionHandler((l, context) -> {
                throw new IllegalStateException("custom handler broken too");
            });
            loop.callSoon(() -> {
                throw new IllegalArgumentException("second");
            });
            loop.callSoon(() -> ran.add("still running after both handlers failed"));
            LoopDriver.runOnce(loop);

            assertEquals(List.of("still running", "still running after both handlers failed"), ran);
        }
    }

    static boolean mentions(Throwable trace, String methodName) {
        for (StackTraceElement frame : trace.getStackTrace()) {
            if (frame.getMethodName().equals(methodName)) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    static <E extends Throwable> void sneakyThrow(Throwable error) throws E {
        throw (E) error;
    }
}
