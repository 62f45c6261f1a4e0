package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.AsCompleted;
import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.ReturnWhen;
import asyncio.api.Task;
import asyncio.api.TaskGroup;
import asyncio.api.Timeout;
import asyncio.api.TimeoutError;
import asyncio.api.WaitResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The forms a line-by-line port of Python asyncio code writes: delays as any number or a
 * {@link Duration}, "no timeout" as its own form, coroutines where asyncio takes awaitables,
 * futures of different result types together, and blocks without a value.
 */
@ExtendWith(NoDescriptorLeaks.class)
class PortFormsTest {

    private static <T> Future<T> never() {
        return Asyncio.getRunningLoop().createFuture();
    }

    // --- timeouts as int, double, Duration, or none ---

    @LoopTest
    void waitForTakesWholeSecondsDurationsAndNoTimeout(LoopKind kind) {
        kind.run(() -> {
            Task<String> task = Asyncio.createTask(() -> Asyncio.sleep(0, "done"));
            String r = Asyncio.waitFor(task, 1);
            assertEquals("done", r);
            assertEquals("done", Asyncio.waitFor(task, Duration.ofMillis(250)));
            assertEquals("late", Asyncio.waitFor(Asyncio.createTask(() -> Asyncio.sleep(0.01, "late"))));
            assertEquals("coro", Asyncio.waitFor(() -> Asyncio.sleep(0, "coro"), Duration.ofSeconds(1)));
            assertThrows(TimeoutError.class, () -> Asyncio.waitFor(never(), Duration.ofMillis(10)));
            assertThrows(TimeoutError.class, () -> Asyncio.waitFor(() -> Asyncio.sleep(10, "x"), 0.01));
            assertEquals("slept", Asyncio.sleep(Duration.ofMillis(1), "slept"));
            return null;
        });
    }

    @LoopTest
    void aDurationTimeoutExpiresLikeItsSeconds(LoopKind kind) {
        kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            double start = loop.time();
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(Duration.ofMillis(30), t -> {
                Asyncio.sleep(10);
            }));
            assertTrue(loop.time() - start >= 0.029, "expired after " + (loop.time() - start));
            return null;
        });
    }

    @LoopTest
    void aNullDurationIsRefusedWithAClearMessage(LoopKind kind) {
        kind.run(() -> {
            NullPointerException error = assertThrows(NullPointerException.class,
                    () -> Asyncio.waitFor(never(), (Duration) null));
            assertTrue(error.getMessage().contains("without a timeout"), error.getMessage());
            return null;
        });
    }

    @LoopTest
    void timeoutWithoutDelayHasNoDeadlineUntilRescheduled(LoopKind kind) {
        kind.run(() -> {
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(t -> {
                assertNull(t.when());
                t.reschedule(Asyncio.getRunningLoop().time() + 0.01);
                Asyncio.sleep(10);
            }));
            return null;
        });
    }

    // --- blocks without a value ---

    @LoopTest
    void voidBlocksNeedNoReturnAndValueBlocksKeepTheirValue(LoopKind kind) {
        kind.run(() -> {
            List<String> steps = new ArrayList<>();
            Asyncio.timeout(10, t -> { steps.add("one"); Asyncio.sleep(0); steps.add("two"); });
            TaskGroup.run(tg -> { tg.createTask(() -> steps.add("a")); tg.createTask(() -> steps.add("b")); });
            Asyncio.timeoutAt(Asyncio.getRunningLoop().time() + 10, t -> { steps.add("at"); });
            assertEquals(List.of("one", "two", "a", "b", "at"), steps);

            String value = Asyncio.timeout(10, t -> Asyncio.sleep(0, "value"));
            Integer group = TaskGroup.run(tg -> tg.createTask(() -> 7).await());
            assertEquals("value", value);
            assertEquals(7, group);
            return null;
        });
    }

    @LoopTest
    void aVoidTaskGroupBlockStillRaisesItsTasksFailures(LoopKind kind) {
        kind.run(() -> {
            IllegalArgumentException failure = new IllegalArgumentException("task failed");
            asyncio.api.TaskGroupException group = assertThrows(asyncio.api.TaskGroupException.class,
                    () -> TaskGroup.run(tg -> { tg.createTask(() -> { throw failure; }); }));
            assertEquals(List.of(failure), group.exceptions());
            return null;
        });
    }

    // --- a Timeout read after its block ---

    @LoopTest
    void aTimeoutIsReadableAfterItsBlock(LoopKind kind) {
        kind.run(() -> {
            Timeout cm = Asyncio.timeout(0.01);
            assertThrows(TimeoutError.class, () -> cm.run(t -> { Asyncio.sleep(10); }));
            assertTrue(cm.expired());

            Timeout quick = Asyncio.timeout(Duration.ofSeconds(10));
            assertEquals("fast", quick.run(t -> Asyncio.sleep(0, "fast")));
            assertFalse(quick.expired());
            assertEquals("<Timeout [finished]>", quick.toString());
            IllegalStateException twice = assertThrows(IllegalStateException.class, () -> quick.run(t -> { }));
            assertEquals("Timeout has already been entered", twice.getMessage());

            Timeout at = Asyncio.timeoutAt(Asyncio.getRunningLoop().time());
            assertThrows(TimeoutError.class, () -> at.run(t -> { Asyncio.sleep(10); }));
            assertTrue(at.expired());
            return null;
        });
    }

    // --- coroutines where asyncio takes awaitables ---

    @LoopTest
    void gatherRunsCoroutinesAsTasks(LoopKind kind) {
        kind.run(() -> {
            List<Object> both = Asyncio.gather(() -> Asyncio.sleep(0.02, "a"), () -> Asyncio.sleep(0, 2)).await();
            assertEquals(List.of("a", 2), both);
            IllegalStateException error = new IllegalStateException("as a value");
            List<Object> withError = Asyncio.gather(true, () -> "ok", () -> { throw error; }).await();
            assertEquals(List.of("ok", error), withError);
            assertEquals(List.of(), Asyncio.gather().await());
            assertEquals(List.of(), Asyncio.gather(true).await());
            return null;
        });
    }

    @LoopTest
    void shieldOfACoroutineRunsItAsATaskThatOutlivesTheShield(LoopKind kind) {
        kind.run(() -> {
            Future<String> gate = never();
            Future<String> shielded = Asyncio.shield(() -> gate.await());
            shielded.cancel();
            assertThrows(CancelledError.class, shielded::await);
            gate.setResult("inner went on");
            Turns.pass(2);
            return null;
        });
    }

    @LoopTest
    void ensureFutureOfAFutureReturnsTheSameFuture(LoopKind kind) {
        kind.run(() -> {
            Future<String> future = never();
            assertSame(future, Asyncio.ensureFuture(future));
            Task<String> task = Asyncio.createTask(() -> "t");
            assertSame(task, Asyncio.ensureFuture(task));
            return task.await();
        });
    }

    @LoopTest
    void asCompletedRunsCoroutinesAndYieldsInCompletionOrder(LoopKind kind) {
        List<Object> order = kind.run(() -> {
            List<Object> results = new ArrayList<>();
            for (Future<Object> next : Asyncio.<Object>asCompleted(() -> Asyncio.sleep(0.04, "slow"), () -> Asyncio.sleep(0, 1))) {
                results.add(next.await());
            }
            return results;
        });
        assertEquals(List.of(1, "slow"), order);
    }

    // --- futures of different result types together ---

    @LoopTest
    void waitAndAsCompletedTakeFuturesOfMixedResultTypes(LoopKind kind) {
        kind.run(() -> {
            Task<byte[]> bytes = Asyncio.createTask(() -> new byte[] {1});
            Task<Void> nothing = Asyncio.createTask(() -> null);
            WaitResult<?> w = Asyncio.wait(List.of(bytes, nothing), 1);
            assertEquals(2, w.done().size());

            WaitResult<Object> first = Asyncio.wait(List.of(bytes, never()), Duration.ofSeconds(1), ReturnWhen.FIRST_COMPLETED);
            assertEquals(1, first.done().size());
            assertEquals(1, first.pending().size());
            WaitResult<Object> timedOut = Asyncio.wait(List.<Future<?>>of(never()), Duration.ofMillis(10));
            assertEquals(1, timedOut.pending().size());

            AsCompleted<Object> completed = Asyncio.asCompleted(List.of(bytes, nothing), 1);
            int count = 0;
            while (completed.hasNext()) {
                completed.next().await();
                count++;
            }
            assertEquals(2, count);
            AsCompleted<Object> late = Asyncio.asCompleted(List.<Future<?>>of(never()), Duration.ofMillis(10));
            assertThrows(TimeoutError.class, () -> late.next().await());
            return null;
        });
    }

    // --- wrap_future without a loop, over any java.util.concurrent.Future ---

    @LoopTest
    void wrapFutureFollowsAnExecutorServiceFutureOnTheRunningLoop(LoopKind kind) throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch release = new CountDownLatch(1);
            java.util.concurrent.Future<String> submitted = executor.submit(() -> {
                release.await(10, TimeUnit.SECONDS);
                return "from the executor";
            });
            assertFalse(submitted instanceof java.util.concurrent.CompletionStage<?>);
            String result = kind.run(() -> {
                Future<String> wrapped = Asyncio.wrapFuture(submitted);
                assertSame(Asyncio.getRunningLoop(), wrapped.getLoop());
                release.countDown();
                return wrapped.await();
            });
            assertEquals("from the executor", result);
        } finally {
            executor.shutdownNow();
            assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @LoopTest
    void wrapFutureCarriesFailureAndCancelsTheSource(LoopKind kind) {
        FutureTask<String> failing = new FutureTask<>(() -> {
            throw new java.io.IOException("failed in the executor");
        });
        failing.run();
        FutureTask<String> pending = new FutureTask<>(() -> "never run");
        kind.run(() -> {
            java.io.IOException error = assertThrows(java.io.IOException.class, () -> Asyncio.wrapFuture(failing).await());
            assertEquals("failed in the executor", error.getMessage());
            Future<String> wrapped = Asyncio.wrapFuture(pending);
            wrapped.cancel();
            Turns.pass(1);
            assertTrue(pending.isCancelled());
            return null;
        });
    }

    @LoopTest
    void aWrappedFutureThatNeverCompletesDoesNotHoldUpTheLoopsClose(LoopKind kind) {
        FutureTask<String> never = new FutureTask<>(() -> "never run");
        try {
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10), () -> kind.run(() -> {
                Future<String> wrapped = Asyncio.wrapFuture(never);
                Turns.pass(1);
                return wrapped.done();
            }));
        } finally {
            never.cancel(false);
        }
    }

    @LoopTest
    void wrapFutureOfACompletableFutureNeedsNoLoopArgument(LoopKind kind) {
        java.util.concurrent.CompletableFuture<String> stage = new java.util.concurrent.CompletableFuture<>();
        assertEquals("completed", kind.run(() -> {
            Future<String> wrapped = Asyncio.wrapFuture(stage);
            stage.complete("completed");
            return wrapped.await();
        }));
    }

    @org.junit.jupiter.api.Test
    void wrapFutureWithoutAnyLoopIsAClearError() {
        Asyncio.setEventLoop(null);
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> Asyncio.wrapFuture(new java.util.concurrent.CompletableFuture<String>()));
        assertTrue(error.getMessage().toLowerCase(java.util.Locale.ROOT).contains("event loop"), error.getMessage());
    }

    @LoopTest
    void shutdownDefaultExecutorTakesSecondsOrNoTimeout(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            assertEquals("ran", loop.runUntilComplete(loop.runInExecutor(null, () -> "ran")));
            assertNull(loop.runUntilComplete(loop.shutdownDefaultExecutor(5)));
        }
        try (EventLoop loop = kind.newLoop()) {
            loop.runUntilComplete(loop.runInExecutor(null, () -> "ran"));
            assertNull(loop.runUntilComplete(loop.shutdownDefaultExecutor()));
        }
    }

    // --- asyncio.run(main, loop_factory=...) ---

    @LoopTest
    void runUsesTheLoopFactoryAndClosesTheLoop(LoopKind kind) {
        AtomicReference<EventLoop> made = new AtomicReference<>();
        String result = Asyncio.run(() -> {
            assertSame(made.get(), Asyncio.getRunningLoop());
            return Asyncio.sleep(0, "ran");
        }, () -> {
            made.set(kind.newLoop());
            return made.get();
        });
        assertEquals("ran", result);
        assertTrue(made.get().isClosed());
    }
}
