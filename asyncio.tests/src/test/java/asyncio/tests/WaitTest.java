package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.Future;
import asyncio.api.ReturnWhen;
import asyncio.api.Task;
import asyncio.api.WaitResult;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code asyncio.wait}: the done and pending sets, by FIRST_COMPLETED, FIRST_EXCEPTION or ALL_COMPLETED. */
@ExtendWith(NoDescriptorLeaks.class)
class WaitTest {

    private static Task<Integer> after(double seconds, int value) {
        return Asyncio.createTask(() -> Asyncio.sleep(seconds, value));
    }

    private static Task<Integer> failingAfter(double seconds) {
        return Asyncio.createTask(() -> {
            Asyncio.sleep(seconds);
            throw new IOException("failed after " + seconds);
        });
    }

    @LoopTest
    void allCompletedWaitsForEveryFuture(LoopKind kind) {
        kind.run(() -> {
            Task<Integer> a = after(0.01, 1);
            Task<Integer> b = failingAfter(0);
            Task<Integer> c = after(0.02, 3);
            WaitResult<Integer> result = Asyncio.wait(List.of(a, b, c));
            assertEquals(Set.of(a, b, c), result.done());
            assertTrue(result.pending().isEmpty());
            assertTrue(b.exception() instanceof IOException, "wait leaves the failure in the future");
            return null;
        });
    }

    @LoopTest
    void firstCompletedReturnsAsSoonAsOneFinishes(LoopKind kind) {
        kind.run(() -> {
            Task<Integer> slow = after(10, 1);
            Task<Integer> quick = after(0, 2);
            WaitResult<Integer> result = Asyncio.wait(List.of(slow, quick), ReturnWhen.FIRST_COMPLETED);
            assertEquals(Set.of(quick), result.done());
            assertEquals(Set.of(slow), result.pending());
            assertFalse(slow.cancelled(), "wait never cancels");
            slow.cancel();
            return null;
        });
    }

    @LoopTest
    void firstExceptionReturnsAtTheFirstFailure(LoopKind kind) {
        kind.run(() -> {
            Task<Integer> fine = after(0, 1);
            Task<Integer> failing = failingAfter(0.01);
            Task<Integer> slow = after(10, 3);
            WaitResult<Integer> result = Asyncio.wait(List.of(fine, failing, slow), ReturnWhen.FIRST_EXCEPTION);
            assertEquals(Set.of(fine, failing), result.done());
            assertEquals(Set.of(slow), result.pending());
            slow.cancel();
            return null;
        });
    }

    @LoopTest
    void firstExceptionWithoutFailuresWaitsForAll(LoopKind kind) {
        kind.run(() -> {
            Task<Integer> a = after(0, 1);
            Task<Integer> b = after(0.01, 2);
            WaitResult<Integer> result = Asyncio.wait(List.of(a, b), ReturnWhen.FIRST_EXCEPTION);
            assertEquals(Set.of(a, b), result.done());
            assertTrue(result.pending().isEmpty());
            return null;
        });
    }

    @LoopTest
    void firstExceptionDoesNotCountACancellationAsAFailure(LoopKind kind) {
        kind.run(() -> {
            Task<Integer> cancelled = after(10, 1);
            Task<Integer> b = after(0.01, 2);
            Asyncio.sleep(0);
            cancelled.cancel();
            WaitResult<Integer> result = Asyncio.wait(List.of(cancelled, b), ReturnWhen.FIRST_EXCEPTION);
            assertEquals(Set.of(cancelled, b), result.done());
            return null;
        });
    }

    @LoopTest
    void timeoutLeavesThePendingFuturesPendingAndRaisesNothing(LoopKind kind) {
        kind.run(() -> {
            Task<Integer> quick = after(0, 1);
            Task<Integer> slow = after(10, 2);
            WaitResult<Integer> result = Asyncio.wait(List.of(quick, slow), 0.1);
            assertEquals(Set.of(quick), result.done());
            assertEquals(Set.of(slow), result.pending());
            assertFalse(slow.done());
            slow.cancel();
            return null;
        });
    }

    @LoopTest
    void emptyCollectionRaises(LoopKind kind) {
        kind.run(() -> {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> Asyncio.wait(List.<Future<Integer>>of()));
            assertTrue(error.getMessage().contains("empty"), error.getMessage());
            return null;
        });
    }

    @LoopTest
    void alreadyDoneFuturesAreReportedDone(LoopKind kind) {
        kind.run(() -> {
            Future<Integer> done = Asyncio.getRunningLoop().createFuture();
            done.setResult(1);
            Task<Integer> slow = after(10, 2);
            WaitResult<Integer> result = Asyncio.wait(List.of(done, slow), ReturnWhen.FIRST_COMPLETED);
            assertEquals(Set.of(done), result.done());
            assertEquals(Set.of(slow), result.pending());
            slow.cancel();
            return null;
        });
    }

    @LoopTest
    void theSameFutureTwiceIsWaitedForOnce(LoopKind kind) {
        kind.run(() -> {
            Task<Integer> task = after(0, 1);
            WaitResult<Integer> result = Asyncio.wait(List.of(task, task));
            assertEquals(Set.of(task), result.done());
            return null;
        });
    }

    @LoopTest
    void aNullReturnWhenIsRefusedAtTheCall(LoopKind kind) {
        kind.run(() -> {
            Future<Integer> done = Asyncio.getRunningLoop().createFuture();
            done.setResult(1);
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> Asyncio.wait(List.of(done), (Double) null, null));
            assertEquals("Invalid return_when value: null", error.getMessage());
            return null;
        });
    }
}
