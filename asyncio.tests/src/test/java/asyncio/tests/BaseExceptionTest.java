package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.EventLoop;
import asyncio.api.KeyboardInterrupt;
import asyncio.api.SystemExit;
import asyncio.api.Task;
import asyncio.api.TaskGroup;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Python's base exceptions {@code KeyboardInterrupt} and {@code SystemExit}: raised in a task they
 * are stored as its exception and also end the loop's run at once; a task group re-raises them as
 * they are.
 */
@ExtendWith(NoDescriptorLeaks.class)
class BaseExceptionTest {

    @LoopTest
    void keyboardInterruptInATaskIsStoredAndEndsTheRunAtOnce(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            ErrorRecorder errors = ErrorRecorder.on(loop);
            KeyboardInterrupt interrupt = new KeyboardInterrupt("pressed");
            Task<Void> task = loop.createTask(() -> {
                throw interrupt;
            });
            AtomicBoolean laterCallbackRan = new AtomicBoolean();
            loop.callSoon(() -> laterCallbackRan.set(true));

            assertSame(interrupt, assertThrows(KeyboardInterrupt.class, () -> loop.runUntilComplete(task)));
            assertFalse(laterCallbackRan.get(), "the interrupt leaves the loop before the next callback");
            assertTrue(task.done());
            assertSame(interrupt, task.exception());
            assertTrue(errors.contexts().isEmpty(), errors.contexts().toString());

            // The loop runs again, and no stop left over from the interrupted run ends this one early.
            AtomicBoolean secondCallbackRan = new AtomicBoolean();
            loop.callSoon(() -> loop.callSoon(() -> {
                secondCallbackRan.set(true);
                loop.stop();
            }));
            loop.runForever();
            assertTrue(laterCallbackRan.get());
            assertTrue(secondCallbackRan.get());
        }
    }

    @LoopTest
    void systemExitInACallbackEndsRunForever(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            ErrorRecorder errors = ErrorRecorder.on(loop);
            SystemExit exit = new SystemExit(3);
            loop.callSoon(() -> {
                throw exit;
            });
            loop.callSoon(loop::stop);
            SystemExit seen = assertThrows(SystemExit.class, loop::runForever);
            assertSame(exit, seen);
            assertEquals(3, seen.status());
            assertTrue(errors.contexts().isEmpty(), errors.contexts().toString());
            assertFalse(loop.isRunning());
            // What was scheduled after it still runs (here: the stop) at the next run.
            loop.runForever();
        }
    }

    @LoopTest
    void systemExitOfARunUntilCompleteCoroutineIsNotReportedAsNeverRetrieved(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            ErrorRecorder errors = ErrorRecorder.on(loop);
            assertThrows(SystemExit.class, () -> loop.runUntilComplete(() -> {
                Asyncio.sleep(0);
                throw new SystemExit("bye");
            }));
            for (int attempt = 0; attempt < 5; attempt++) {
                System.gc();
                // Waits for the collector (no event says a task was collected), a few turns at a time.
                loop.runUntilComplete(() -> Asyncio.sleep(0.005, null));
            }
            assertTrue(errors.withMessage("Task exception was never retrieved").isEmpty(), errors.contexts().toString());
        }
    }

    @LoopTest
    void taskGroupReRaisesAKeyboardInterruptOfATaskUnwrapped(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            KeyboardInterrupt interrupt = new KeyboardInterrupt();
            AtomicReference<Task<Void>> sibling = new AtomicReference<>();
            Task<Void> parent = loop.createTask(() -> TaskGroup.run(group -> {
                sibling.set(group.createTask(() -> Asyncio.sleep(3600, null)));
                group.createTask(() -> {
                    Asyncio.sleep(0);
                    throw interrupt;
                });
                Asyncio.sleep(3600);
                return null;
            }));
            // The interrupt ends the run as soon as the child raises it ...
            assertSame(interrupt, assertThrows(KeyboardInterrupt.class, () -> loop.runUntilComplete(parent)));
            assertFalse(parent.done());
            // ... and running on lets the group cancel the rest and raise it again, as it is.
            assertSame(interrupt, assertThrows(KeyboardInterrupt.class, () -> loop.runUntilComplete(parent)));
            assertSame(interrupt, parent.exception());
            assertTrue(sibling.get().cancelled());
        }
    }

    @LoopTest
    void taskGroupReRaisesASystemExitOfItsBlockAndReportsTheOtherErrors(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            ErrorRecorder errors = ErrorRecorder.on(loop);
            SystemExit exit = new SystemExit(2);
            ArithmeticException crash = new ArithmeticException("/ by zero");
            Task<Void> parent = loop.createTask(() -> TaskGroup.run(group -> {
                group.createTask(() -> {
                    Asyncio.sleep(0);
                    throw crash;
                });
                try {
                    Asyncio.sleep(3600);
                } catch (CancelledError cancelled) {
                    // The group cancels the block when the child fails; the block answers with an exit.
                    throw exit;
                }
                return null;
            }));
            assertSame(exit, assertThrows(SystemExit.class, () -> loop.runUntilComplete(parent)));
            assertSame(exit, parent.exception());
            List<Map<String, Object>> reports = errors.contexts();
            assertEquals(1, reports.size(), reports.toString());
            assertSame(crash, reports.get(0).get("exception"));
        }
    }

    @Test
    void keyboardInterruptAndSystemExitHavePublicConstructors() {
        assertEquals("why", new KeyboardInterrupt("why").getMessage());
        assertEquals(null, new KeyboardInterrupt().getMessage());
        assertEquals(null, new SystemExit().status());
        assertEquals(0, new SystemExit(0).status());
        assertEquals("done", new SystemExit("done").getMessage());
        assertEquals(null, new SystemExit("done").status());
    }
}
