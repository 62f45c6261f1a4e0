package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.Task;
import asyncio.api.sync.Held;
import asyncio.api.sync.Lock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoDescriptorLeaks.class)
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LockTest {

    /** A task that takes the lock, notes {@code name}, and lets it go. */
    private static Task<Void> taker(Lock lock, List<String> order, String name) {
        return Asyncio.createTask(() -> {
            lock.acquire();
            order.add(name);
            lock.release();
            return null;
        });
    }

    @LoopTest
    void acquireAndReleaseToggleLocked(LoopKind kind) {
        kind.run(() -> {
            Lock lock = new Lock();
            assertFalse(lock.locked());
            lock.acquire();
            assertTrue(lock.locked());
            lock.release();
            assertFalse(lock.locked());
            return null;
        });
    }

    @LoopTest
    void releasingAnUnlockedLockRaises(LoopKind kind) {
        kind.run(() -> {
            Lock lock = new Lock();
            IllegalStateException error = assertThrows(IllegalStateException.class, lock::release);
            assertEquals("Lock is not acquired.", error.getMessage());
            return null;
        });
    }

    @LoopTest
    @SuppressWarnings("try")
    void tryWithResourcesReleasesEvenOnError(LoopKind kind) {
        kind.run(() -> {
            Lock lock = new Lock();
            try (Held held = lock.acquire()) {
                assertTrue(lock.locked());
            }
            assertFalse(lock.locked());
            assertThrows(ArithmeticException.class, () -> {
                try (Held held = lock.acquire()) {
                    throw new ArithmeticException("inside");
                }
            });
            assertFalse(lock.locked());
            return null;
        });
    }

    @LoopTest
    void waitersTakeTheLockInArrivalOrder(LoopKind kind) {
        List<String> order = kind.run(() -> {
            Lock lock = new Lock();
            List<String> taken = new ArrayList<>();
            lock.acquire();
            List<Task<Void>> tasks = new ArrayList<>();
            for (String name : List.of("a", "b", "c", "d")) {
                tasks.add(taker(lock, taken, name));
            }
            Turns.pass(3);
            assertTrue(taken.isEmpty());
            lock.release();
            Asyncio.gatherAll(tasks).await();
            assertFalse(lock.locked());
            return taken;
        });
        assertEquals(List.of("a", "b", "c", "d"), order);
    }

    @LoopTest
    void newcomerQueuesBehindAWokenWaiter(LoopKind kind) {
        List<String> order = kind.run(() -> {
            Lock lock = new Lock();
            List<String> taken = new ArrayList<>();
            lock.acquire();
            Task<Void> first = taker(lock, taken, "first");
            Turns.pass(2);
            lock.release();
            // The lock is free, but "first" was woken and has not run yet: fairness makes us wait.
            lock.acquire();
            taken.add("newcomer");
            lock.release();
            first.await();
            return taken;
        });
        assertEquals(List.of("first", "newcomer"), order);
    }

    @LoopTest
    void cancelledWaiterDoesNotStealWakeup(LoopKind kind) {
        kind.run(() -> {
            Lock lock = new Lock();
            List<String> taken = new ArrayList<>();
            lock.acquire();
            Task<Void> a = taker(lock, taken, "a");
            Task<Void> b = taker(lock, taken, "b");
            Task<Void> c = taker(lock, taken, "c");
            Turns.pass(2);
            b.cancel();
            lock.release();
            a.await();
            c.await();
            assertThrows(CancelledError.class, b::await);
            assertEquals(List.of("a", "c"), taken);
            assertFalse(lock.locked());
            return null;
        });
    }

    @LoopTest
    void waiterCancelledAfterWakeupPassesTheLockOn(LoopKind kind) {
        kind.run(() -> {
            Lock lock = new Lock();
            List<String> taken = new ArrayList<>();
            lock.acquire();
            Task<Void> a = taker(lock, taken, "a");
            Task<Void> b = taker(lock, taken, "b");
            Turns.pass(2);
            lock.release();
            // a's wake-up is already set; cancelling it now must hand the lock to b, not lose it.
            a.cancel();
            b.await();
            assertThrows(CancelledError.class, a::await);
            assertEquals(List.of("b"), taken);
            assertFalse(lock.locked());
            Task<Void> later = taker(lock, taken, "later");
            later.await();
            assertEquals(List.of("b", "later"), taken);
            return null;
        });
    }

    @LoopTest
    void cancelledWaitersKeepFifoOrderOfTheRest(LoopKind kind) {
        List<String> order = kind.run(() -> {
            Lock lock = new Lock();
            List<String> taken = new ArrayList<>();
            lock.acquire();
            List<Task<Void>> tasks = new ArrayList<>();
            for (String name : List.of("a", "b", "c", "d", "e")) {
                tasks.add(taker(lock, taken, name));
            }
            Turns.pass(2);
            tasks.get(0).cancel();
            tasks.get(3).cancel();
            lock.release();
            Asyncio.gather(true, tasks.toArray(new Task<?>[0])).await();
            assertFalse(lock.locked());
            return taken;
        });
        assertEquals(List.of("b", "c", "e"), order);
    }

    @LoopTest
    void lockIsFreeForNewcomerWhenEveryWaiterIsCancelled(LoopKind kind) {
        kind.run(() -> {
            Lock lock = new Lock();
            lock.acquire();
            Task<Void> waiter = taker(lock, new ArrayList<>(), "waiter");
            Turns.pass(2);
            waiter.cancel();
            lock.release();
            lock.acquire();
            // No suspension happened: the cancelled waiter has not even run yet.
            assertFalse(waiter.done());
            assertTrue(lock.locked());
            assertThrows(CancelledError.class, waiter::await);
            assertTrue(lock.locked());
            lock.release();
            return null;
        });
    }

    @LoopTest
    @SuppressWarnings("try")
    void cancellingTheHolderWhileOthersWaitLeavesTheLockUsable(LoopKind kind) {
        kind.run(() -> {
            Lock lock = new Lock();
            List<String> taken = new ArrayList<>();
            Task<Void> holder = Asyncio.createTask(() -> {
                try (Held held = lock.acquire()) {
                    Asyncio.sleep(3600);
                    taken.add("holder woke");
                }
                return null;
            });
            Turns.pass(1);
            Task<Void> next = taker(lock, taken, "next");
            Turns.pass(1);
            holder.cancel();
            next.await();
            assertEquals(List.of("next"), taken);
            assertFalse(lock.locked());
            return null;
        });
    }

    @LoopTest
    void lockUsedFromASecondLoopRaises(LoopKind kind) {
        Lock lock = new Lock();
        kind.run(() -> {
            lock.acquire();
            Task<Void> waiter = taker(lock, new ArrayList<>(), "binds");
            Turns.pass(1);
            lock.release();
            waiter.await();
            return null;
        });
        IllegalStateException error = kind.run(() -> {
            lock.acquire();
            Task<Void> waiter = taker(lock, new ArrayList<>(), "other loop");
            Turns.pass(1);
            lock.release();
            return assertThrows(IllegalStateException.class, waiter::await);
        });
        assertTrue(error.getMessage().contains("bound to a different event loop"), error.getMessage());
    }

    @LoopTest
    void toStringShowsStateAndWaiters(LoopKind kind) {
        kind.run(() -> {
            Lock lock = new Lock();
            assertTrue(lock.toString().endsWith("[unlocked]>"), lock.toString());
            lock.acquire();
            Task<Void> waiter = taker(lock, new ArrayList<>(), "w");
            Turns.pass(1);
            assertTrue(lock.toString().endsWith("[locked, waiters:1]>"), lock.toString());
            lock.release();
            waiter.await();
            return null;
        });
    }
}
