package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.Task;
import asyncio.api.sync.BoundedSemaphore;
import asyncio.api.sync.Held;
import asyncio.api.sync.Semaphore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoDescriptorLeaks.class)
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SemaphoreTest {

    /** A task that takes a permit, notes {@code name}, and keeps the permit. */
    private static Task<Void> taker(Semaphore sem, List<String> taken, String name) {
        return Asyncio.createTask(() -> {
            sem.acquire();
            taken.add(name);
            return null;
        });
    }

    /** Takes {@code n} permits, failing if any of them needs a wait (other tasks would run meanwhile). */
    private static void acquireWithoutWaiting(Semaphore sem, int n, Task<?> witness) {
        boolean witnessDone = witness.done();
        for (int i = 0; i < n; i++) {
            assertFalse(sem.locked(), "permit " + i + " should be free: " + sem);
            sem.acquire();
        }
        assertEquals(witnessDone, witness.done());
    }

    @LoopTest
    void negativeInitialValueIsRefused(LoopKind kind) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> new Semaphore(-1));
        assertEquals("Semaphore initial value must be >= 0", error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BoundedSemaphore(-1));
        assertDoesNotThrow(() -> new Semaphore(0));
    }

    @LoopTest
    void acquireTakesPermitsUntilNoneIsLeft(LoopKind kind) {
        kind.run(() -> {
            Semaphore sem = new Semaphore(2);
            assertFalse(sem.locked());
            sem.acquire();
            assertFalse(sem.locked());
            sem.acquire();
            assertTrue(sem.locked());
            sem.release();
            assertFalse(sem.locked());
            assertTrue(new Semaphore().toString().endsWith("[unlocked, value:1]>"));
            assertTrue(new Semaphore(0).locked());
            return null;
        });
    }

    @LoopTest
    @SuppressWarnings("try")
    void tryWithResourcesReturnsThePermit(LoopKind kind) {
        kind.run(() -> {
            Semaphore sem = new Semaphore(1);
            try (Held held = sem.acquire()) {
                assertTrue(sem.locked());
            }
            assertFalse(sem.locked());
            return null;
        });
    }

    @LoopTest
    void waitersGetPermitsInArrivalOrder(LoopKind kind) {
        List<String> order = kind.run(() -> {
            Semaphore sem = new Semaphore(0);
            List<String> taken = new ArrayList<>();
            List<Task<Void>> tasks = new ArrayList<>();
            for (String name : List.of("a", "b", "c", "d")) {
                tasks.add(taker(sem, taken, name));
            }
            Turns.pass(2);
            for (int i = 0; i < 4; i++) {
                sem.release();
            }
            Asyncio.gatherAll(tasks).await();
            assertTrue(sem.locked());
            return taken;
        });
        assertEquals(List.of("a", "b", "c", "d"), order);
    }

    @LoopTest
    void newcomerQueuesBehindWaitersEvenWithAFreePermit(LoopKind kind) {
        List<String> order = kind.run(() -> {
            Semaphore sem = new Semaphore(0);
            List<String> taken = new ArrayList<>();
            Task<Void> first = taker(sem, taken, "first");
            Turns.pass(2);
            sem.release();
            sem.release();
            assertTrue(sem.locked(), "a waiter still in line keeps the semaphore locked");
            sem.acquire();
            taken.add("newcomer");
            first.await();
            return taken;
        });
        assertEquals(List.of("first", "newcomer"), order);
    }

    @LoopTest
    void cancelledWaiterDoesNotStealWakeup(LoopKind kind) {
        kind.run(() -> {
            Semaphore sem = new Semaphore(0);
            List<String> taken = new ArrayList<>();
            Task<Void> a = taker(sem, taken, "a");
            Task<Void> b = taker(sem, taken, "b");
            Task<Void> c = taker(sem, taken, "c");
            Turns.pass(2);
            b.cancel();
            sem.release();
            sem.release();
            a.await();
            c.await();
            assertThrows(CancelledError.class, b::await);
            assertEquals(List.of("a", "c"), taken);
            assertTrue(sem.locked());
            sem.release();
            acquireWithoutWaiting(sem, 1, b);
            return null;
        });
    }

    @LoopTest
    void waiterCancelledAfterWakeupGivesItsPermitToTheNext(LoopKind kind) {
        kind.run(() -> {
            Semaphore sem = new Semaphore(0);
            List<String> taken = new ArrayList<>();
            Task<Void> a = taker(sem, taken, "a");
            Task<Void> b = taker(sem, taken, "b");
            Turns.pass(2);
            sem.release();
            // a has been handed the permit but not run: cancelled now, the permit must go to b.
            a.cancel();
            b.await();
            assertThrows(CancelledError.class, a::await);
            assertEquals(List.of("b"), taken);
            assertTrue(sem.locked());
            sem.release();
            acquireWithoutWaiting(sem, 1, a);
            assertTrue(sem.locked());
            return null;
        });
    }

    @LoopTest
    void lastWaiterCancelledAfterWakeupLeavesThePermitFree(LoopKind kind) {
        kind.run(() -> {
            Semaphore sem = new Semaphore(0);
            Task<Void> a = taker(sem, new ArrayList<>(), "a");
            Turns.pass(2);
            sem.release();
            a.cancel();
            assertThrows(CancelledError.class, a::await);
            assertFalse(sem.locked());
            assertTrue(sem.toString().endsWith("[unlocked, value:1]>"), sem.toString());
            return null;
        });
    }

    @LoopTest
    void manyCancellationsKeepTheCountExact(LoopKind kind) {
        kind.run(() -> {
            Semaphore sem = new Semaphore(0);
            List<String> taken = new ArrayList<>();
            List<Task<Void>> tasks = new ArrayList<>();
            for (String name : List.of("a", "b", "c", "d", "e", "f")) {
                tasks.add(taker(sem, taken, name));
            }
            Turns.pass(2);
            tasks.get(0).cancel();
            sem.release();
            sem.release();
            // b and c were handed the permits (a was already cancelled); cancel b before it runs, and d while waiting.
            tasks.get(1).cancel();
            tasks.get(3).cancel();
            Asyncio.gather(true, tasks.subList(0, 5).toArray(new Task<?>[0])).await();
            assertEquals(List.of("c", "e"), taken);
            assertFalse(tasks.get(5).done());
            // One permit was left for f.
            sem.release();
            tasks.get(5).await();
            assertEquals(List.of("c", "e", "f"), taken);
            assertTrue(sem.locked());
            return null;
        });
    }

    @LoopTest
    void boundedSemaphoreRefusesReleaseAboveItsInitialValue(LoopKind kind) {
        kind.run(() -> {
            BoundedSemaphore sem = new BoundedSemaphore(2);
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, sem::release);
            assertEquals("BoundedSemaphore released too many times", error.getMessage());
            sem.acquire();
            sem.release();
            assertThrows(IllegalArgumentException.class, sem::release);
            assertFalse(sem.locked());
            return null;
        });
    }

    @LoopTest
    void semaphoreUsedFromASecondLoopRaises(LoopKind kind) {
        Semaphore sem = new Semaphore(0);
        kind.run(() -> {
            Task<Void> task = taker(sem, new ArrayList<>(), "binds");
            Turns.pass(1);
            sem.release();
            return task.await();
        });
        kind.run(() -> assertThrows(IllegalStateException.class, sem::acquire));
    }
}
