package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.Task;
import asyncio.api.sync.Acquirable;
import asyncio.api.sync.Barrier;
import asyncio.api.sync.BoundedSemaphore;
import asyncio.api.sync.Condition;
import asyncio.api.sync.Held;
import asyncio.api.sync.Lock;
import asyncio.api.sync.Semaphore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The synchronization primitives as a port writes them: {@code wait_for} giving the predicate's
 * value, {@code async with barrier as i}, and one acquire/release type for every primitive.
 */
@ExtendWith(NoDescriptorLeaks.class)
@SuppressWarnings("try") // a held primitive is the point of the block, not a value used in it
class SyncPortFormsTest {

    @LoopTest
    void waitForReturnsThePredicatesValueOnceItIsTrue(LoopKind kind) {
        String found = kind.run(() -> {
            Condition cond = new Condition();
            List<String> items = new ArrayList<>();
            Task<String> consumer = Asyncio.createTask(() -> {
                try (Held held = cond.acquire()) {
                    return cond.waitFor(() -> items.isEmpty() ? null : items.get(0));
                }
            });
            Turns.pass(1);
            try (Held held = cond.acquire()) {
                cond.notifyAllWaiters();
            }
            Turns.pass(2);
            assertFalse(consumer.done(), "null is false: still waiting");
            try (Held held = cond.acquire()) {
                items.add("first");
                cond.notifyAllWaiters();
            }
            return consumer.await();
        });
        assertEquals("first", found);
    }

    @LoopTest
    void waitForTreatsEmptyAndZeroValuesAsFalseAsPythonDoes(LoopKind kind) {
        kind.run(() -> {
            Condition cond = new Condition();
            List<Object> values = new ArrayList<>(List.of(0, "", List.of(), Optional.empty(), Boolean.FALSE, 3));
            Task<Object> waiter = Asyncio.createTask(() -> {
                try (Held held = cond.acquire()) {
                    return cond.waitFor(() -> values.remove(0));
                }
            });
            for (int i = 0; i < 50 && !waiter.done(); i++) {
                Turns.pass(1);
                try (Held held = cond.acquire()) {
                    cond.notifyAllWaiters();
                }
            }
            assertEquals(3, waiter.await());
            assertTrue(values.isEmpty());
            try (Held held = cond.acquire()) {
                boolean asBoolean = cond.waitFor(() -> values.isEmpty());
                assertTrue(asBoolean, "a boolean predicate still gives a boolean");
            }
            return null;
        });
    }

    @LoopTest
    void barrierEnterGivesEachTaskItsArrivalIndex(LoopKind kind) {
        List<Integer> indexes = kind.run(() -> {
            Barrier barrier = new Barrier(3);
            List<Integer> seen = new ArrayList<>();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                tasks.add(Asyncio.createTask(() -> {
                    try (Barrier.Arrival arrival = barrier.enter()) {
                        seen.add(arrival.index());
                    }
                    return null;
                }));
            }
            Asyncio.gatherAll(tasks).await();
            assertEquals(0, barrier.nWaiting());
            return seen;
        });
        assertEquals(List.of(0, 1, 2), indexes.stream().sorted().toList());
    }

    @LoopTest
    void everyPrimitiveIsHeldThroughOneAcquirableType(LoopKind kind) {
        kind.run(() -> {
            List<Acquirable> primitives = List.of(new Lock(), new Semaphore(1), new BoundedSemaphore(1), new Condition());
            for (Acquirable primitive : primitives) {
                assertFalse(primitive.locked(), primitive.toString());
                try (Held held = primitive.acquire()) {
                    assertTrue(primitive.locked(), primitive.toString());
                }
                assertFalse(primitive.locked(), primitive.toString());
                primitive.acquire();
                primitive.release();
            }
            return null;
        });
    }
}
