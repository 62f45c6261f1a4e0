package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.Task;
import asyncio.api.sync.Condition;
import asyncio.api.sync.Lock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoDescriptorLeaks.class)
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConditionTest {

    /** A task that waits on {@code cond} once, notes {@code name} and whether it held the lock, and releases it. */
    private static Task<Void> waiter(Condition cond, List<String> woken, String name) {
        return Asyncio.createTask(() -> {
            cond.acquire();
            try {
                cond.await();
                woken.add(name + (cond.locked() ? "" : " without lock"));
            } finally {
                cond.release();
            }
            return null;
        });
    }

    /** A task that waits on {@code cond}, and on cancellation notes whether it held the lock. */
    private static Task<Void> recordingCancel(Condition cond, List<String> notes) {
        return Asyncio.createTask(() -> {
            cond.acquire();
            try {
                cond.await();
                notes.add("woken");
            } catch (CancelledError cancelled) {
                notes.add(cond.locked() ? "cancelled holding lock" : "cancelled without lock");
                throw cancelled;
            } finally {
                cond.release();
            }
            return null;
        });
    }

    private static void notify(Condition cond, int n) {
        cond.acquire();
        try {
            cond.notify(n);
        } finally {
            cond.release();
        }
    }

    @LoopTest
    void awaitWithoutTheLockRaises(LoopKind kind) {
        kind.run(() -> {
            Condition cond = new Condition();
            IllegalStateException error = assertThrows(IllegalStateException.class, cond::await);
            assertEquals("cannot wait on un-acquired lock", error.getMessage());
            return null;
        });
    }

    @LoopTest
    void notifyWithoutTheLockRaises(LoopKind kind) {
        kind.run(() -> {
            Condition cond = new Condition();
            IllegalStateException error = assertThrows(IllegalStateException.class, () -> cond.notify(1));
            assertEquals("cannot notify on un-acquired lock", error.getMessage());
            assertThrows(IllegalStateException.class, cond::notifyAllWaiters);
            return null;
        });
    }

    @LoopTest
    void notifyWakesUpToNWaitersInArrivalOrder(LoopKind kind) {
        kind.run(() -> {
            Condition cond = new Condition();
            List<String> woken = new ArrayList<>();
            Task<Void> a = waiter(cond, woken, "a");
            Task<Void> b = waiter(cond, woken, "b");
            Task<Void> c = waiter(cond, woken, "c");
            Turns.pass(3);
            notify(cond, 2);
            a.await();
            b.await();
            Turns.pass(3);
            assertEquals(List.of("a", "b"), woken);
            assertFalse(c.done());
            cond.acquire();
            cond.notifyAllWaiters();
            cond.release();
            c.await();
            assertEquals(List.of("a", "b", "c"), woken);
            return null;
        });
    }

    @LoopTest
    void awaitReturnsTrueHoldingTheLockAfterTheNotifierReleases(LoopKind kind) {
        kind.run(() -> {
            Condition cond = new Condition();
            List<String> notes = new ArrayList<>();
            Task<Boolean> task = Asyncio.createTask(() -> {
                cond.acquire();
                boolean result = cond.await();
                notes.add(cond.locked() ? "holding" : "not holding");
                cond.release();
                return result;
            });
            Turns.pass(2);
            assertFalse(cond.locked());
            cond.acquire();
            cond.notify(1);
            Turns.pass(3);
            // Notified, but it cannot return before it has the lock back.
            assertTrue(notes.isEmpty());
            cond.release();
            assertTrue(task.await());
            assertEquals(List.of("holding"), notes);
            assertFalse(cond.locked());
            return null;
        });
    }

    @LoopTest
    void waitForReturnsOnceThePredicateHolds(LoopKind kind) {
        kind.run(() -> {
            Condition cond = new Condition();
            int[] value = {0};
            int[] checks = {0};
            Task<Boolean> task = Asyncio.createTask(() -> {
                cond.acquire();
                try {
                    return cond.waitFor(() -> {
                        checks[0]++;
                        return value[0] == 2;
                    });
                } finally {
                    cond.release();
                }
            });
            for (int i = 1; i <= 2; i++) {
                Turns.pass(3);
                assertFalse(task.done());
                cond.acquire();
                value[0] = i;
                cond.notifyAllWaiters();
                cond.release();
            }
            assertTrue(task.await());
            assertEquals(3, checks[0]);
            return null;
        });
    }

    @LoopTest
    void conditionSharesTheLockItIsGiven(LoopKind kind) {
        kind.run(() -> {
            Lock lock = new Lock();
            Condition first = new Condition(lock);
            Condition second = new Condition(lock);
            first.acquire();
            assertTrue(lock.locked());
            assertTrue(second.locked());
            second.release();
            assertFalse(first.locked());
            return null;
        });
    }

    @LoopTest
    void cancelledWaiterTakesTheLockBackBeforeRaising(LoopKind kind) {
        kind.run(() -> {
            Condition cond = new Condition();
            List<String> notes = new ArrayList<>();
            Task<Void> task = recordingCancel(cond, notes);
            Turns.pass(2);
            cond.acquire();
            task.cancel();
            Turns.pass(3);
            // It must wait for the lock before it may raise.
            assertFalse(task.done());
            cond.release();
            assertThrows(CancelledError.class, task::await);
            assertEquals(List.of("cancelled holding lock"), notes);
            assertFalse(cond.locked());
            return null;
        });
    }

    @LoopTest
    void cancellingTheLockReacquisitionStillEndsHoldingTheLock(LoopKind kind) {
        kind.run(() -> {
            Condition cond = new Condition();
            List<String> notes = new ArrayList<>();
            Task<Void> task = recordingCancel(cond, notes);
            Turns.pass(2);
            cond.acquire();
            cond.notify(1);
            Turns.pass(3);
            // Woken, now waiting for the lock we hold: cancel it there, twice.
            task.cancel();
            Turns.pass(3);
            task.cancel();
            Turns.pass(3);
            assertFalse(task.done());
            cond.release();
            assertThrows(CancelledError.class, task::await);
            assertEquals(List.of("cancelled holding lock"), notes);
            assertFalse(cond.locked());
            return null;
        });
    }

    @LoopTest
    void cancelledWaiterDoesNotStealWakeup(LoopKind kind) {
        kind.run(() -> {
            Condition cond = new Condition();
            List<String> woken = new ArrayList<>();
            Task<Void> a = waiter(cond, woken, "a");
            Task<Void> b = waiter(cond, woken, "b");
            Task<Void> c = waiter(cond, woken, "c");
            Turns.pass(3);
            b.cancel();
            notify(cond, 2);
            a.await();
            c.await();
            assertThrows(CancelledError.class, b::await);
            assertEquals(List.of("a", "c"), woken);
            assertFalse(cond.locked());
            return null;
        });
    }

    @LoopTest
    void waiterCancelledAfterNotifyPassesTheNotificationOn(LoopKind kind) {
        kind.run(() -> {
            Condition cond = new Condition();
            List<String> woken = new ArrayList<>();
            Task<Void> a = waiter(cond, woken, "a");
            Task<Void> b = waiter(cond, woken, "b");
            Turns.pass(3);
            cond.acquire();
            cond.notify(1);
            // a is notified but has not run: cancelled now, it must wake b in its place.
            a.cancel();
            cond.release();
            b.await();
            assertThrows(CancelledError.class, a::await);
            assertEquals(List.of("b"), woken);
            assertFalse(cond.locked());
            return null;
        });
    }

    @LoopTest
    void cancelledWaitForRaisesHoldingTheLock(LoopKind kind) {
        kind.run(() -> {
            Condition cond = new Condition();
            List<String> notes = new ArrayList<>();
            Task<Boolean> task = Asyncio.createTask(() -> {
                cond.acquire();
                try {
                    return cond.waitFor(() -> false);
                } catch (CancelledError cancelled) {
                    notes.add(cond.locked() ? "holding" : "not holding");
                    throw cancelled;
                } finally {
                    cond.release();
                }
            });
            Turns.pass(2);
            task.cancel();
            assertThrows(CancelledError.class, task::await);
            assertEquals(List.of("holding"), notes);
            assertFalse(cond.locked());
            assertTrue(cond.toString().endsWith("[unlocked]>"), cond.toString());
            return null;
        });
    }

    @LoopTest
    void conditionUsedFromASecondLoopRaises(LoopKind kind) {
        Condition cond = new Condition();
        kind.run(() -> {
            Task<Void> task = waiter(cond, new ArrayList<>(), "binds");
            Turns.pass(2);
            notify(cond, 1);
            return task.await();
        });
        kind.run(() -> {
            cond.acquire();
            assertThrows(IllegalStateException.class, cond::await);
            assertTrue(cond.locked());
            cond.release();
            return null;
        });
    }
}
