package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.EventLoop;
import asyncio.spi.EventLoopProvider;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.InvocationInterceptor.Invocation;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.opentest4j.TestAbortedException;

/**
 * The matrix's handling of a loop it asked for but whose probe refuses it: every case of that
 * loop (alone or in a cross-loop pair) is skipped with the probe's reason, not run and not
 * dropped; the matrix keeps the io_uring loop on Linux whatever its probe says.
 */
class UnsupportedLoopsTest {

    /** A provider whose probe refuses, as io_uring's does under a seccomp filter. */
    private static final class Refused implements EventLoopProvider {
        @Override
        public String name() {
            return "refused";
        }

        @Override
        public int priority() {
            return -1000;
        }

        @Override
        public String unsupportedReason() {
            return "io_uring_setup: Operation not permitted";
        }

        @Override
        public EventLoop newEventLoop() {
            throw new AssertionError("a refused loop must never be created");
        }
    }

    /** A loop that runs but cannot start children, as uring on a kernel without pidfd_open. */
    private static final class NoPidfd implements EventLoopProvider {
        @Override
        public String name() {
            return "nopidfd";
        }

        @Override
        public int priority() {
            return -1000;
        }

        @Override
        public String unsupportedReason() {
            return null;
        }

        @Override
        public String subprocessUnsupportedReason() {
            return "pidfd_open failed (Linux 5.3+): Function not implemented";
        }

        @Override
        public EventLoop newEventLoop() {
            throw new AssertionError("not created by these tests");
        }
    }

    private static final class Recording implements Invocation<Void> {
        final List<String> calls = new ArrayList<>();

        @Override
        public Void proceed() {
            calls.add("proceed");
            return null;
        }

        @Override
        public void skip() {
            calls.add("skip");
        }
    }

    private static ReflectiveInvocationContext<Method> arguments(Object... values) {
        return arguments(null, values);
    }

    private static ReflectiveInvocationContext<Method> arguments(Method method, Object... values) {
        return new ReflectiveInvocationContext<>() {
            @Override
            public Class<?> getTargetClass() {
                return UnsupportedLoopsTest.class;
            }

            @Override
            public Method getExecutable() {
                return method;
            }

            @Override
            public List<Object> getArguments() {
                return List.of(values);
            }

            @Override
            public Optional<Object> getTarget() {
                return Optional.empty();
            }
        };
    }

    @Test
    void aCaseOfARefusedLoopIsSkippedWithTheProbesReason() {
        LoopKind refused = new LoopKind(new Refused(), new Refused().unsupportedReason());
        Recording invocation = new Recording();
        TestAbortedException skipped = assertThrows(TestAbortedException.class,
                () -> new UnsupportedLoops().interceptTestTemplateMethod(invocation, arguments(refused), null));
        assertTrue(skipped.getMessage().contains("refused") && skipped.getMessage().contains("Operation not permitted"),
                skipped.getMessage());
        assertEquals(List.of("skip"), invocation.calls);
    }

    @Test
    void aCrossLoopPairWithARefusedLoopIsSkippedToo() {
        LoopKind supported = Loops.supported().filter(kind -> kind.unsupportedReason() == null).findFirst().orElseThrow();
        LoopKind refused = new LoopKind(new Refused(), new Refused().unsupportedReason());
        Recording invocation = new Recording();
        assertThrows(TestAbortedException.class,
                () -> new UnsupportedLoops().interceptTestTemplateMethod(invocation, arguments(supported, refused), null));
        assertEquals(List.of("skip"), invocation.calls);
    }

    @Test
    void aCaseOfASupportedLoopRuns() throws Throwable {
        LoopKind supported = Loops.supported().filter(kind -> kind.unsupportedReason() == null).findFirst().orElseThrow();
        Recording invocation = new Recording();
        new UnsupportedLoops().interceptTestTemplateMethod(invocation, arguments(supported, supported), null);
        assertEquals(List.of("proceed"), invocation.calls);
    }

    @SpawnsChildren
    void startsAChild(LoopKind kind) {
    }

    void startsNoChild(LoopKind kind) {
    }

    @Test
    void aCaseThatSpawnsIsSkippedWithTheReasonOnALoopThatCannotSpawn() throws Exception {
        LoopKind noPidfd = new LoopKind(new NoPidfd());
        Method spawning = UnsupportedLoopsTest.class.getDeclaredMethod("startsAChild", LoopKind.class);
        Recording invocation = new Recording();
        TestAbortedException skipped = assertThrows(TestAbortedException.class,
                () -> new UnsupportedLoops().interceptTestTemplateMethod(invocation, arguments(spawning, noPidfd), null));
        assertTrue(skipped.getMessage().contains("nopidfd") && skipped.getMessage().contains("pidfd_open failed"),
                skipped.getMessage());
        assertEquals(List.of("skip"), invocation.calls);
    }

    @Test
    void aCaseThatSpawnsNothingRunsOnALoopThatCannotSpawn() throws Throwable {
        LoopKind noPidfd = new LoopKind(new NoPidfd());
        Method plain = UnsupportedLoopsTest.class.getDeclaredMethod("startsNoChild", LoopKind.class);
        Recording invocation = new Recording();
        new UnsupportedLoops().interceptTestTemplateMethod(invocation, arguments(plain, noPidfd), null);
        assertEquals(List.of("proceed"), invocation.calls);
    }

    @Test
    void aRefusedLoopCreatesNoLoopEvenOutsideTheInterceptor() {
        LoopKind refused = new LoopKind(new Refused(), new Refused().unsupportedReason());
        assertThrows(TestAbortedException.class, refused::newLoop);
    }

    @Test
    void theMatrixKeepsTheIoUringLoopOnLinuxUnlessLeftOut() {
        boolean linux = System.getProperty("os.name", "").startsWith("Linux");
        String only = System.getProperty("asyncio.tests.loops", "").trim();
        boolean leftOut = "false".equalsIgnoreCase(System.getProperty(Loops.URING))
                || !only.isEmpty() && !List.of(only.split("\\s*,\\s*")).contains("uring");
        boolean inMatrix = Loops.supported().anyMatch(kind -> kind.toString().equals("uring"));
        if (linux && !leftOut) {
            assertTrue(inMatrix, "uring must be in the matrix, run or reported skipped");
        } else if (leftOut) {
            assertFalse(inMatrix, "uring was left out");
        }
    }
}
