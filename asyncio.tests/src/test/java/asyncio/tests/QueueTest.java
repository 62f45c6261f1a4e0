package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.Task;
import asyncio.api.queues.Queue;
import asyncio.api.queues.QueueEmpty;
import asyncio.api.queues.QueueFull;
import asyncio.api.queues.QueueShutDown;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoDescriptorLeaks.class)
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class QueueTest {

    /** A task that gets one item and notes it with {@code name}. */
    private static Task<String> getter(Queue<String> queue, List<String> got, String name) {
        return Asyncio.createTask(() -> {
            String item = queue.get();
            got.add(name + ":" + item);
            return item;
        });
    }

    /** A task that puts {@code item}. */
    private static Task<Void> putter(Queue<String> queue, String item) {
        return Asyncio.createTask(() -> {
            queue.put(item);
            return null;
        });
    }

    private static List<String> drain(Queue<String> queue) {
        List<String> items = new ArrayList<>();
        while (!queue.empty()) {
            items.add(queue.getNowait());
        }
        return items;
    }

    @LoopTest
    void itemsComeOutInTheOrderTheyWentIn(LoopKind kind) {
        kind.run(() -> {
            Queue<String> queue = new Queue<>();
            for (String item : List.of("a", "b", "c")) {
                queue.put(item);
            }
            assertEquals(3, queue.qsize());
            assertEquals("a", queue.get());
            assertEquals(List.of("b", "c"), drain(queue));
            return null;
        });
    }

    @LoopTest
    void sizesAndBoundsAreReported(LoopKind kind) {
        kind.run(() -> {
            Queue<String> unbounded = new Queue<>();
            assertEquals(0, unbounded.maxsize());
            assertTrue(unbounded.empty());
            for (int i = 0; i < 100; i++) {
                unbounded.putNowait("x");
            }
            assertFalse(unbounded.full());
            assertFalse(new Queue<String>(-1).full());
            Queue<String> bounded = new Queue<>(2);
            assertEquals(2, bounded.maxsize());
            bounded.putNowait("a");
            assertFalse(bounded.full());
            bounded.putNowait("b");
            assertTrue(bounded.full());
            assertFalse(bounded.empty());
            assertTrue(bounded.toString().startsWith("<Queue maxsize=2 _queue=[a, b] tasks=2"), bounded.toString());
            return null;
        });
    }

    @LoopTest
    void nowaitOperationsRaiseInsteadOfWaiting(LoopKind kind) {
        kind.run(() -> {
            Queue<String> queue = new Queue<>(1);
            assertThrows(QueueEmpty.class, queue::getNowait);
            queue.putNowait("a");
            assertThrows(QueueFull.class, () -> queue.putNowait("b"));
            assertEquals(1, queue.qsize());
            assertThrows(NullPointerException.class, () -> new Queue<String>().putNowait(null));
            return null;
        });
    }

    @LoopTest
    void getWaitsForAPut(LoopKind kind) {
        kind.run(() -> {
            Queue<String> queue = new Queue<>();
            List<String> got = new ArrayList<>();
            Task<String> task = getter(queue, got, "g");
            Turns.pass(3);
            assertFalse(task.done());
            queue.putNowait("item");
            assertEquals("item", task.await());
            assertTrue(queue.empty());
            return null;
        });
    }

    @LoopTest
    void putBlocksAtMaxsizeUntilAGetMakesRoom(LoopKind kind) {
        kind.run(() -> {
            Queue<String> queue = new Queue<>(1);
            queue.put("a");
            Task<Void> b = putter(queue, "b");
            Task<Void> c = putter(queue, "c");
            Turns.pass(3);
            assertFalse(b.done());
            assertEquals(1, queue.qsize());
            assertEquals("a", queue.get());
            b.await();
            assertFalse(c.done());
            assertEquals("b", queue.get());
            c.await();
            assertEquals(List.of("c"), drain(queue));
            return null;
        });
    }

    @LoopTest
    void gettersAreServedInArrivalOrder(LoopKind kind) {
        kind.run(() -> {
            Queue<String> queue = new Queue<>();
            List<String> got = new ArrayList<>();
            List<Task<String>> tasks = new ArrayList<>();
            for (String name : List.of("g1", "g2", "g3")) {
                tasks.add(getter(queue, got, name));
            }
            Turns.pass(2);
            for (String item : List.of("x", "y", "z")) {
                queue.putNowait(item);
            }
            Asyncio.gatherAll(tasks).await();
            assertEquals(List.of("g1:x", "g2:y", "g3:z"), got);
            return null;
        });
    }

    @LoopTest
    void joinWaitsUntilEveryItemIsMarkedDone(LoopKind kind) {
        kind.run(() -> {
            Queue<String> queue = new Queue<>();
            queue.join();
            queue.putNowait("a");
            queue.putNowait("b");
            Task<Void> join = Asyncio.createTask(() -> {
                queue.join();
                return null;
            });
            queue.get();
            queue.get();
            queue.taskDone();
            Turns.pass(3);
            assertFalse(join.done());
            queue.taskDone();
            join.await();
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, queue::taskDone);
            assertEquals("task_done() called too many times", error.getMessage());
            return null;
        });
    }

    @LoopTest
    void cancelledGetterDoesNotStealAnItem(LoopKind kind) {
        kind.run(() -> {
            Queue<String> queue = new Queue<>();
            List<String> got = new ArrayList<>();
            Task<String> a = getter(queue, got, "a");
            Task<String> b = getter(queue, got, "b");
            Task<String> c = getter(queue, got, "c");
            Turns.pass(2);
            b.cancel();
            queue.putNowait("x");
            queue.putNowait("y");
            assertEquals("x", a.await());
            assertEquals("y", c.await());
            assertThrows(CancelledError.class, b::await);
            assertEquals(List.of("a:x", "c:y"), got);
            assertTrue(queue.empty());
            assertEquals("<Queue maxsize=0 tasks=2>", queue.toString());
            return null;
        });
    }

    @LoopTest
    void getterCancelledAfterWakeupPassesTheItemOn(LoopKind kind) {
        kind.run(() -> {
            Queue<String> queue = new Queue<>();
            List<String> got = new ArrayList<>();
            Task<String> a = getter(queue, got, "a");
            Task<String> b = getter(queue, got, "b");
            Turns.pass(2);
            queue.putNowait("x");
            // a was woken for "x" but has not run: cancelled now, it must wake b rather than lose the item.
            a.cancel();
            assertEquals("x", b.await());
            assertThrows(CancelledError.class, a::await);
            assertEquals(List.of("b:x"), got);
            assertEquals("<Queue maxsize=0 tasks=1>", queue.toString());
            return null;
        });
    }

    @LoopTest
    void cancelledPutterDoesNotStealASlot(LoopKind kind) {
        kind.run(() -> {
            Queue<String> queue = new Queue<>(1);
            queue.putNowait("first");
            Task<Void> a = putter(queue, "a");
            Task<Void> b = putter(queue, "b");
            Task<Void> c = putter(queue, "c");
            Turns.pass(2);
            b.cancel();
            assertEquals("first", queue.get());
            a.await();
            assertEquals("a", queue.get());
            c.await();
            assertEquals("c", queue.get());
            assertThrows(CancelledError.class, b::await);
            assertTrue(queue.empty());
            assertEquals("<Queue maxsize=1 tasks=3>", queue.toString());
            return null;
        });
    }

    @LoopTest
    void putterCancelledAfterWakeupPassesTheSlotOn(LoopKind kind) {
        kind.run(() -> {
            Queue<String> queue = new Queue<>(1);
            queue.putNowait("first");
            Task<Void> a = putter(queue, "a");
            Task<Void> b = putter(queue, "b");
            Turns.pass(2);
            assertEquals("first", queue.getNowait());
            a.cancel();
            b.await();
            assertThrows(CancelledError.class, a::await);
            assertEquals(List.of("b"), drain(queue));
            return null;
        });
    }

    @LoopTest
    void cancelledWaitersLeaveTheQueueClean(LoopKind kind) {
        kind.run(() -> {
            Queue<String> empty = new Queue<>();
            Task<String> getter = getter(empty, new ArrayList<>(), "g");
            Queue<String> full = new Queue<>(1);
            full.putNowait("x");
            Task<Void> putter = putter(full, "y");
            Turns.pass(2);
            assertEquals("<Queue maxsize=0 _getters[1]>", empty.toString());
            assertEquals("<Queue maxsize=1 _queue=[x] _putters[1] tasks=1>", full.toString());
            getter.cancel();
            putter.cancel();
            assertThrows(CancelledError.class, getter::await);
            assertThrows(CancelledError.class, putter::await);
            assertEquals("<Queue maxsize=0>", empty.toString());
            assertEquals("<Queue maxsize=1 _queue=[x] tasks=1>", full.toString());
            return null;
        });
    }

    @LoopTest
    void cancelledJoinLeavesTheCountIntact(LoopKind kind) {
        kind.run(() -> {
            Queue<String> queue = new Queue<>();
            queue.putNowait("a");
            Task<Void> cancelled = Asyncio.createTask(() -> {
                queue.join();
                return null;
            });
            Task<Void> kept = Asyncio.createTask(() -> {
                queue.join();
                return null;
            });
            Turns.pass(2);
            cancelled.cancel();
            assertThrows(CancelledError.class, cancelled::await);
            Turns.pass(2);
            assertFalse(kept.done());
            queue.getNowait();
            queue.taskDone();
            kept.await();
            return null;
        });
    }

    @LoopTest
    void shutdownLetsGettersDrainThenRaises(LoopKind kind) {
        kind.run(() -> {
            Queue<String> queue = new Queue<>();
            queue.putNowait("a");
            queue.shutdown();
            assertThrows(QueueShutDown.class, () -> queue.putNowait("b"));
            assertThrows(QueueShutDown.class, () -> queue.put("b"));
            assertEquals("a", queue.get());
            assertThrows(QueueShutDown.class, queue::get);
            assertThrows(QueueShutDown.class, queue::getNowait);
            queue.taskDone();
            queue.join();
            assertTrue(queue.toString().endsWith(" shutdown>"), queue.toString());
            return null;
        });
    }

    @LoopTest
    void shutdownWakesBlockedGettersAndPutters(LoopKind kind) {
        kind.run(() -> {
            Queue<String> empty = new Queue<>();
            Task<String> getter = getter(empty, new ArrayList<>(), "g");
            Queue<String> full = new Queue<>(1);
            full.putNowait("x");
            Task<Void> putter = putter(full, "y");
            Turns.pass(2);
            empty.shutdown();
            full.shutdown();
            assertThrows(QueueShutDown.class, getter::await);
            assertThrows(QueueShutDown.class, putter::await);
            assertEquals(List.of("x"), drain(full));
            return null;
        });
    }

    @LoopTest
    void immediateShutdownDiscardsItemsAndReleasesJoin(LoopKind kind) {
        kind.run(() -> {
            Queue<String> queue = new Queue<>();
            queue.putNowait("a");
            queue.putNowait("b");
            queue.putNowait("c");
            Task<Void> join = Asyncio.createTask(() -> {
                queue.join();
                return null;
            });
            queue.getNowait();
            Turns.pass(2);
            queue.shutdown(true);
            assertEquals(0, queue.qsize());
            assertThrows(QueueShutDown.class, queue::getNowait);
            assertThrows(QueueShutDown.class, queue::get);
            // The item taken before the shutdown is still unfinished.
            Turns.pass(3);
            assertFalse(join.done());
            queue.taskDone();
            join.await();
            assertThrows(IllegalArgumentException.class, queue::taskDone);
            return null;
        });
    }

    @LoopTest
    void immediateShutdownWakesGettersAndReleasesJoinWhenNothingIsLeft(LoopKind kind) {
        kind.run(() -> {
            Queue<String> empty = new Queue<>();
            Task<String> getter = getter(empty, new ArrayList<>(), "g");
            Queue<String> loaded = new Queue<>();
            loaded.putNowait("a");
            loaded.putNowait("b");
            Task<Void> join = Asyncio.createTask(() -> {
                loaded.join();
                return null;
            });
            Turns.pass(3);
            assertFalse(getter.done());
            assertFalse(join.done());
            empty.shutdown(true);
            loaded.shutdown(true);
            assertThrows(QueueShutDown.class, getter::await);
            join.await();
            assertTrue(loaded.empty());
            assertThrows(IllegalArgumentException.class, loaded::taskDone);
            return null;
        });
    }

    @LoopTest
    void queueUsedFromASecondLoopRaises(LoopKind kind) {
        Queue<String> queue = new Queue<>();
        kind.run(() -> {
            Task<String> task = getter(queue, new ArrayList<>(), "binds");
            Turns.pass(1);
            queue.putNowait("x");
            return task.await();
        });
        IllegalStateException error = kind.run(() -> assertThrows(IllegalStateException.class, queue::get));
        assertTrue(error.getMessage().endsWith("is bound to a different event loop"), error.getMessage());
    }
}
