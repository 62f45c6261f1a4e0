package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.Task;
import asyncio.api.queues.LifoQueue;
import asyncio.api.queues.QueueShutDown;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoDescriptorLeaks.class)
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LifoQueueTest {

    private static List<String> drain(LifoQueue<String> queue) {
        List<String> items = new ArrayList<>();
        while (!queue.empty()) {
            items.add(queue.getNowait());
        }
        return items;
    }

    @LoopTest
    void lastItemPutComesOutFirst(LoopKind kind) {
        kind.run(() -> {
            LifoQueue<String> queue = new LifoQueue<>();
            for (String item : List.of("a", "b", "c")) {
                queue.put(item);
            }
            assertEquals(3, queue.qsize());
            assertEquals("c", queue.get());
            queue.putNowait("d");
            assertEquals(List.of("d", "b", "a"), drain(queue));
            return null;
        });
    }

    @LoopTest
    void boundedStackBlocksPutsUntilAGet(LoopKind kind) {
        kind.run(() -> {
            LifoQueue<String> queue = new LifoQueue<>(2);
            queue.putNowait("a");
            queue.putNowait("b");
            Task<Void> putter = Asyncio.createTask(() -> {
                queue.put("c");
                return null;
            });
            Turns.pass(3);
            assertFalse(putter.done());
            assertEquals("b", queue.get());
            putter.await();
            assertEquals(List.of("c", "a"), drain(queue));
            return null;
        });
    }

    @LoopTest
    void waitingGettersAreServedInArrivalOrder(LoopKind kind) {
        kind.run(() -> {
            LifoQueue<String> queue = new LifoQueue<>();
            Task<String> first = Asyncio.createTask(queue::get);
            Task<String> second = Asyncio.createTask(queue::get);
            Turns.pass(2);
            queue.putNowait("x");
            queue.putNowait("y");
            // Both items are in before either getter runs: the stack hands out "y" first.
            assertEquals("y", first.await());
            assertEquals("x", second.await());
            return null;
        });
    }

    @LoopTest
    void cancelledGetterDoesNotLoseAnItem(LoopKind kind) {
        kind.run(() -> {
            LifoQueue<String> queue = new LifoQueue<>();
            Task<String> a = Asyncio.createTask(queue::get);
            Task<String> b = Asyncio.createTask(queue::get);
            Turns.pass(2);
            queue.putNowait("x");
            a.cancel();
            assertEquals("x", b.await());
            assertThrows(CancelledError.class, a::await);
            assertTrue(queue.empty());
            return null;
        });
    }

    @LoopTest
    void shutdownAppliesToTheStackToo(LoopKind kind) {
        kind.run(() -> {
            LifoQueue<String> queue = new LifoQueue<>();
            queue.putNowait("a");
            queue.putNowait("b");
            queue.shutdown();
            assertEquals("b", queue.get());
            assertEquals("a", queue.get());
            assertThrows(QueueShutDown.class, queue::get);
            return null;
        });
    }
}
