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
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code asyncio.gather}: results in argument order, the first failure, and cancellation both ways. */
@ExtendWith(NoDescriptorLeaks.class)
class GatherTest {

    private static Task<Integer> after(double seconds, int value) {
        return Asyncio.createTask(() -> Asyncio.sleep(seconds, value));
    }

    @LoopTest
    void resultsComeInArgumentOrderWhateverTheCompletionOrder(LoopKind kind) {
        List<Object> results = kind.run(() -> Asyncio.gather(after(0.06, 1), after(0.02, 2), after(0.04, 3)).await());
        assertEquals(List.of(1, 2, 3), results);
    }

    @LoopTest
    void typedGatherAllReturnsTypedResults(LoopKind kind) {
        List<Integer> results = kind.run(() -> Asyncio.gatherAll(List.of(after(0.02, 10), after(0, 20))).await());
        assertEquals(List.of(10, 20), results);
    }

    @LoopTest
    void firstExceptionIsRaisedAndTheOthersKeepRunning(LoopKind kind) {
        IOException error = new IOException("first failure");
        kind.run(() -> {
            Future<Integer> gate = Asyncio.getRunningLoop().createFuture();
            Task<Integer> slow = Asyncio.createTask(() -> gate.await());
            Task<Integer> failing = Asyncio.createTask(() -> {
                Asyncio.sleep(0);
                throw error;
            });
            Future<List<Object>> gathered = Asyncio.gather(slow, failing);
            assertSame(error, assertThrows(IOException.class, gathered::await));
            assertFalse(slow.done(), "gather does not cancel the other children on failure");
            gate.setResult(1);
            assertEquals(1, slow.await());
            return null;
        });
    }

    @LoopTest
    void returnExceptionsPutsFailuresAndCancellationsInTheList(LoopKind kind) {
        IOException error = new IOException("as a value");
        kind.run(() -> {
            Task<Integer> fine = after(0, 1);
            Task<Integer> failing = Asyncio.createTask(() -> {
                throw error;
            });
            Task<Integer> cancelled = after(10, 3);
            Future<List<Object>> gathered = Asyncio.gather(true, fine, failing, cancelled);
            Asyncio.sleep(0);
            cancelled.cancel("dropped");
            List<Object> results = gathered.await();
            assertEquals(1, results.get(0));
            assertSame(error, results.get(1));
            assertTrue(results.get(2) instanceof CancelledError, String.valueOf(results.get(2)));
            return null;
        });
    }

    @LoopTest
    void cancellingTheGatherCancelsEveryChild(LoopKind kind) {
        kind.run(() -> {
            Task<Integer> first = after(10, 1);
            Task<Integer> second = after(10, 2);
            Future<List<Object>> gathered = Asyncio.gather(first, second);
            Asyncio.sleep(0);
            assertTrue(gathered.cancel("enough"));
            CancelledError error = assertThrows(CancelledError.class, gathered::await);
            assertEquals("enough", error.getMessage());
            assertTrue(first.cancelled());
            assertTrue(second.cancelled());
            return null;
        });
    }

    @LoopTest
    void cancellingTheTaskAwaitingAGatherCancelsTheChildren(LoopKind kind) {
        kind.run(() -> {
            Task<Integer> first = after(10, 1);
            Task<Integer> second = after(10, 2);
            Task<List<Object>> waiter = Asyncio.createTask(() -> Asyncio.gather(first, second).await());
            Asyncio.sleep(0);
            waiter.cancel();
            assertThrows(CancelledError.class, waiter::await);
            assertTrue(first.cancelled());
            assertTrue(second.cancelled());
            return null;
        });
    }

    @LoopTest
    void cancellingTheGatherWithReturnExceptionsStillRaisesCancelledError(LoopKind kind) {
        kind.run(() -> {
            Task<Integer> child = after(10, 1);
            Future<List<Object>> gathered = Asyncio.gather(true, child);
            Asyncio.sleep(0);
            gathered.cancel();
            assertThrows(CancelledError.class, gathered::await);
            return null;
        });
    }

    @LoopTest
    void childCancelledMakesTheGatherRaiseCancelledError(LoopKind kind) {
        kind.run(() -> {
            Task<Integer> other = after(10, 1);
            Task<Integer> victim = after(10, 2);
            Future<List<Object>> gathered = Asyncio.gather(other, victim);
            Asyncio.sleep(0);
            victim.cancel("child only");
            CancelledError error = assertThrows(CancelledError.class, gathered::await);
            assertEquals("child only", error.getMessage());
            assertFalse(other.cancelled());
            other.cancel();
            return null;
        });
    }

    @LoopTest
    void emptyGatherIsAlreadyDoneWithAnEmptyList(LoopKind kind) {
        kind.run(() -> {
            Future<List<Object>> gathered = Asyncio.gather();
            assertTrue(gathered.done());
            assertEquals(List.of(), gathered.await());
            return null;
        });
    }

    @LoopTest
    void theSameFutureTwiceGivesItsResultTwice(LoopKind kind) {
        List<Object> results = kind.run(() -> {
            Task<Integer> once = after(0, 5);
            return Asyncio.gather(once, once).await();
        });
        assertEquals(List.of(5, 5), results);
    }

    @LoopTest
    void gatherOfFuturesOfDifferentLoopsRaises(LoopKind kind) {
        try (EventLoop first = kind.newLoop(); EventLoop second = kind.newLoop()) {
            Future<Integer> a = first.createFuture();
            Future<Integer> b = second.createFuture();
            assertThrows(IllegalArgumentException.class, () -> Asyncio.gather(a, b));
        }
    }

    @LoopTest
    void cancelOfAFinishedGatherReturnsFalse(LoopKind kind) {
        kind.run(() -> {
            Future<List<Object>> gathered = Asyncio.gather(after(0, 1));
            gathered.await();
            assertFalse(gathered.cancel());
            return null;
        });
    }

    @LoopTest
    void gatherWorksOnPlainFutures(LoopKind kind) {
        List<Object> results = kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<String> a = loop.createFuture();
            Future<String> b = loop.createFuture();
            loop.callSoon(() -> b.setResult("b"));
            loop.callSoon(() -> a.setResult("a"));
            List<Object> collected = new ArrayList<>(Asyncio.gather(a, b).await());
            return collected;
        });
        assertEquals(List.of("a", "b"), results);
    }

    @LoopTest
    void cancelledGatherWhoseChildrenSwallowTheCancellationStillRaises(LoopKind kind) {
        kind.run(() -> {
            Task<String> child = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError cancelled) {
                    return "swallowed";
                }
                return "slept";
            });
            Future<List<Object>> gathered = Asyncio.gather(child);
            Asyncio.sleep(0);
            assertTrue(gathered.cancel());
            assertThrows(CancelledError.class, gathered::await);
            assertEquals("swallowed", child.result());
            return null;
        });
    }

    @LoopTest
    void returnExceptionsKeepsTheCancelMessageOfAPlainFuture(LoopKind kind) {
        List<Object> results = kind.run(() -> {
            Future<Integer> future = Asyncio.getRunningLoop().createFuture();
            Future<List<Object>> gathered = Asyncio.gather(true, future);
            future.cancel("dropped");
            return gathered.await();
        });
        assertTrue(results.get(0) instanceof CancelledError);
        assertEquals("dropped", ((CancelledError) results.get(0)).getMessage());
    }
}
