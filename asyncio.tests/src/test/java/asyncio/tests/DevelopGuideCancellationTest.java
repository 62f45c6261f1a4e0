package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.Future;
import asyncio.api.Task;
import asyncio.api.TaskGroup;
import asyncio.api.TaskGroupException;
import asyncio.api.TimeoutError;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** docs/develop.md, "Cancellation": what a broad catch does to a CancelledError, and the patterns that work. */
@ExtendWith(NoDescriptorLeaks.class)
class DevelopGuideCancellationTest {

    @Test
    void cancelledErrorIsAnUncheckedExceptionAndAnIllegalStateException() {
        CancelledError error = new CancelledError("stop");
        assertTrue(error instanceof CancellationException);
        assertTrue(error instanceof IllegalStateException);
        assertTrue(error instanceof RuntimeException);
        assertTrue(error instanceof Exception);
        assertFalse(Error.class.isAssignableFrom(CancelledError.class));
    }

    @LoopTest
    void aCatchOfExceptionAroundAnAwaitSwallowsTheCancellation(LoopKind kind) {
        kind.run(() -> {
            Task<String> task = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(3600);
                    return "slept";
                } catch (Exception e) {
                    return "swallowed " + e.getClass().getSimpleName();
                }
            });
            Asyncio.sleep(0);

            task.cancel();

            assertEquals("swallowed CancelledError", task.await(), "the task ran on as if nothing happened");
            assertFalse(task.cancelled());
            assertEquals(1, task.cancelling(), "the request is still counted: the trace the bug leaves");
            return null;
        });
    }

    @LoopTest
    void catchingCancelledErrorFirstAndRethrowingKeepsTheTaskCancelled(LoopKind kind) {
        kind.run(() -> {
            List<String> log = new ArrayList<>();
            Task<String> task = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(3600);
                    return "slept";
                } catch (CancelledError c) {
                    log.add("cleaned up");
                    throw c;
                } catch (Exception e) {
                    return "failed: " + e;
                } finally {
                    log.add("finally");
                }
            });
            Asyncio.sleep(0);

            task.cancel();

            assertThrows(CancelledError.class, task::await);
            assertTrue(task.cancelled());
            assertEquals(List.of("cleaned up", "finally"), log);
            return null;
        });
    }

    @LoopTest
    void aTimeoutCannotFireThroughABlockThatSwallowsTheCancellation(LoopKind kind) {
        kind.run(() -> {
            Asyncio.timeout(0.01, t -> {
                String outcome;
                try {
                    Asyncio.sleep(3600);
                    outcome = "slept";
                } catch (Exception e) {
                    outcome = "swallowed";
                }
                assertEquals("swallowed", outcome);
                assertTrue(t.expired(), "the deadline passed, yet the block goes on and returns normally");
                return outcome;
            });

            // Written correctly, the same block ends with a TimeoutError.
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(0.01, t -> {
                try {
                    Asyncio.sleep(3600);
                    return "slept";
                } catch (CancelledError c) {
                    throw c;
                } catch (Exception e) {
                    return "swallowed";
                }
            }));
            return null;
        });
    }

    @LoopTest
    void aTaskThatAbsorbsACancellationWithoutUncancelIsCancelledAgainByTheNextTaskGroupFailure(LoopKind kind) {
        assertEquals("cancelled at the next await", kind.run(() -> Asyncio.createTask(() -> {
            absorbOneCancellation(false);
            return afterATaskGroupFailure();
        }).await()));
        assertEquals("carried on", kind.run(() -> Asyncio.createTask(() -> {
            absorbOneCancellation(true);
            return afterATaskGroupFailure();
        }).await()));
    }

    /** Has the current task cancelled once and absorbs it, calling {@code uncancel()} or not. */
    private static void absorbOneCancellation(boolean uncancel) {
        Task<?> self = Asyncio.currentTask();
        Future<Void> never = Asyncio.getRunningLoop().createFuture();
        Asyncio.getRunningLoop().callSoon(self::cancel);
        try {
            never.await();
        } catch (CancelledError deliberate) {
            if (uncancel) {
                self.uncancel();
            }
        }
        assertEquals(uncancel ? 0 : 1, self.cancelling());
    }

    /** A task group whose child fails; then one more await in the same task. */
    private static String afterATaskGroupFailure() {
        assertThrows(TaskGroupException.class, () -> TaskGroup.run(group -> {
            group.createTask(() -> {
                throw new IllegalArgumentException("child failed");
            });
            return null;
        }));
        try {
            Asyncio.sleep(0);
            return "carried on";
        } catch (CancelledError surprise) {
            return "cancelled at the next await";
        }
    }
}
