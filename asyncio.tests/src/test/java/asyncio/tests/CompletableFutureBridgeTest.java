package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;

/** Futures and CompletableFutures, both ways: Future.toCompletableFuture and asyncio's wrap_future. */
@ExtendWith(NoDescriptorLeaks.class)
class CompletableFutureBridgeTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    // --- Future -> CompletableFuture ---

    @LoopTest
    void theCompletableFutureGetsTheResult(LoopKind kind) throws Exception {
        try (EventLoop loop = kind.newLoop()) {
            Future<String> future = loop.createFuture();
            CompletableFuture<String> bridge = future.toCompletableFuture();
            assertFalse(bridge.isDone());

            future.setResult("value");
            LoopDriver.runOnce(loop);

            assertEquals("value", bridge.get(0, TimeUnit.SECONDS));
        }
    }

    @LoopTest
    void theCompletableFutureGetsTheVeryException(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Future<String> future = loop.createFuture();
            CompletableFuture<String> bridge = future.toCompletableFuture();
            IllegalStateException failure = new IllegalStateException("failed");

            future.setException(failure);
            LoopDriver.runOnce(loop);

            ExecutionException error = assertThrows(ExecutionException.class, () -> bridge.get(0, TimeUnit.SECONDS));
            assertSame(failure, error.getCause());
        }
    }

    @LoopTest
    void cancellingTheFutureCancelsTheCompletableFuture(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Future<String> future = loop.createFuture();
            CompletableFuture<String> bridge = future.toCompletableFuture();

            future.cancel();
            LoopDriver.runOnce(loop);

            assertTrue(bridge.isCancelled());
        }
    }

    @LoopTest
    void bridgingADoneFutureCompletesAtTheNextIteration(LoopKind kind) throws Exception {
        try (EventLoop loop = kind.newLoop()) {
            Future<String> future = loop.createFuture();
            future.setResult("early");

            CompletableFuture<String> bridge = future.toCompletableFuture();
            LoopDriver.runOnce(loop);

            assertEquals("early", bridge.get(0, TimeUnit.SECONDS));
        }
    }

    @LoopTest
    void anotherThreadCanWaitForTheOutcomeThroughTheBridge(LoopKind kind) {
        assertTimeoutPreemptively(BOUND, () -> {
            String seen = kind.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Future<String> future = loop.createFuture();
                CompletableFuture<String> bridge = future.toCompletableFuture();
                Future<String> seenByThread = Asyncio.toThread(() -> bridge.get(10, TimeUnit.SECONDS));
                loop.callLater(0.01, () -> future.setResult("for the thread"));
                return seenByThread.await();
            });
            assertEquals("for the thread", seen);
        });
    }

    @LoopTest
    void cancellingTheCompletableFutureFromAnotherThreadCancelsTheFuture(LoopKind kind) {
        assertTimeoutPreemptively(BOUND, () -> {
            List<Object> seen = kind.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Future<String> future = loop.createFuture();
                CompletableFuture<String> bridge = future.toCompletableFuture();
                Thread canceller = Thread.ofPlatform().start(() -> bridge.cancel(true));

                CancelledError error = assertThrows(CancelledError.class, future::await);
                LoopLifecycleTest.join(canceller);
                return List.of(future.cancelled(), bridge.isCancelled(), error.getClass().getSimpleName());
            });
            assertEquals(List.of(true, true, "CancelledError"), seen);
        });
    }

    @LoopTest
    void cancellingTheBridgeAfterTheLoopClosedIsHarmless(LoopKind kind) {
        EventLoop loop = kind.newLoop();
        Future<String> future = loop.createFuture();
        CompletableFuture<String> bridge = future.toCompletableFuture();
        loop.close();

        assertTrue(bridge.cancel(false));
        assertFalse(future.done());
    }

    // --- CompletionStage -> Future (wrap_future) ---

    @LoopTest
    void wrapFutureFollowsAStageCompletedOnAnotherThread(LoopKind kind) {
        assertTimeoutPreemptively(BOUND, () -> {
            Integer result = kind.run(() -> {
                CompletableFuture<Integer> source = new CompletableFuture<>();
                Future<Integer> wrapped = Asyncio.wrapFuture(source, Asyncio.getRunningLoop());
                Thread.ofPlatform().start(() -> source.complete(5));
                return wrapped.await();
            });
            assertEquals(5, result);
        });
    }

    @LoopTest
    void wrapFutureCompletesOnTheLoopThreadNotTheCompletingOne(LoopKind kind) throws Exception {
        try (EventLoop loop = kind.newLoop()) {
            CompletableFuture<Integer> source = new CompletableFuture<>();
            Future<Integer> wrapped = Asyncio.wrapFuture(source, loop);
            Thread completer = Thread.ofPlatform().start(() -> source.complete(1));
            LoopLifecycleTest.join(completer);

            assertFalse(wrapped.done(), "only the loop thread may complete an asyncio future");
            assertEquals(1, loop.runUntilComplete(wrapped));
        }
    }

    @LoopTest
    void wrapFutureCarriesTheVeryExceptionUnwrapped(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            IllegalArgumentException direct = new IllegalArgumentException("direct");
            CompletableFuture<Integer> failed = new CompletableFuture<>();
            failed.completeExceptionally(direct);
            IllegalArgumentException downstream = new IllegalArgumentException("in a dependent stage");
            CompletableFuture<Integer> source = new CompletableFuture<>();
            CompletionStage<Integer> dependent = source.thenApply(value -> {
                throw downstream;
            });
            source.complete(1);

            Future<Integer> first = Asyncio.wrapFuture(failed, loop);
            Future<Integer> second = Asyncio.wrapFuture(dependent, loop);

            assertSame(direct, assertThrows(IllegalArgumentException.class, () -> loop.runUntilComplete(first)));
            assertSame(downstream, assertThrows(IllegalArgumentException.class, () -> loop.runUntilComplete(second)));
        }
    }

    @LoopTest
    void wrapFutureOfACancelledStageIsCancelled(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            CompletableFuture<Integer> source = new CompletableFuture<>();
            Future<Integer> wrapped = Asyncio.wrapFuture(source, loop);

            Thread canceller = Thread.ofPlatform().start(() -> source.cancel(false));
            LoopLifecycleTest.join(canceller);
            LoopDriver.runUntil(loop, 0.001, () -> { }, wrapped::done);

            assertTrue(wrapped.cancelled());
        }
    }

    @LoopTest
    void cancellingTheWrapperCancelsTheCompletableFuture(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            CompletableFuture<Integer> source = new CompletableFuture<>();
            Future<Integer> wrapped = Asyncio.wrapFuture(source, loop);

            wrapped.cancel();
            LoopDriver.runOnce(loop);

            assertTrue(source.isCancelled());
        }
    }

    @LoopTest
    void aWrapperOfAStageThatCannotBeCancelledCancelsQuietlyAndIgnoresTheLateOutcome(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            List<java.util.Map<String, Object>> reports = new ArrayList<>();
            loop.setExceptionHandler((l, context) -> reports.add(context));
            CompletableFuture<Integer> source = new CompletableFuture<>();
            CompletionStage<Integer> minimal = source.minimalCompletionStage();
            Future<Integer> wrapped = Asyncio.wrapFuture(minimal, loop);

            wrapped.cancel();
            source.complete(7);
            LoopDriver.runOnce(loop);
            LoopDriver.runOnce(loop);

            assertTrue(wrapped.cancelled());
            assertEquals(List.of(), reports);
        }
    }

    @LoopTest
    void wrapFutureOfACompletedStageCompletesAtTheNextIteration(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Future<String> wrapped = Asyncio.wrapFuture(CompletableFuture.completedFuture("now"), loop);
            assertFalse(wrapped.done());

            LoopDriver.runOnce(loop);

            assertEquals("now", wrapped.result());
        }
    }

    @LoopTest
    void completingTheStageAfterTheLoopClosedIsHarmless(LoopKind kind) {
        EventLoop loop = kind.newLoop();
        CompletableFuture<Integer> source = new CompletableFuture<>();
        Future<Integer> wrapped = Asyncio.wrapFuture(source, loop);
        loop.close();

        assertTrue(source.complete(1));
        assertFalse(wrapped.done());
    }
}
