package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.AsCompleted;
import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.Future;
import asyncio.api.Task;
import asyncio.api.TimeoutError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code asyncio.as_completed}: outcomes in the order the futures finish. */
@ExtendWith(NoDescriptorLeaks.class)
class AsCompletedTest {

    private static Task<Integer> after(double seconds, int value) {
        return Asyncio.createTask(() -> Asyncio.sleep(seconds, value));
    }

    @LoopTest
    void outcomesComeInCompletionOrder(LoopKind kind) {
        List<Integer> order = kind.run(() -> {
            List<Integer> seen = new ArrayList<>();
            for (Future<Integer> next : Asyncio.asCompleted(List.of(after(0.06, 3), after(0.02, 1), after(0.04, 2)))) {
                seen.add(next.await());
            }
            return seen;
        });
        assertEquals(List.of(1, 2, 3), order);
    }

    @LoopTest
    void awaitNextGivesTheOriginalFutures(LoopKind kind) {
        kind.run(() -> {
            Task<Integer> slow = after(0.02, 2);
            Task<Integer> quick = after(0, 1);
            AsCompleted<Integer> completed = Asyncio.asCompleted(List.of(slow, quick));
            assertSame(quick, completed.awaitNext());
            assertSame(slow, completed.awaitNext());
            assertFalse(completed.hasNext());
            assertThrows(NoSuchElementException.class, completed::awaitNext);
            return null;
        });
    }

    @LoopTest
    void timeoutRaisesTimeoutErrorForTheFuturesNotYetDone(LoopKind kind) {
        kind.run(() -> {
            Task<Integer> quick = after(0, 1);
            Task<Integer> slow = after(10, 2);
            Task<Integer> slower = after(20, 3);
            AsCompleted<Integer> completed = Asyncio.asCompleted(List.of(slow, quick, slower), 0.1);
            assertEquals(1, completed.next().await());
            assertThrows(TimeoutError.class, () -> completed.next().await());
            assertThrows(TimeoutError.class, completed::awaitNext);
            assertFalse(completed.hasNext());
            assertFalse(slow.cancelled(), "as_completed does not cancel what is left");
            slow.cancel();
            slower.cancel();
            return null;
        });
    }

    @LoopTest
    void failuresAndCancellationsComeThroughTheirAwaitables(LoopKind kind) {
        IOException error = new IOException("in order");
        kind.run(() -> {
            Task<Integer> failing = Asyncio.createTask(() -> {
                throw error;
            });
            Task<Integer> cancelled = after(10, 2);
            AsCompleted<Integer> completed = Asyncio.asCompleted(List.of(failing, cancelled));
            assertSame(error, assertThrows(IOException.class, () -> completed.next().await()));
            cancelled.cancel();
            assertThrows(CancelledError.class, () -> completed.next().await());
            return null;
        });
    }

    @LoopTest
    void emptyCollectionHasNothingToGive(LoopKind kind) {
        kind.run(() -> {
            AsCompleted<Integer> completed = Asyncio.asCompleted(List.<Future<Integer>>of(), 1.0);
            assertFalse(completed.hasNext());
            assertThrows(NoSuchElementException.class, completed::next);
            return null;
        });
    }

    @LoopTest
    void alreadyDoneFuturesComeFirst(LoopKind kind) {
        kind.run(() -> {
            Future<Integer> done = Asyncio.getRunningLoop().createFuture();
            done.setResult(0);
            Task<Integer> later = after(0.01, 1);
            AsCompleted<Integer> completed = Asyncio.asCompleted(List.of(later, done));
            assertTrue(completed.hasNext());
            assertSame(done, completed.awaitNext());
            assertSame(later, completed.awaitNext());
            return null;
        });
    }

    @LoopTest
    void duplicatesAreGivenOnce(LoopKind kind) {
        kind.run(() -> {
            Task<Integer> task = after(0, 1);
            AsCompleted<Integer> completed = Asyncio.asCompleted(List.of(task, task));
            assertSame(task, completed.awaitNext());
            assertFalse(completed.hasNext());
            return null;
        });
    }

    @LoopTest
    void theAwaitableAwaitedFirstGetsTheFirstOutcome(LoopKind kind) {
        List<Integer> order = kind.run(() -> {
            List<Future<Integer>> awaitables = new ArrayList<>();
            Asyncio.asCompleted(List.of(after(0.02, 1), after(0.06, 2))).forEachRemaining(awaitables::add);
            int first = awaitables.get(1).await();
            int second = awaitables.get(0).await();
            return List.of(first, second);
        });
        assertEquals(List.of(1, 2), order);
    }

    @LoopTest
    void awaitablesGivenToGatherTakeTheOutcomesInHandOutOrder(LoopKind kind) {
        List<Object> results = kind.run(() -> {
            List<Future<Integer>> awaitables = new ArrayList<>();
            Asyncio.asCompleted(List.of(after(0.05, 2), after(0, 1))).forEachRemaining(awaitables::add);
            return Asyncio.gather(awaitables.get(0), awaitables.get(1)).await();
        });
        assertEquals(List.of(1, 2), results);
    }

    @LoopTest
    void awaitablesOfFuturesAlreadyDoneDoNotWaitForAnAwait(LoopKind kind) {
        kind.run(() -> {
            Future<Integer> done = Asyncio.getRunningLoop().createFuture();
            done.setResult(5);
            Future<Integer> awaitable = Asyncio.asCompleted(List.of(done)).next();
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            assertTrue(awaitable.done());
            assertEquals(5, awaitable.result());
            return null;
        });
    }

    @LoopTest
    void cancelledAwaiterLeavesTheOutcomeToTheNextAwaitable(LoopKind kind) {
        kind.run(() -> {
            Future<Integer> source = Asyncio.getRunningLoop().createFuture();
            AsCompleted<Integer> completed = Asyncio.asCompleted(List.of(source));
            Task<Integer> waiter = Asyncio.createTask(() -> completed.next().await());
            Asyncio.sleep(0);
            waiter.cancel();
            assertThrows(CancelledError.class, waiter::await);
            assertFalse(completed.hasNext());
            source.setResult(3);
            Asyncio.sleep(0);
            return null;
        });
    }
}
