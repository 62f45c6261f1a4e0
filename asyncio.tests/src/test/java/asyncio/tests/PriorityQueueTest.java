package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.Task;
import asyncio.api.queues.PriorityQueue;
import asyncio.api.queues.Queue;
import asyncio.api.queues.QueueFull;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoDescriptorLeaks.class)
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PriorityQueueTest {

    private static <T> List<T> drain(Queue<T> queue) {
        List<T> items = new ArrayList<>();
        while (!queue.empty()) {
            items.add(queue.getNowait());
        }
        return items;
    }

    @LoopTest
    void comparableItemsComeOutSmallestFirst(LoopKind kind) {
        kind.run(() -> {
            PriorityQueue<Integer> queue = new PriorityQueue<>();
            for (int item : List.of(5, 1, 4, 2, 3, 1)) {
                queue.put(item);
            }
            assertEquals(6, queue.qsize());
            assertEquals(List.of(1, 1, 2, 3, 4, 5), drain(queue));
            return null;
        });
    }

    @LoopTest
    void comparatorDecidesTheOrder(LoopKind kind) {
        kind.run(() -> {
            PriorityQueue<String> queue = new PriorityQueue<>(Comparator.comparing(String::length).reversed());
            for (String item : List.of("bb", "a", "dddd", "ccc")) {
                queue.putNowait(item);
            }
            assertEquals(List.of("dddd", "ccc", "bb", "a"), drain(queue));
            return null;
        });
    }

    @LoopTest
    void waitingGetterReceivesTheSmallestItem(LoopKind kind) {
        kind.run(() -> {
            PriorityQueue<Integer> queue = new PriorityQueue<>();
            Task<Integer> getter = Asyncio.createTask(queue::get);
            Turns.pass(2);
            queue.putNowait(7);
            queue.putNowait(3);
            assertEquals(3, getter.await());
            assertEquals(List.of(7), drain(queue));
            return null;
        });
    }

    @LoopTest
    void boundedQueueBlocksPutsAndKeepsPriorityOrder(LoopKind kind) {
        kind.run(() -> {
            PriorityQueue<Integer> queue = new PriorityQueue<>(2);
            queue.putNowait(9);
            queue.putNowait(8);
            assertTrue(queue.full());
            assertThrows(QueueFull.class, () -> queue.putNowait(1));
            Task<Void> putter = Asyncio.createTask(() -> {
                queue.put(1);
                return null;
            });
            Turns.pass(3);
            assertFalse(putter.done());
            assertEquals(8, queue.get());
            putter.await();
            assertEquals(List.of(1, 9), drain(queue));
            return null;
        });
    }

    @LoopTest
    void cancelledGetterDoesNotStealTheSmallestItem(LoopKind kind) {
        kind.run(() -> {
            PriorityQueue<Integer> queue = new PriorityQueue<>(Comparator.reverseOrder());
            Task<Integer> a = Asyncio.createTask(queue::get);
            Task<Integer> b = Asyncio.createTask(queue::get);
            Turns.pass(2);
            a.cancel();
            queue.putNowait(1);
            queue.putNowait(2);
            // a's wake-up went to b: b takes the first item out, the largest under this comparator.
            assertEquals(2, b.await());
            assertThrows(CancelledError.class, a::await);
            assertEquals(List.of(1), drain(queue));
            return null;
        });
    }

    @LoopTest
    void nonComparableItemsNeedAComparator(LoopKind kind) {
        kind.run(() -> {
            PriorityQueue<Object> queue = new PriorityQueue<>();
            assertThrows(ClassCastException.class, () -> queue.putNowait(new Object()));
            assertTrue(queue.empty());
            queue.join();
            return null;
        });
    }
}
