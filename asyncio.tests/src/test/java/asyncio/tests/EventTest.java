package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.Task;
import asyncio.api.sync.Event;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoDescriptorLeaks.class)
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EventTest {

    /** A task that waits for {@code event} and then notes {@code name}. */
    private static Task<Boolean> waiter(Event event, List<String> woken, String name) {
        return Asyncio.createTask(() -> {
            boolean result = event.await();
            woken.add(name);
            return result;
        });
    }

    @LoopTest
    void awaitReturnsAtOnceWhenSet(LoopKind kind) {
        kind.run(() -> {
            Event event = new Event();
            assertFalse(event.isSet());
            event.set();
            assertTrue(event.isSet());
            Task<Boolean> task = waiter(event, new ArrayList<>(), "w");
            Turns.pass(1);
            assertTrue(task.done());
            assertTrue(task.result());
            return null;
        });
    }

    @LoopTest
    void setWakesEveryWaiterInArrivalOrder(LoopKind kind) {
        List<String> woken = kind.run(() -> {
            Event event = new Event();
            List<String> names = new ArrayList<>();
            List<Task<Boolean>> tasks = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                tasks.add(waiter(event, names, name));
            }
            Turns.pass(2);
            assertTrue(names.isEmpty());
            event.set();
            assertEquals(List.of(true, true, true), Asyncio.gatherAll(tasks).await());
            return names;
        });
        assertEquals(List.of("a", "b", "c"), woken);
    }

    @LoopTest
    void clearMakesLaterWaitersBlockUntilSetAgain(LoopKind kind) {
        kind.run(() -> {
            Event event = new Event();
            event.set();
            event.clear();
            assertFalse(event.isSet());
            Task<Boolean> task = waiter(event, new ArrayList<>(), "w");
            Turns.pass(3);
            assertFalse(task.done());
            event.set();
            assertTrue(task.await());
            return null;
        });
    }

    @LoopTest
    void clearRightAfterSetStillWakesTheWaiters(LoopKind kind) {
        kind.run(() -> {
            Event event = new Event();
            Task<Boolean> task = waiter(event, new ArrayList<>(), "w");
            Turns.pass(1);
            event.set();
            event.clear();
            assertTrue(task.await());
            assertFalse(event.isSet());
            return null;
        });
    }

    @LoopTest
    void cancelledWaiterDoesNotStealWakeup(LoopKind kind) {
        kind.run(() -> {
            Event event = new Event();
            List<String> woken = new ArrayList<>();
            Task<Boolean> a = waiter(event, woken, "a");
            Task<Boolean> b = waiter(event, woken, "b");
            Task<Boolean> c = waiter(event, woken, "c");
            Turns.pass(2);
            b.cancel();
            Turns.pass(2);
            assertTrue(b.cancelled());
            event.set();
            a.await();
            c.await();
            assertEquals(List.of("a", "c"), woken);
            assertTrue(event.toString().endsWith("[set]>"), event.toString());
            return null;
        });
    }

    @LoopTest
    void setRightAfterAWaiterIsCancelledWakesTheRest(LoopKind kind) {
        kind.run(() -> {
            Event event = new Event();
            List<String> woken = new ArrayList<>();
            Task<Boolean> a = waiter(event, woken, "a");
            Task<Boolean> b = waiter(event, woken, "b");
            Turns.pass(2);
            // a's wait is cancelled but a has not run yet: set() must skip it, not fail on it.
            a.cancel();
            event.set();
            assertTrue(b.await());
            assertThrows(CancelledError.class, a::await);
            assertEquals(List.of("b"), woken);
            return null;
        });
    }

    @LoopTest
    void waiterCancelledAfterSetDoesNotStopTheOthers(LoopKind kind) {
        kind.run(() -> {
            Event event = new Event();
            List<String> woken = new ArrayList<>();
            Task<Boolean> a = waiter(event, woken, "a");
            Task<Boolean> b = waiter(event, woken, "b");
            Turns.pass(2);
            event.set();
            a.cancel();
            b.await();
            assertThrows(CancelledError.class, a::await);
            assertEquals(List.of("b"), woken);
            return null;
        });
    }

    @LoopTest
    void cancelledWaiterLeavesNoTrace(LoopKind kind) {
        kind.run(() -> {
            Event event = new Event();
            Task<Boolean> a = waiter(event, new ArrayList<>(), "a");
            Turns.pass(1);
            assertTrue(event.toString().endsWith("[unset, waiters:1]>"), event.toString());
            a.cancel();
            assertThrows(CancelledError.class, a::await);
            assertTrue(event.toString().endsWith("[unset]>"), event.toString());
            Task<Boolean> b = waiter(event, new ArrayList<>(), "b");
            Turns.pass(1);
            event.set();
            assertTrue(b.await());
            return null;
        });
    }

    @LoopTest
    void eventUsedFromASecondLoopRaises(LoopKind kind) {
        Event event = new Event();
        kind.run(() -> {
            Task<Boolean> task = waiter(event, new ArrayList<>(), "binds");
            Turns.pass(1);
            event.set();
            return task.await();
        });
        event.clear();
        kind.run(() -> assertThrows(IllegalStateException.class, event::await));
    }
}
