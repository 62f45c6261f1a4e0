package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.Task;
import asyncio.api.sync.Barrier;
import asyncio.api.sync.BrokenBarrierError;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoDescriptorLeaks.class)
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BarrierTest {

    private static List<Task<Integer>> arrive(Barrier barrier, int n) {
        List<Task<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tasks.add(Asyncio.createTask(barrier::await));
        }
        return tasks;
    }

    private static Set<Integer> indices(List<Task<Integer>> tasks) {
        return new TreeSet<>(Asyncio.gatherAll(tasks).await());
    }

    @LoopTest
    void fewerThanOnePartyIsRefused(LoopKind kind) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> new Barrier(0));
        assertEquals("parties must be >= 1", error.getMessage());
    }

    @LoopTest
    void waitersAreReleasedTogetherWithDistinctIndices(LoopKind kind) {
        kind.run(() -> {
            Barrier barrier = new Barrier(3);
            assertEquals(3, barrier.parties());
            List<Task<Integer>> tasks = arrive(barrier, 2);
            Turns.pass(3);
            assertEquals(2, barrier.nWaiting());
            assertFalse(tasks.get(0).done());
            assertTrue(barrier.toString().endsWith("[filling, waiters:2/3]>"), barrier.toString());
            tasks.addAll(arrive(barrier, 1));
            assertEquals(Set.of(0, 1, 2), indices(tasks));
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.broken());
            return null;
        });
    }

    @LoopTest
    void singlePartyBarrierNeverWaits(LoopKind kind) {
        kind.run(() -> {
            Barrier barrier = new Barrier(1);
            assertEquals(0, barrier.await());
            assertEquals(0, barrier.await());
            return null;
        });
    }

    @LoopTest
    void barrierIsReusableRoundAfterRound(LoopKind kind) {
        kind.run(() -> {
            Barrier barrier = new Barrier(2);
            for (int round = 0; round < 3; round++) {
                assertEquals(Set.of(0, 1), indices(arrive(barrier, 2)));
            }
            return null;
        });
    }

    @LoopTest
    void arrivalsDuringDrainingWaitForTheNextRound(LoopKind kind) {
        kind.run(() -> {
            Barrier barrier = new Barrier(2);
            List<Task<Integer>> first = arrive(barrier, 1);
            Turns.pass(2);
            // Scheduled now, this task runs while the round we are about to trip still drains.
            List<Task<Integer>> next = arrive(barrier, 1);
            assertEquals(1, barrier.await());
            assertEquals(Set.of(0), indices(first));
            Turns.pass(5);
            assertFalse(next.get(0).done());
            assertEquals(1, barrier.nWaiting());
            next.addAll(arrive(barrier, 1));
            assertEquals(Set.of(0, 1), indices(next));
            return null;
        });
    }

    @LoopTest
    void abortBreaksWaitersAndLaterArrivals(LoopKind kind) {
        kind.run(() -> {
            Barrier barrier = new Barrier(3);
            List<Task<Integer>> tasks = arrive(barrier, 2);
            Turns.pass(3);
            barrier.abort();
            for (Task<Integer> task : tasks) {
                BrokenBarrierError error = assertThrows(BrokenBarrierError.class, task::await);
                assertEquals("Abort or reset of barrier", error.getMessage());
            }
            assertTrue(barrier.broken());
            assertEquals(0, barrier.nWaiting());
            BrokenBarrierError error = assertThrows(BrokenBarrierError.class, barrier::await);
            assertEquals("Barrier aborted", error.getMessage());
            assertTrue(barrier.toString().endsWith("[broken]>"), barrier.toString());
            return null;
        });
    }

    @LoopTest
    void resetBreaksWaitersThenTheBarrierFillsAgain(LoopKind kind) {
        kind.run(() -> {
            Barrier barrier = new Barrier(3);
            List<Task<Integer>> tasks = arrive(barrier, 2);
            Turns.pass(3);
            barrier.reset();
            for (Task<Integer> task : tasks) {
                assertThrows(BrokenBarrierError.class, task::await);
            }
            assertFalse(barrier.broken());
            assertEquals(0, barrier.nWaiting());
            assertEquals(Set.of(0, 1, 2), indices(arrive(barrier, 3)));
            return null;
        });
    }

    @LoopTest
    void resetRepairsAnAbortedBarrier(LoopKind kind) {
        kind.run(() -> {
            Barrier barrier = new Barrier(2);
            barrier.abort();
            assertTrue(barrier.broken());
            barrier.reset();
            assertFalse(barrier.broken());
            assertEquals(Set.of(0, 1), indices(arrive(barrier, 2)));
            return null;
        });
    }

    @LoopTest
    void cancelledWaiterLeavesTheBarrier(LoopKind kind) {
        kind.run(() -> {
            Barrier barrier = new Barrier(3);
            List<Task<Integer>> tasks = arrive(barrier, 2);
            Turns.pass(3);
            tasks.get(0).cancel();
            assertThrows(CancelledError.class, tasks.get(0)::await);
            assertEquals(1, barrier.nWaiting());
            // The cancelled task no longer counts: two more arrivals are needed to trip it.
            List<Task<Integer>> more = arrive(barrier, 1);
            Turns.pass(5);
            assertFalse(tasks.get(1).done());
            assertEquals(2, barrier.nWaiting());
            more.addAll(arrive(barrier, 1));
            Asyncio.gatherAll(more).await();
            tasks.get(1).await();
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.broken());
            assertEquals(Set.of(0, 1, 2), indices(arrive(barrier, 3)));
            return null;
        });
    }

    @LoopTest
    void waiterCancelledAfterTheBarrierTrippedDoesNotBlockTheNextRound(LoopKind kind) {
        kind.run(() -> {
            Barrier barrier = new Barrier(2);
            List<Task<Integer>> first = arrive(barrier, 1);
            Turns.pass(3);
            assertEquals(1, barrier.await());
            // The barrier tripped and first was notified; cancel it before it runs.
            first.get(0).cancel();
            assertThrows(CancelledError.class, first.get(0)::await);
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.broken());
            assertEquals(Set.of(0, 1), indices(arrive(barrier, 2)));
            return null;
        });
    }

    @LoopTest
    void taskCancelledWhileBlockedByDrainingLeavesNoTrace(LoopKind kind) {
        kind.run(() -> {
            Barrier barrier = new Barrier(2);
            List<Task<Integer>> first = arrive(barrier, 1);
            Turns.pass(2);
            List<Task<Integer>> blocked = arrive(barrier, 1);
            List<String> seen = new ArrayList<>();
            // Runs right after blocked reached the draining barrier, before first has left it.
            Task<Void> canceller = Asyncio.createTask(() -> {
                seen.add("done=" + blocked.get(0).done() + " waiting=" + barrier.nWaiting());
                blocked.get(0).cancel();
                return null;
            });
            assertEquals(1, barrier.await());
            canceller.await();
            assertEquals(List.of("done=false waiting=0"), seen);
            assertThrows(CancelledError.class, blocked.get(0)::await);
            assertEquals(Set.of(0), indices(first));
            assertEquals(0, barrier.nWaiting());
            assertEquals(Set.of(0, 1), indices(arrive(barrier, 2)));
            return null;
        });
    }
}
