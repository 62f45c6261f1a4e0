package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.Task;
import asyncio.api.TimeoutError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code asyncio.wait_for}: a deadline that cancels the inner future and waits for it. */
@ExtendWith(NoDescriptorLeaks.class)
class WaitForTest {

    @LoopTest
    void resultWithinTheTimeoutIsReturned(LoopKind kind) {
        assertEquals("quick", kind.run(() -> Asyncio.waitFor(Asyncio.createTask(() -> Asyncio.sleep(0, "quick")), 10.0)));
    }

    @LoopTest
    void coroutineOverloadReturnsItsResult(LoopKind kind) {
        assertEquals(5, kind.run(() -> Asyncio.waitFor(() -> Asyncio.sleep(0.001, 5), 10.0)));
    }

    @LoopTest
    void timeoutCancelsTheInnerTaskAndRaisesTimeoutErrorCausedByTheCancellation(LoopKind kind) {
        kind.run(() -> {
            Task<Void> inner = Asyncio.createTask(() -> Asyncio.sleep(3600, null));
            TimeoutError error = assertThrows(TimeoutError.class, () -> Asyncio.waitFor(inner, 0.01));
            assertTrue(inner.cancelled());
            assertTrue(error.getCause() instanceof CancelledError, String.valueOf(error.getCause()));
            assertEquals(0, Asyncio.currentTask().cancelling(), "the timeout's own cancellation is withdrawn");
            return null;
        });
    }

    @LoopTest
    void timeoutWaitsForTheInnerTaskToFinishCancelling(LoopKind kind) {
        List<String> events = kind.run(() -> {
            List<String> log = new ArrayList<>();
            Task<Void> inner = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(3600);
                } catch (CancelledError cancelled) {
                    log.add("inner cancelled");
                    Asyncio.sleep(0.01);
                    log.add("inner cleaned up");
                    throw cancelled;
                }
                return null;
            });
            try {
                Asyncio.waitFor(inner, 0.01);
            } catch (TimeoutError timedOut) {
                log.add("timeout seen, inner done: " + inner.done());
            }
            return log;
        });
        assertEquals(List.of("inner cancelled", "inner cleaned up", "timeout seen, inner done: true"), events);
    }

    @LoopTest
    void innerThatSuppressesCancellationAndReturnsAValueWins(LoopKind kind) {
        int result = kind.run(() -> Asyncio.waitFor(() -> {
            try {
                Asyncio.sleep(3600);
                return 0;
            } catch (CancelledError cancelled) {
                return 42;
            }
        }, 0.01));
        assertEquals(42, result);
    }

    @LoopTest
    void innerRaisingDuringCancellationRaisesThatException(LoopKind kind) {
        IOException error = new IOException("while cancelling");
        IOException seen = kind.run(() -> assertThrows(IOException.class, () -> Asyncio.waitFor(() -> {
            try {
                Asyncio.sleep(3600);
            } catch (CancelledError cancelled) {
                throw error;
            }
            return null;
        }, 0.01)));
        assertSame(error, seen);
    }

    @LoopTest
    void zeroTimeoutOnADoneFutureReturnsItsResult(LoopKind kind) {
        kind.run(() -> {
            Future<String> done = Asyncio.getRunningLoop().createFuture();
            done.setResult("already");
            assertEquals("already", Asyncio.waitFor(done, 0.0));
            assertEquals("already", Asyncio.waitFor(done, -1.0));
            return null;
        });
    }

    @LoopTest
    void zeroTimeoutOnAPendingTaskCancelsItBeforeItStarts(LoopKind kind) {
        AtomicBoolean started = new AtomicBoolean();
        kind.run(() -> {
            Task<Void> inner = Asyncio.createTask(() -> {
                started.set(true);
                return null;
            });
            TimeoutError error = assertThrows(TimeoutError.class, () -> Asyncio.waitFor(inner, 0.0));
            assertTrue(inner.cancelled());
            assertTrue(error.getCause() instanceof CancelledError);
            return null;
        });
        assertFalse(started.get());
    }

    @LoopTest
    void zeroTimeoutWaitsForTheCancellationToFinish(LoopKind kind) {
        kind.run(() -> {
            List<String> log = new ArrayList<>();
            Task<Void> inner = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(3600);
                } catch (CancelledError cancelled) {
                    Asyncio.sleep(0);
                    log.add("inner finished cancelling");
                    throw cancelled;
                }
                return null;
            });
            Asyncio.sleep(0);
            assertThrows(TimeoutError.class, () -> Asyncio.waitFor(inner, 0.0));
            assertEquals(List.of("inner finished cancelling"), log);
            return null;
        });
    }

    @LoopTest
    void nullTimeoutWaitsAsLongAsItTakes(LoopKind kind) {
        assertEquals("eventually", kind.run(() -> Asyncio.waitFor(() -> Asyncio.sleep(0.02, "eventually"))));
    }

    @LoopTest
    void innerExceptionPropagatesUnchanged(LoopKind kind) {
        IOException error = new IOException("inner failed");
        IOException seen = kind.run(() -> assertThrows(IOException.class, () -> Asyncio.waitFor(() -> {
            Asyncio.sleep(0);
            throw error;
        }, 10.0)));
        assertSame(error, seen);
    }

    @LoopTest
    void cancellingTheWaiterCancelsTheInnerAndRaisesCancelledError(LoopKind kind) {
        kind.run(() -> {
            Task<Void> inner = Asyncio.createTask(() -> Asyncio.sleep(3600, null));
            Task<Void> waiter = Asyncio.createTask(() -> Asyncio.waitFor(inner, 10.0));
            Asyncio.sleep(0);
            waiter.cancel();
            CancelledError error = assertThrows(CancelledError.class, waiter::await);
            assertTrue(waiter.cancelled(), String.valueOf(error));
            assertTrue(inner.cancelled());
            return null;
        });
    }

    @LoopTest
    void cancellingTheWaiterRightAfterTheInnerFinishedStillCancelsIt(LoopKind kind) {
        kind.run(() -> {
            // An inner task of its own: a coroutine would run inside the waiter, finishing with it.
            Task<Void> waiter = Asyncio.createTask(() -> Asyncio.waitFor(Asyncio.createTask(() -> {
                Asyncio.sleep(0);
                return null;
            }), 0.5));
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            waiter.cancel();
            assertThrows(CancelledError.class, waiter::await);
            assertTrue(waiter.cancelled());
            return null;
        });
    }

    @LoopTest
    void resultBeforeTheDeadlineLeavesNoCancellationBehind(LoopKind kind) {
        kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<String> future = loop.createFuture();
            loop.callSoon(() -> future.setResult("in time"));
            assertEquals("in time", Asyncio.waitFor(future, 0.1));
            // Past the old deadline: the timer was cancelled, nothing interrupts this sleep.
            Asyncio.sleep(0.15);
            assertEquals(0, Asyncio.currentTask().cancelling());
            return null;
        });
    }

    @LoopTest
    void resultArrivingAfterTheTimeoutIsIgnored(LoopKind kind) {
        kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<String> future = loop.createFuture();
            assertThrows(TimeoutError.class, () -> Asyncio.waitFor(future, 0.005));
            assertTrue(future.cancelled());
            return null;
        });
    }

    @LoopTest
    void cancelledWaiterWhoseInnerSuppressesTheCancellationReturnsTheValue(LoopKind kind) {
        kind.run(() -> {
            Task<Integer> waiter = Asyncio.createTask(() -> Asyncio.waitFor(() -> {
                try {
                    Asyncio.sleep(10);
                    return 0;
                } catch (CancelledError cancelled) {
                    Asyncio.sleep(0.001);
                    return 5;
                }
            }, 10.0));
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            waiter.cancel();
            assertEquals(5, waiter.await());
            assertFalse(waiter.cancelled());
            assertEquals(1, waiter.cancelling());
            return null;
        });
    }

    @LoopTest
    void aCoroutineRunsInsideTheWaitingTaskAndSeesItsCancellation(LoopKind kind) {
        kind.run(() -> {
            AtomicReference<Task<?>> runningIn = new AtomicReference<>();
            AtomicBoolean cleanedUp = new AtomicBoolean();
            Task<Void> waiting = Asyncio.createTask(() -> Asyncio.waitFor(() -> {
                runningIn.set(Asyncio.currentTask());
                try {
                    return Asyncio.sleep(3600, null);
                } finally {
                    cleanedUp.set(true);
                }
            }, 10.0));
            // The waiting task's first step reaches the coroutine's first await; then it is cancelled.
            Asyncio.sleep(0);
            waiting.cancel();
            assertThrows(CancelledError.class, waiting::await);
            assertSame(waiting, runningIn.get(), "as in asyncio 3.12+, no task of its own");
            assertTrue(cleanedUp.get(), "the body ran and saw the cancellation");
            return null;
        });
    }
}
