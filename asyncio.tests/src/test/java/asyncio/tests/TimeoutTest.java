package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.Task;
import asyncio.api.Timeout;
import asyncio.api.TimeoutError;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code asyncio.timeout} and {@code asyncio.timeout_at}: a deadline over a block of the current task. */
@ExtendWith(NoDescriptorLeaks.class)
class TimeoutTest {

    private static Future<Void> never() {
        return Asyncio.getRunningLoop().createFuture();
    }

    @LoopTest
    void blockFinishingInTimeReturnsItsValue(LoopKind kind) {
        kind.run(() -> {
            AtomicReference<Timeout> scope = new AtomicReference<>();
            String value = Asyncio.timeout(10.0, timeout -> {
                scope.set(timeout);
                return Asyncio.sleep(0, "in time");
            });
            assertEquals("in time", value);
            assertFalse(scope.get().expired());
            return null;
        });
    }

    @LoopTest
    void expiredBlockRaisesTimeoutErrorCausedByTheCancellation(LoopKind kind) {
        kind.run(() -> {
            AtomicReference<Timeout> scope = new AtomicReference<>();
            TimeoutError error = assertThrows(TimeoutError.class, () -> Asyncio.timeout(0.01, timeout -> {
                scope.set(timeout);
                return never().await();
            }));
            assertTrue(error.getCause() instanceof CancelledError, String.valueOf(error.getCause()));
            assertTrue(scope.get().expired());
            assertEquals(0, Asyncio.currentTask().cancelling());
            Asyncio.sleep(0);
            return null;
        });
    }

    @LoopTest
    void codeAfterAnExpiredTimeoutRunsNormally(LoopKind kind) {
        String after = kind.run(() -> {
            try {
                Asyncio.timeout(0.001, timeout -> never().await());
            } catch (TimeoutError expected) {
                // handled
            }
            return Asyncio.sleep(0.001, "not cancelled");
        });
        assertEquals("not cancelled", after);
    }

    @LoopTest
    void whenIsTheDeadlineInLoopTime(LoopKind kind) {
        kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            double before = loop.time();
            Asyncio.timeout(5.0, timeout -> {
                assertTrue(timeout.when() >= before + 5.0 && timeout.when() <= loop.time() + 5.0, timeout.when() + "");
                return null;
            });
            double at = loop.time() + 7;
            Asyncio.timeoutAt(at, timeout -> {
                assertEquals(at, timeout.when());
                return null;
            });
            Asyncio.timeout(timeout -> {
                assertNull(timeout.when());
                return null;
            });
            return null;
        });
    }

    @LoopTest
    void timeoutAtAnAbsoluteDeadlineExpires(LoopKind kind) {
        kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            assertThrows(TimeoutError.class, () -> Asyncio.timeoutAt(loop.time() + 0.01, timeout -> never().await()));
            return null;
        });
    }

    @LoopTest
    void nullDelayNeverExpires(LoopKind kind) {
        assertEquals("waited", kind.run(() -> Asyncio.timeout(timeout -> Asyncio.sleep(0.02, "waited"))));
    }

    @LoopTest
    void rescheduleToLaterAvoidsTheExpiry(LoopKind kind) {
        kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            String value = Asyncio.timeout(0.01, timeout -> {
                timeout.reschedule(loop.time() + 10);
                return Asyncio.sleep(0.03, "survived");
            });
            assertEquals("survived", value);
            return null;
        });
    }

    @LoopTest
    void rescheduleToThePastExpiresAtTheNextIteration(LoopKind kind) {
        kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            AtomicReference<Timeout> scope = new AtomicReference<>();
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(10.0, timeout -> {
                scope.set(timeout);
                timeout.reschedule(loop.time() - 1);
                assertFalse(timeout.expired(), "nothing happens before the loop runs");
                return never().await();
            }));
            assertTrue(scope.get().expired());
            return null;
        });
    }

    @LoopTest
    void rescheduleToNullDisablesTheDeadline(LoopKind kind) {
        kind.run(() -> {
            String value = Asyncio.timeout(0.01, timeout -> {
                timeout.reschedule(null);
                assertNull(timeout.when());
                return Asyncio.sleep(0.03, "no deadline");
            });
            assertEquals("no deadline", value);
            return null;
        });
    }

    @LoopTest
    void nullDeadlineCanBeRescheduledToExpire(LoopKind kind) {
        kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(timeout -> {
                timeout.reschedule(loop.time() + 0.01);
                return never().await();
            }));
            return null;
        });
    }

    @LoopTest
    void rescheduleAfterTheBlockRaises(LoopKind kind) {
        kind.run(() -> {
            Timeout finished = Asyncio.timeout(10.0, timeout -> timeout);
            IllegalStateException error = assertThrows(IllegalStateException.class, () -> finished.reschedule(null));
            assertEquals("Cannot change state of finished Timeout", error.getMessage());

            AtomicReference<Timeout> scope = new AtomicReference<>();
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(0.001, timeout -> {
                scope.set(timeout);
                return never().await();
            }));
            IllegalStateException expired = assertThrows(IllegalStateException.class, () -> scope.get().reschedule(null));
            assertEquals("Cannot change state of expired Timeout", expired.getMessage());
            return null;
        });
    }

    @LoopTest
    void innerTimeoutThatFiresConvertsAndTheOuterOneDoesNot(LoopKind kind) {
        kind.run(() -> {
            AtomicReference<Timeout> outerScope = new AtomicReference<>();
            AtomicReference<Timeout> innerScope = new AtomicReference<>();
            String value = Asyncio.timeout(10.0, outer -> {
                outerScope.set(outer);
                try {
                    Asyncio.timeout(0.01, inner -> {
                        innerScope.set(inner);
                        return never().await();
                    });
                } catch (TimeoutError expected) {
                    return "inner timed out";
                }
                return "no timeout";
            });
            assertEquals("inner timed out", value);
            assertTrue(innerScope.get().expired());
            assertFalse(outerScope.get().expired());
            return null;
        });
    }

    @LoopTest
    void outerTimeoutThatFiresPassesThroughTheInnerAsCancellation(LoopKind kind) {
        kind.run(() -> {
            AtomicReference<Timeout> innerScope = new AtomicReference<>();
            AtomicReference<Throwable> seenByOuterBlock = new AtomicReference<>();
            TimeoutError error = assertThrows(TimeoutError.class, () -> Asyncio.timeout(0.01, outer -> {
                try {
                    return Asyncio.timeout(10.0, inner -> {
                        innerScope.set(inner);
                        return never().await();
                    });
                } catch (Throwable thrown) {
                    seenByOuterBlock.set(thrown);
                    throw thrown;
                }
            }));
            assertTrue(seenByOuterBlock.get() instanceof CancelledError, String.valueOf(seenByOuterBlock.get()));
            assertFalse(innerScope.get().expired());
            assertSame(seenByOuterBlock.get(), error.getCause());
            return null;
        });
    }

    @LoopTest
    void bothNestedTimeoutsExpiringTogetherOnlyTheOuterConverts(LoopKind kind) {
        kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            AtomicReference<Timeout> innerScope = new AtomicReference<>();
            AtomicReference<Throwable> seenByOuterBlock = new AtomicReference<>();
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(10.0, outer -> {
                try {
                    return Asyncio.timeout(10.0, inner -> {
                        innerScope.set(inner);
                        double past = loop.time() - 1;
                        outer.reschedule(past);
                        inner.reschedule(past);
                        return never().await();
                    });
                } catch (Throwable thrown) {
                    seenByOuterBlock.set(thrown);
                    throw thrown;
                }
            }));
            assertTrue(innerScope.get().expired());
            assertTrue(seenByOuterBlock.get() instanceof CancelledError,
                    "two cancellations were requested, the inner withdrew one: " + seenByOuterBlock.get());
            return null;
        });
    }

    @LoopTest
    void cancellationFromOutsideDuringATimeoutStaysACancelledError(LoopKind kind) {
        kind.run(() -> {
            AtomicReference<Timeout> scope = new AtomicReference<>();
            Task<Void> task = Asyncio.createTask(() -> Asyncio.timeout(10.0, timeout -> {
                scope.set(timeout);
                return never().await();
            }));
            Asyncio.sleep(0);
            task.cancel("from outside");
            CancelledError error = assertThrows(CancelledError.class, task::await);
            assertEquals("from outside", error.getMessage());
            assertFalse(scope.get().expired());
            assertTrue(task.cancelled());
            return null;
        });
    }

    @LoopTest
    void cancellationFromOutsideAndExpiryTogetherStayACancelledError(LoopKind kind) {
        kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            AtomicReference<Timeout> scope = new AtomicReference<>();
            Task<Void> task = Asyncio.createTask(() -> Asyncio.timeout(10.0, timeout -> {
                scope.set(timeout);
                return never().await();
            }));
            Asyncio.sleep(0);
            // Both in the same iteration: the deadline passes and someone else cancels.
            scope.get().reschedule(loop.time() - 1);
            loop.callSoon(task::cancel);
            assertThrows(CancelledError.class, task::await);
            assertTrue(scope.get().expired());
            assertTrue(task.cancelled());
            assertEquals(1, task.cancelling());
            return null;
        });
    }

    @LoopTest
    void resultAndExpiryInTheSameIterationGiveTimeoutError(LoopKind kind) {
        kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<String> future = loop.createFuture();
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(10.0, timeout -> {
                loop.callSoon(() -> future.setResult("too late"));
                timeout.reschedule(loop.time() - 1);
                return future.await();
            }));
            assertEquals("too late", future.result());
            return null;
        });
    }

    @LoopTest
    void blockThatSwallowsTheCancellationReturnsNormally(LoopKind kind) {
        kind.run(() -> {
            AtomicReference<Timeout> scope = new AtomicReference<>();
            String value = Asyncio.timeout(0.001, timeout -> {
                scope.set(timeout);
                try {
                    never().await();
                } catch (CancelledError swallowed) {
                    return "swallowed";
                }
                return "not reached";
            });
            assertEquals("swallowed", value);
            assertTrue(scope.get().expired());
            assertEquals(0, Asyncio.currentTask().cancelling());
            return null;
        });
    }

    @LoopTest
    void otherExceptionAfterExpiryPropagatesUnchanged(LoopKind kind) {
        IOException error = new IOException("cleanup failed");
        kind.run(() -> {
            IOException seen = assertThrows(IOException.class, () -> Asyncio.timeout(0.001, timeout -> {
                try {
                    never().await();
                } catch (CancelledError cancelled) {
                    throw error;
                }
                return null;
            }));
            assertSame(error, seen);
            return null;
        });
    }

    @LoopTest
    void zeroDelayBlockThatNeverAwaitsFinishes(LoopKind kind) {
        assertEquals("no await", kind.run(() -> Asyncio.timeout(0.0, timeout -> "no await")));
    }

    @LoopTest
    void zeroDelayBlockThatAwaitsTimesOut(LoopKind kind) {
        kind.run(() -> {
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(0.0, timeout -> {
                Asyncio.sleep(0);
                return null;
            }));
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(-1.0, timeout -> never().await()));
            return null;
        });
    }

    @LoopTest
    void timeoutOutsideATaskRaises(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            IllegalStateException error = assertThrows(IllegalStateException.class,
                    () -> Asyncio.timeoutAt(loop.time() + 1, timeout -> null));
            assertTrue(error.getMessage().contains("inside a task"), error.getMessage());
        }
    }

    @LoopTest
    void timeoutCancelsTheAwaitedTask(LoopKind kind) {
        kind.run(() -> {
            Task<Void> inner = Asyncio.createTask(() -> Asyncio.sleep(3600, null));
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(0.01, timeout -> inner.await()));
            assertTrue(inner.cancelled());
            return null;
        });
    }

    @LoopTest
    void toStringShowsTheStateAsAsyncioNamesIt(LoopKind kind) {
        kind.run(() -> {
            Asyncio.timeout(10.0, timeout -> {
                assertTrue(timeout.toString().matches("<Timeout \\[active] when=\\d+\\.\\d*>"), timeout.toString());
                return null;
            });
            Asyncio.timeout(timeout -> {
                assertEquals("<Timeout [active] when=None>", timeout.toString());
                return null;
            });
            Timeout finished = Asyncio.timeout(10.0, timeout -> timeout);
            assertEquals("<Timeout [finished]>", finished.toString());
            AtomicReference<Timeout> scope = new AtomicReference<>();
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(0.0, timeout -> {
                scope.set(timeout);
                return never().await();
            }));
            assertEquals("<Timeout [expired]>", scope.get().toString());
            return null;
        });
    }

    @LoopTest
    void timeoutInsideTheCleanupOfACaughtCancellationStillConverts(LoopKind kind) {
        kind.run(() -> {
            try {
                Asyncio.currentTask().cancel();
                Asyncio.sleep(1);
            } catch (CancelledError swallowed) {
                // the task is still being cancelled: cancelling() is 1
            }
            assertEquals(1, Asyncio.currentTask().cancelling());
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(0.0, timeout -> Asyncio.sleep(1, null)));
            assertEquals(1, Asyncio.currentTask().cancelling());
            Asyncio.currentTask().uncancel();
            return null;
        });
    }

    @LoopTest
    void newCancellationInsideTheCleanupTimeoutStaysACancelledError(LoopKind kind) {
        kind.run(() -> {
            try {
                Asyncio.currentTask().cancel();
                Asyncio.sleep(1);
            } catch (CancelledError swallowed) {
                // cleanup follows
            }
            assertThrows(CancelledError.class, () -> Asyncio.timeout(1.0, timeout -> {
                Asyncio.currentTask().cancel();
                return Asyncio.sleep(2, null);
            }));
            assertEquals(2, Asyncio.currentTask().cancelling());
            Asyncio.currentTask().uncancel();
            Asyncio.currentTask().uncancel();
            return null;
        });
    }

    @LoopTest
    void foreignExceptionBeforeTheDeadlinePassesUnchanged(LoopKind kind) {
        IllegalArgumentException error = new IllegalArgumentException("foreign");
        kind.run(() -> {
            AtomicReference<Timeout> scope = new AtomicReference<>();
            assertSame(error, assertThrows(IllegalArgumentException.class, () -> Asyncio.timeout(0.01, timeout -> {
                scope.set(timeout);
                throw error;
            })));
            assertFalse(scope.get().expired());
            return null;
        });
    }

    @LoopTest
    void rescheduleFromAnotherTaskMovesTheDeadline(LoopKind kind) {
        kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<Timeout> entered = loop.createFuture();
            Task<Void> task = Asyncio.createTask(() -> Asyncio.timeoutAt(loop.time() + 10, timeout -> {
                entered.setResult(timeout);
                return Asyncio.sleep(50, null);
            }));
            Timeout timeout = entered.await();
            double later = timeout.when() + 20;
            timeout.reschedule(later);
            assertEquals(later, timeout.when());
            timeout.reschedule(null);
            assertNull(timeout.when());
            task.cancel();
            assertThrows(CancelledError.class, task::await);
            assertFalse(timeout.expired());
            return null;
        });
    }
}
