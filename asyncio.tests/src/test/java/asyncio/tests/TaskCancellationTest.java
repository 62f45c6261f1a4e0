package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.Future;
import asyncio.api.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.ExtendWith;

/** Task cancellation exactly as asyncio does it: thrown at the current await, counted, and withdrawable. */
@ExtendWith(NoDescriptorLeaks.class)
class TaskCancellationTest {

    @LoopTest
    void taskCancelledBeforeItStartsNeverRunsItsBody(LoopKind kind) {
        AtomicBoolean ran = new AtomicBoolean();
        Task<?> task = kind.run(() -> {
            Task<Void> never = Asyncio.createTask(() -> {
                ran.set(true);
                return null;
            });
            assertTrue(never.cancel());
            assertThrows(CancelledError.class, never::await);
            return never;
        });
        assertFalse(ran.get());
        assertTrue(task.cancelled());
    }

    @LoopTest
    void cancelThrowsCancelledErrorAtTheCurrentAwaitWithTheMessage(LoopKind kind) {
        List<String> events = new ArrayList<>();
        kind.run(() -> {
            Future<Integer> never = Asyncio.getRunningLoop().createFuture();
            Task<Integer> task = Asyncio.createTask(() -> {
                events.add("started");
                try {
                    return never.await();
                } catch (CancelledError cancelled) {
                    events.add("cancelled at await: " + cancelled.getMessage());
                    throw cancelled;
                }
            });
            Asyncio.sleep(0);
            assertTrue(task.cancel("stop now"));
            CancelledError seen = assertThrows(CancelledError.class, task::await);
            events.add("awaiter saw: " + seen.getMessage());
            assertTrue(task.cancelled());
            assertTrue(never.cancelled(), "the future the task awaited is cancelled with it");
            return null;
        });
        assertEquals(List.of("started", "cancelled at await: stop now", "awaiter saw: stop now"), events);
    }

    @LoopTest
    void cancelledErrorIsACancellationException(LoopKind kind) {
        Throwable error = kind.run(() -> {
            Task<Void> task = Asyncio.createTask(() -> Asyncio.sleep(10, null));
            Asyncio.sleep(0);
            task.cancel();
            try {
                task.await();
                return null;
            } catch (RuntimeException thrown) {
                return thrown;
            }
        });
        assertTrue(error instanceof CancellationException);
        assertNull(error.getMessage());
    }

    @LoopTest
    void taskThatCatchesCancelledErrorAndReturnsIsNotCancelled(LoopKind kind) {
        kind.run(() -> {
            Task<String> task = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                    return "slept";
                } catch (CancelledError cancelled) {
                    return "caught";
                }
            });
            Asyncio.sleep(0);
            task.cancel();
            assertEquals("caught", task.await());
            assertFalse(task.cancelled());
            assertEquals(1, task.cancelling(), "the request stays counted until uncancel()");
            return null;
        });
    }

    @LoopTest
    void awaitAfterACaughtCancellationIsNotCancelledAgain(LoopKind kind) {
        String result = kind.run(() -> {
            Task<String> task = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError cancelled) {
                    Asyncio.sleep(0);
                    return Asyncio.sleep(0.001, "cleaned up");
                }
                return "slept";
            });
            Asyncio.sleep(0);
            task.cancel();
            return task.await();
        });
        assertEquals("cleaned up", result);
    }

    @LoopTest
    void cancellingTwiceDeliversOneCancelledErrorAndCountsTwo(LoopKind kind) {
        kind.run(() -> {
            List<String> caught = new ArrayList<>();
            Task<String> task = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError cancelled) {
                    caught.add("first");
                }
                try {
                    Asyncio.sleep(0);
                } catch (CancelledError cancelled) {
                    caught.add("second");
                }
                return "survived";
            });
            Asyncio.sleep(0);
            assertTrue(task.cancel());
            assertTrue(task.cancel());
            assertEquals(2, task.cancelling());
            assertEquals("survived", task.await());
            assertEquals(List.of("first"), caught);
            return null;
        });
    }

    @LoopTest
    void cancelOfADoneTaskReturnsFalse(LoopKind kind) {
        kind.run(() -> {
            Task<Integer> finished = Asyncio.createTask(() -> 1);
            finished.await();
            assertFalse(finished.cancel());
            assertFalse(finished.cancelled());
            assertEquals(0, finished.cancelling());
            assertEquals(1, finished.result());

            Task<Integer> cancelled = Asyncio.createTask(() -> 2);
            cancelled.cancel();
            assertThrows(CancelledError.class, cancelled::await);
            assertFalse(cancelled.cancel());
            return null;
        });
    }

    @LoopTest
    void cancellingATaskAwaitingAnotherTaskCancelsThatTaskToo(LoopKind kind) {
        kind.run(() -> {
            Task<Void> inner = Asyncio.createTask(() -> Asyncio.sleep(10, null));
            Task<Void> outer = Asyncio.createTask(() -> inner.await());
            Asyncio.sleep(0);
            outer.cancel("from above");
            CancelledError error = assertThrows(CancelledError.class, outer::await);
            assertEquals("from above", error.getMessage());
            assertTrue(inner.cancelled());
            assertTrue(outer.cancelled());
            return null;
        });
    }

    @LoopTest
    void cancelMessageTravelsFromAnInnerTaskToItsAwaiter(LoopKind kind) {
        String message = kind.run(() -> {
            Task<Void> inner = Asyncio.createTask(() -> Asyncio.sleep(10, null));
            Task<String> outer = Asyncio.createTask(() -> {
                try {
                    inner.await();
                    return null;
                } catch (CancelledError cancelled) {
                    return cancelled.getMessage();
                }
            });
            Asyncio.sleep(0);
            inner.cancel("inner message");
            return outer.await();
        });
        assertEquals("inner message", message);
    }

    @LoopTest
    void cancellingAndUncancelCountRequests(LoopKind kind) {
        kind.run(() -> {
            Task<String> task = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError cancelled) {
                    return "handled";
                }
                return "slept";
            });
            Asyncio.sleep(0);
            assertEquals(0, task.cancelling());
            task.cancel();
            task.cancel();
            task.cancel();
            assertEquals(3, task.cancelling());
            assertEquals(2, task.uncancel());
            assertEquals(1, task.uncancel());
            assertEquals(0, task.uncancel());
            assertEquals(0, task.uncancel(), "uncancel never goes below zero");
            assertEquals("handled", task.await(), "the cancellation was already delivered to the coroutine");
            return null;
        });
    }

    @LoopTest
    void uncancelToZeroDropsACancellationNotYetDelivered(LoopKind kind) {
        String result = kind.run(() -> {
            Task<String> task = Asyncio.createTask(() -> {
                Asyncio.sleep(0);
                Asyncio.sleep(0);
                return "completed";
            });
            Asyncio.sleep(0);
            // The task sits in a bare yield: the request is recorded, not yet thrown.
            task.cancel();
            assertEquals(0, task.uncancel());
            return task.await();
        });
        assertEquals("completed", result);
    }

    @LoopTest
    void cancellationRequestedRightBeforeReturnWins(LoopKind kind) {
        kind.run(() -> {
            Task<Integer> task = Asyncio.createTask(() -> {
                Asyncio.currentTask().cancel("too late to throw");
                return 42;
            });
            CancelledError error = assertThrows(CancelledError.class, task::await);
            assertTrue(task.cancelled());
            assertEquals("too late to throw", error.getMessage());
            return null;
        });
    }

    @LoopTest
    void cancellingItselfCancelsTheNextAwaitedFuture(LoopKind kind) {
        kind.run(() -> {
            Future<Integer> next = Asyncio.getRunningLoop().createFuture();
            Task<Integer> task = Asyncio.createTask(() -> {
                Asyncio.currentTask().cancel();
                return next.await();
            });
            assertThrows(CancelledError.class, task::await);
            assertTrue(next.cancelled());
            assertTrue(task.cancelled());
            return null;
        });
    }

    @LoopTest
    void cancelAfterTheAwaitedFutureCompletedStillCancels(LoopKind kind) {
        kind.run(() -> {
            Future<Integer> future = Asyncio.getRunningLoop().createFuture();
            AtomicReference<String> outcome = new AtomicReference<>();
            Task<Integer> task = Asyncio.createTask(() -> {
                try {
                    return future.await();
                } catch (CancelledError cancelled) {
                    outcome.set("cancelled: " + cancelled.getMessage());
                    throw cancelled;
                }
            });
            Asyncio.sleep(0);
            future.setResult(7);
            // The wake-up is scheduled but has not run: the cancellation replaces the result.
            assertTrue(task.cancel("late"));
            assertThrows(CancelledError.class, task::await);
            assertEquals("cancelled: late", outcome.get());
            return null;
        });
    }

    @LoopTest
    void coroutineRaisingCancelledErrorItselfEndsCancelled(LoopKind kind) {
        kind.run(() -> {
            CancelledError own = new CancelledError("self-inflicted");
            Task<Void> task = Asyncio.createTask(() -> {
                Asyncio.sleep(0);
                throw own;
            });
            CancelledError seen = assertThrows(CancelledError.class, task::await);
            assertTrue(task.cancelled());
            assertEquals("self-inflicted", seen.getMessage());
            assertTrue(seen == own || seen.getCause() == own, "the original error is kept for chaining");
            return null;
        });
    }

    @LoopTest
    void cancelledTaskResultAndExceptionRaiseCancelledError(LoopKind kind) {
        kind.run(() -> {
            Task<Void> task = Asyncio.createTask(() -> Asyncio.sleep(10, null));
            Asyncio.sleep(0);
            task.cancel("why");
            assertThrows(CancelledError.class, task::await);
            assertEquals("why", assertThrows(CancelledError.class, task::result).getMessage());
            assertEquals("why", assertThrows(CancelledError.class, task::exception).getMessage());
            return null;
        });
    }

    @LoopTest
    void cancelDuringABareYieldIsThrownAtThatYield(LoopKind kind) {
        List<String> events = kind.run(() -> {
            List<String> log = new ArrayList<>();
            Task<Void> task = Asyncio.createTask(() -> {
                log.add("before yield");
                try {
                    Asyncio.sleep(0);
                } catch (CancelledError cancelled) {
                    log.add("cancelled in yield");
                    throw cancelled;
                }
                log.add("after yield");
                return null;
            });
            Asyncio.sleep(0);
            task.cancel();
            assertThrows(CancelledError.class, task::await);
            return log;
        });
        assertEquals(List.of("before yield", "cancelled in yield"), events);
    }

    @LoopTest
    void finallyBlocksRunWhenATaskIsCancelled(LoopKind kind) {
        AtomicBoolean cleanedUp = new AtomicBoolean();
        kind.run(() -> {
            Task<Void> task = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                } finally {
                    cleanedUp.set(true);
                }
                return null;
            });
            Asyncio.sleep(0);
            task.cancel();
            assertThrows(CancelledError.class, task::await);
            return null;
        });
        assertTrue(cleanedUp.get());
    }

    @LoopTest
    void cancellingThePendingMainTaskEndsRunWithCancelledError(LoopKind kind) {
        assertThrows(CancelledError.class, () -> kind.run(() -> {
            Task<?> main = Asyncio.currentTask();
            Asyncio.getRunningLoop().callSoon(main::cancel);
            Asyncio.sleep(10);
            return null;
        }));
    }

    @LoopTest
    void theSameCancelledErrorTravelsUpThroughAwaitingTasks(LoopKind kind) {
        kind.run(() -> {
            AtomicReference<CancelledError> raisedInside = new AtomicReference<>();
            Task<Void> inner = Asyncio.createTask(() -> {
                try {
                    return Asyncio.sleep(3600, null);
                } catch (CancelledError cancelled) {
                    raisedInside.set(cancelled);
                    throw cancelled;
                }
            });
            Task<Void> outer = Asyncio.createTask(() -> inner.await());
            Asyncio.sleep(0);
            inner.cancel("why");
            CancelledError seen = assertThrows(CancelledError.class, outer::await);
            assertSame(raisedInside.get(), seen, "asyncio re-raises the very error, at every level");
            assertEquals("why", seen.getMessage());
            assertNull(seen.getCause(), "no chain of copies");
            assertTrue(inner.cancelled() && outer.cancelled());

            // Once handed out, the error is let go: a later retrieval gets a fresh one.
            CancelledError later = assertThrows(CancelledError.class, outer::result);
            assertNull(later.getCause());
            return null;
        });
    }
}
