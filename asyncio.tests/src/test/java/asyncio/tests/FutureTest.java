package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.InvalidStateError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every method of asyncio.Future, its error cases and its done callbacks. */
@ExtendWith(NoDescriptorLeaks.class)
class FutureTest {

    @LoopTest
    void aNewFutureIsPendingAndBoundToItsLoop(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Future<String> future = loop.createFuture();

            assertFalse(future.done());
            assertFalse(future.cancelled());
            assertSame(loop, future.getLoop());
            assertSame(loop, new Future<String>(loop).getLoop());
            assertEquals("<Future pending>", future.toString());
            assertTrue(Asyncio.isFuture(future));
            assertFalse(Asyncio.isFuture(new CompletableFuture<String>()));
        }
    }

    @LoopTest
    void resultAndExceptionOfAPendingFutureRaiseInvalidStateError(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Future<String> future = loop.createFuture();

            assertEquals("Result is not ready.", assertThrows(InvalidStateError.class, future::result).getMessage());
            assertEquals("Exception is not set.", assertThrows(InvalidStateError.class, future::exception).getMessage());
        }
    }

    @LoopTest
    void setResultMakesTheResultAvailable(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Future<Integer> future = loop.createFuture();

            future.setResult(42);

            assertTrue(future.done());
            assertFalse(future.cancelled());
            assertEquals(42, future.result());
            assertNull(future.exception());
            assertEquals("<Future finished result=42>", future.toString());
        }
    }

    @LoopTest
    void aNullResultIsAResult(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Future<Object> future = loop.createFuture();

            future.setResult(null);

            assertTrue(future.done());
            assertNull(future.result());
            assertNull(future.exception());
        }
    }

    @LoopTest
    void setExceptionMakesResultThrowThatVeryException(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Future<Integer> future = loop.createFuture();
            IOException failure = new IOException("checked");

            future.setException(failure);

            assertTrue(future.done());
            assertFalse(future.cancelled());
            assertSame(failure, assertThrows(IOException.class, future::result));
            assertSame(failure, future.exception());
            assertEquals("<Future finished exception=" + failure + ">", future.toString());
        }
    }

    @LoopTest
    void setExceptionRejectsNull(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Future<Integer> future = loop.createFuture();

            assertThrows(NullPointerException.class, () -> future.setException(null));
            assertFalse(future.done());
        }
    }

    @LoopTest
    void completingADoneFutureRaisesInvalidStateErrorNamingItsState(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Future<Integer> finished = loop.createFuture();
            finished.setResult(1);
            Future<Integer> failed = loop.createFuture();
            failed.setException(new IllegalStateException("failed"));
            Future<Integer> cancelled = loop.createFuture();
            cancelled.cancel();

            for (Future<Integer> future : List.of(finished, failed, cancelled)) {
                String state = future.cancelled() ? "CANCELLED" : "FINISHED";
                InvalidStateError onResult = assertThrows(InvalidStateError.class, () -> future.setResult(2));
                InvalidStateError onException = assertThrows(InvalidStateError.class,
                        () -> future.setException(new IllegalStateException("late")));
                assertTrue(onResult.getMessage().startsWith(state + ": <Future "), onResult.getMessage());
                assertTrue(onException.getMessage().startsWith(state + ": "), onException.getMessage());
            }
            assertEquals(1, finished.result());
            failed.exception();
        }
    }

    @LoopTest
    void cancelCancelsOnlyAPendingFuture(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Future<Integer> future = loop.createFuture();

            assertTrue(future.cancel());
            assertFalse(future.cancel());

            assertTrue(future.cancelled());
            assertTrue(future.done());
            assertEquals("<Future cancelled>", future.toString());

            Future<Integer> finished = loop.createFuture();
            finished.setResult(1);
            assertFalse(finished.cancel());
            assertFalse(finished.cancelled());
            assertEquals(1, finished.result());
        }
    }

    @LoopTest
    void aCancelledFutureRaisesCancelledErrorCarryingTheMessage(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Future<Integer> withMessage = loop.createFuture();
            Future<Integer> without = loop.createFuture();

            withMessage.cancel("shutting down");
            without.cancel();

            assertEquals("shutting down", assertThrows(CancelledError.class, withMessage::result).getMessage());
            assertEquals("shutting down", assertThrows(CancelledError.class, withMessage::exception).getMessage());
            assertNull(assertThrows(CancelledError.class, without::result).getMessage());
            assertNull(assertThrows(CancelledError.class, without::exception).getMessage());
        }
    }

    @LoopTest
    void doneCallbacksRunThroughTheLoopInRegistrationOrder(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Future<String> future = loop.createFuture();
            List<String> order = new ArrayList<>();
            List<Future<String>> seen = new ArrayList<>();
            for (String name : List.of("first", "second", "third")) {
                future.addDoneCallback(done -> {
                    order.add(name);
                    seen.add(done);
                });
            }

            future.setResult("x");
            assertEquals(List.of(), order, "callbacks are scheduled with call_soon, not called");
            LoopDriver.runOnce(loop);

            assertEquals(List.of("first", "second", "third"), order);
            seen.forEach(f -> assertSame(future, f));
        }
    }

    @LoopTest
    void doneCallbacksQueueBehindCallbacksAlreadyReady(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Future<String> future = loop.createFuture();
            List<String> order = new ArrayList<>();
            future.addDoneCallback(done -> order.add("done callback"));
            loop.callSoon(() -> order.add("ready before"));

            future.setResult("x");
            loop.callSoon(() -> order.add("ready after"));
            LoopDriver.runOnce(loop);

            assertEquals(List.of("ready before", "done callback", "ready after"), order);
        }
    }

    @LoopTest
    void aCallbackAddedToADoneFutureIsScheduledNotCalled(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Future<String> future = loop.createFuture();
            future.setResult("x");
            List<String> order = new ArrayList<>();

            future.addDoneCallback(done -> order.add("late callback " + done.result()));
            assertEquals(List.of(), order);
            LoopDriver.runOnce(loop);

            assertEquals(List.of("late callback x"), order);
        }
    }

    @LoopTest
    void doneCallbacksRunOnceEvenIfTheLoopRunsAgain(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Future<String> future = loop.createFuture();
            int[] calls = {0};
            future.addDoneCallback(done -> calls[0]++);

            future.cancel();
            LoopDriver.runOnce(loop);
            LoopDriver.runOnce(loop);

            assertEquals(1, calls[0]);
        }
    }

    @LoopTest
    void cancelAndSetExceptionAlsoRunTheCallbacks(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Future<String> cancelled = loop.createFuture();
            Future<String> failed = loop.createFuture();
            List<String> seen = new ArrayList<>();
            cancelled.addDoneCallback(done -> seen.add("cancelled=" + done.cancelled()));
            failed.addDoneCallback(done -> seen.add("exception=" + done.exception().getMessage()));

            cancelled.cancel();
            failed.setException(new IllegalStateException("bad"));
            LoopDriver.runOnce(loop);

            assertEquals(List.of("cancelled=true", "exception=bad"), seen);
        }
    }

    @LoopTest
    void removeDoneCallbackRemovesEveryRegistrationAndReturnsTheCount(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Future<String> future = loop.createFuture();
            List<String> order = new ArrayList<>();
            Consumer<Future<String>> twice = done -> order.add("twice");
            Consumer<Future<String>> other = done -> order.add("other");
            future.addDoneCallback(twice);
            future.addDoneCallback(other);
            future.addDoneCallback(twice);

            assertEquals(2, future.removeDoneCallback(twice));
            assertEquals(0, future.removeDoneCallback(twice));
            future.setResult("x");
            LoopDriver.runOnce(loop);

            assertEquals(List.of("other"), order);
        }
    }

    @LoopTest
    void removingCallbacksKeepsTheOrderOfTheRest(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Future<String> future = loop.createFuture();
            List<String> order = new ArrayList<>();
            Consumer<Future<String>> a = done -> order.add("a");
            future.addDoneCallback(a);
            future.addDoneCallback(done -> order.add("b"));
            future.addDoneCallback(done -> order.add("c"));

            assertEquals(1, future.removeDoneCallback(a));
            future.addDoneCallback(done -> order.add("d"));
            future.addDoneCallback(a);
            future.setResult("x");
            LoopDriver.runOnce(loop);

            assertEquals(List.of("b", "c", "d", "a"), order);
        }
    }

    @LoopTest
    void removeDoneCallbackOfADoneFutureRemovesNothing(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Future<String> future = loop.createFuture();
            Consumer<Future<String>> callback = done -> { };
            future.addDoneCallback(callback);
            future.setResult("x");

            assertEquals(0, future.removeDoneCallback(callback));
        }
    }

    @LoopTest
    void addDoneCallbackRejectsNull(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Future<String> future = loop.createFuture();
            assertThrows(NullPointerException.class, () -> future.addDoneCallback(null));
        }
    }

    @LoopTest
    void aFutureMadeWithoutALoopTakesTheRunningLoop(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            List<EventLoop> bound = new ArrayList<>();
            loop.callSoon(() -> bound.add(new Future<String>().getLoop()));

            LoopDriver.runOnce(loop);

            assertEquals(List.of(loop), bound);
        }
    }

    @LoopTest
    void aFutureMadeWithoutALoopOutsideOneTakesTheThreadsCurrentLoopOrRaises(LoopKind kind) throws Exception {
        try (EventLoop loop = kind.newLoop()) {
            CompletableFuture<Object> outcome = new CompletableFuture<>();
            Thread thread = Thread.ofPlatform().start(() -> {
                Throwable none = LoopLifecycleTest.catchThrowable(() -> new Future<String>());
                Asyncio.setEventLoop(loop);
                try {
                    outcome.complete(List.of(none == null ? "no error" : none.getClass().getSimpleName(),
                            new Future<String>().getLoop() == loop));
                } catch (Throwable error) {
                    outcome.completeExceptionally(error);
                } finally {
                    Asyncio.setEventLoop(null);
                }
            });
            LoopLifecycleTest.join(thread);

            assertEquals(List.of("IllegalStateException", true), outcome.get(10, TimeUnit.SECONDS));
        }
    }

    @LoopTest
    void awaitingADoneFutureOutsideATaskReturnsAtOnce(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Future<String> future = loop.createFuture();
            future.setResult("ready");

            assertEquals("ready", future.await());
            assertEquals("ready", Asyncio.await(future));
        }
    }

    @LoopTest
    void awaitingAPendingFutureOutsideATaskRaisesInsteadOfHanging(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Future<String> future = loop.createFuture();

            assertThrows(IllegalStateException.class, future::await);
            assertFalse(future.done());
        }
    }

    @LoopTest
    void aTaskAwaitingAFutureGetsItsResultLater(LoopKind kind) {
        String result = kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<String> future = loop.createFuture();
            loop.callLater(0.01, () -> future.setResult("later"));
            return future.await();
        });
        assertEquals("later", result);
    }

    // --- an exception nobody retrieved is reported when the future is collected ---

    @LoopTest
    void anExceptionNeverRetrievedIsReportedToTheHandlerWhenTheFutureIsCollected(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            List<Map<String, Object>> reports = new ArrayList<>();
            List<Thread> reportedOn = new ArrayList<>();
            loop.setExceptionHandler((l, context) -> {
                reports.add(context);
                reportedOn.add(Thread.currentThread());
            });
            IllegalStateException lost = new IllegalStateException("never retrieved");
            failAndForget(loop, lost);
            failRetrieveAndForget(loop, new IllegalStateException("retrieved with result()"), true);
            failRetrieveAndForget(loop, new IllegalStateException("retrieved with exception()"), false);
            failCancelAndForget(loop, new IllegalStateException("silenced by cancel()"));

            LoopDriver.runUntil(loop, 0.01, System::gc, () -> !reports.isEmpty());
            // Give the others every chance to be (wrongly) reported too.
            for (int i = 0; i < 3; i++) {
                System.gc();
                LoopDriver.runOnce(loop);
            }

            assertEquals(1, reports.size(), reports.toString());
            Map<String, Object> context = reports.get(0);
            assertEquals("Future exception was never retrieved", context.get("message"));
            assertSame(lost, context.get("exception"));
            assertTrue(context.containsKey("future"));
            assertEquals(List.of(Thread.currentThread()), reportedOn, "reported on the loop thread");
        }
    }

    @LoopTest
    void aCollectedFutureWithAResultOrCancelledIsNotReported(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            List<Map<String, Object>> reports = new ArrayList<>();
            loop.setExceptionHandler((l, context) -> reports.add(context));
            for (int i = 0; i < 100; i++) {
                completeAndForget(loop, i % 2 == 0);
            }
            IllegalStateException lost = new IllegalStateException("the only one");
            failAndForget(loop, lost);

            LoopDriver.runUntil(loop, 0.01, System::gc, () -> !reports.isEmpty());

            assertEquals(1, reports.size(), reports.toString());
            assertSame(lost, reports.get(0).get("exception"));
        }
    }

    @LoopTest
    void anExceptionNeverRetrievedOnAClosedLoopStillReachesItsHandler(LoopKind kind) throws InterruptedException {
        EventLoop loop = kind.newLoop();
        CountDownLatch reported = new CountDownLatch(1);
        List<Object> exceptions = new CopyOnWriteArrayList<>();
        loop.setExceptionHandler((l, context) -> {
            exceptions.add(context.get("exception"));
            reported.countDown();
        });
        IllegalStateException lost = new IllegalStateException("lost after close");
        failAndForget(loop, lost);
        loop.close();

        for (int i = 0; i < 500 && reported.getCount() > 0; i++) {
            System.gc();
            reported.await(10, TimeUnit.MILLISECONDS);
        }

        assertEquals(List.of(lost), exceptions);
    }

    private static void failAndForget(EventLoop loop, Throwable error) {
        Future<String> future = loop.createFuture();
        future.setException(error);
    }

    private static void failRetrieveAndForget(EventLoop loop, Throwable error, boolean viaResult) {
        Future<String> future = loop.createFuture();
        future.setException(error);
        if (viaResult) {
            assertThrows(IllegalStateException.class, future::result);
        } else {
            assertSame(error, future.exception());
        }
    }

    private static void failCancelAndForget(EventLoop loop, Throwable error) {
        Future<String> future = loop.createFuture();
        future.setException(error);
        // asyncio: cancel() of a done future returns False but still silences the report.
        assertFalse(future.cancel());
    }

    private static void completeAndForget(EventLoop loop, boolean cancel) {
        Future<String> future = loop.createFuture();
        if (cancel) {
            future.cancel();
        } else {
            future.setResult("fine");
        }
    }

    @LoopTest
    void setExceptionOfNullOnADoneFutureRaisesInvalidStateError(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Future<String> future = loop.createFuture();
            future.setResult("done");
            assertThrows(InvalidStateError.class, () -> future.setException(null));
            Future<String> cancelled = loop.createFuture();
            cancelled.cancel();
            assertThrows(InvalidStateError.class, () -> cancelled.setException(null));
            assertEquals("done", future.result());
        }
    }
}
