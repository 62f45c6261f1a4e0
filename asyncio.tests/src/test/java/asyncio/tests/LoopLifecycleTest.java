package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.EventLoop;
import asyncio.api.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/** The rules of running, stopping and closing a loop: asyncio's run_forever/run_until_complete/stop/close. */
@ExtendWith(NoDescriptorLeaks.class)
class LoopLifecycleTest {

    @LoopTest
    void newLoopIsNeitherRunningNorClosed(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            assertFalse(loop.isRunning());
            assertFalse(loop.isClosed());
            assertEquals(kind.toString(), loop.implementationName());
        }
    }

    @LoopTest
    void runForeverRunsCallbacksUntilStopAndIsRunningMeanwhile(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            List<Boolean> runningInside = new ArrayList<>();
            loop.callSoon(() -> runningInside.add(loop.isRunning()));
            loop.callSoon(loop::stop);

            LoopDriver.runUntilStopped(loop);

            assertEquals(List.of(true), runningInside);
            assertFalse(loop.isRunning());
        }
    }

    @LoopTest
    void runForeverInsideItsOwnCallbackRaisesAlreadyRunning(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            List<Throwable> errors = new ArrayList<>();
            loop.callSoon(() -> {
                errors.add(catchThrowable(loop::runForever));
                errors.add(catchThrowable(() -> loop.runUntilComplete(loop.createFuture())));
                loop.stop();
            });

            LoopDriver.runUntilStopped(loop);

            assertEquals(2, errors.size());
            for (Throwable error : errors) {
                assertInstanceOfWithMessage(IllegalStateException.class, "This event loop is already running", error);
            }
        }
    }

    @LoopTest
    void runUntilCompleteOfACoroutineOnARunningLoopNeverStartsIt(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            boolean[] started = {false};
            List<Throwable> errors = new ArrayList<>();
            loop.callSoon(() -> errors.add(catchThrowable(() -> loop.runUntilComplete(() -> {
                started[0] = true;
                return null;
            }))));
            // Give a wrongly scheduled task a few iterations to show itself.
            loop.callSoon(() -> loop.callSoon(() -> loop.callSoon(loop::stop)));

            LoopDriver.runUntilStopped(loop);

            assertInstanceOfWithMessage(IllegalStateException.class, "This event loop is already running", errors.get(0));
            assertFalse(started[0], "the coroutine must not run when run_until_complete refuses it");
        }
    }

    @LoopTest
    void runningALoopInsideAnotherRunningLoopRaises(LoopKind kind) {
        try (EventLoop outer = kind.newLoop(); EventLoop inner = kind.newLoop()) {
            List<Throwable> errors = new ArrayList<>();
            outer.callSoon(() -> {
                errors.add(catchThrowable(inner::runForever));
                errors.add(catchThrowable(() -> inner.runUntilComplete(inner.createFuture())));
                outer.stop();
            });

            LoopDriver.runUntilStopped(outer);

            for (Throwable error : errors) {
                assertInstanceOfWithMessage(IllegalStateException.class,
                        "Cannot run the event loop while another loop is running", error);
            }
            assertFalse(inner.isRunning());
        }
    }

    @LoopTest
    void runForeverFromASecondThreadWhileRunningRaises(LoopKind kind) throws Exception {
        try (EventLoop loop = kind.newLoop()) {
            CompletableFuture<Throwable> fromOtherThread = new CompletableFuture<>();
            loop.callSoon(() -> {
                Thread other = Thread.ofPlatform().start(() -> fromOtherThread.complete(catchThrowable(loop::runForever)));
                join(other);
                loop.stop();
            });

            LoopDriver.runUntilStopped(loop);

            assertInstanceOfWithMessage(IllegalStateException.class, "This event loop is already running",
                    fromOtherThread.get(10, TimeUnit.SECONDS));
        }
    }

    @LoopTest
    void closingARunningLoopRaisesAndTheLoopKeepsRunning(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            List<Throwable> errors = new ArrayList<>();
            boolean[] ranAfter = {false};
            loop.callSoon(() -> errors.add(catchThrowable(loop::close)));
            loop.callSoon(() -> loop.callSoon(() -> {
                ranAfter[0] = true;
                loop.stop();
            }));

            LoopDriver.runUntilStopped(loop);

            assertInstanceOfWithMessage(IllegalStateException.class, "Cannot close a running event loop", errors.get(0));
            assertFalse(loop.isClosed());
            assertTrue(ranAfter[0]);
        }
    }

    @LoopTest
    void closeIsIdempotent(LoopKind kind) {
        EventLoop loop = kind.newLoop();
        loop.close();
        loop.close();
        assertTrue(loop.isClosed());
        assertFalse(loop.isRunning());
    }

    @LoopTest
    void aClosedLoopRefusesEveryUseWithEventLoopIsClosed(LoopKind kind) {
        EventLoop loop = kind.newLoop();
        Future<Object> future = loop.createFuture();
        loop.close();

        List<Executable> uses = List.of(
                loop::runForever,
                () -> loop.runUntilComplete(future),
                () -> loop.runUntilComplete(() -> 1),
                () -> loop.callSoon(() -> { }),
                () -> loop.callSoonThreadsafe(() -> { }),
                () -> loop.callLater(0.01, () -> { }),
                () -> loop.callLater(Duration.ofMillis(10), () -> { }),
                () -> loop.callAt(loop.time(), () -> { }),
                () -> loop.createTask(() -> 1),
                () -> loop.runInExecutor(null, () -> 1));
        for (Executable use : uses) {
            IllegalStateException error = assertThrows(IllegalStateException.class, use);
            assertEquals("Event loop is closed", error.getMessage());
        }
    }

    @LoopTest
    void closeDropsPendingCallbacksAndTimers(LoopKind kind) {
        EventLoop loop = kind.newLoop();
        boolean[] ran = {false};
        loop.callSoon(() -> ran[0] = true);
        loop.callLater(-1, () -> ran[0] = true);
        loop.close();

        assertThrows(IllegalStateException.class, loop::runForever);
        assertFalse(ran[0]);
    }

    @LoopTest
    void stopOnAClosedLoopIsHarmless(LoopKind kind) {
        EventLoop loop = kind.newLoop();
        loop.close();
        loop.stop();
        Thread other = Thread.ofPlatform().start(loop::stop);
        join(other);
        assertTrue(loop.isClosed());
    }

    @LoopTest
    void stopBeforeRunLetsExactlyOneIterationRun(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            List<String> order = new ArrayList<>();
            loop.callSoon(() -> {
                order.add("first");
                loop.callSoon(() -> order.add("next iteration"));
            });
            loop.callSoon(() -> order.add("second"));

            loop.stop();
            loop.runForever();

            assertEquals(List.of("first", "second"), order);
            assertFalse(loop.isRunning());
        }
    }

    @LoopTest
    void runForeverAfterAStopRunsAgainUntilTheNextStop(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            List<String> order = new ArrayList<>();
            loop.callSoon(() -> {
                order.add("first run");
                loop.stop();
                loop.callSoon(() -> {
                    order.add("second run");
                    loop.callSoon(() -> {
                        order.add("second run, later iteration");
                        loop.stop();
                    });
                });
            });

            LoopDriver.runUntilStopped(loop);
            assertEquals(List.of("first run"), order);

            LoopDriver.runUntilStopped(loop);
            assertEquals(List.of("first run", "second run", "second run, later iteration"), order);
        }
    }

    @LoopTest
    void stopInsideACallbackStillRunsTheRestOfTheIteration(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            List<String> order = new ArrayList<>();
            loop.callSoon(loop::stop);
            loop.callSoon(() -> order.add("same iteration"));

            LoopDriver.runUntilStopped(loop);

            assertEquals(List.of("same iteration"), order);
        }
    }

    @LoopTest
    void runUntilCompleteReturnsTheResult(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Future<String> future = loop.createFuture();
            loop.callSoon(() -> future.setResult("done"));

            assertEquals("done", loop.runUntilComplete(future));
            assertFalse(loop.isRunning());
        }
    }

    @LoopTest
    void runUntilCompleteThrowsTheFuturesExceptionUnchanged(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Future<String> future = loop.createFuture();
            java.io.IOException failure = new java.io.IOException("disk on fire");
            loop.callSoon(() -> future.setException(failure));

            java.io.IOException thrown = assertThrows(java.io.IOException.class, () -> loop.runUntilComplete(future));

            assertSame(failure, thrown);
        }
    }

    @LoopTest
    void runUntilCompleteOfADoneFutureRunsOneIterationAndReturns(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Future<Integer> future = loop.createFuture();
            future.setResult(3);
            boolean[] ran = {false};
            loop.callSoon(() -> ran[0] = true);

            assertEquals(3, loop.runUntilComplete(future));
            assertTrue(ran[0]);
        }
    }

    @LoopTest
    void runUntilCompleteRaisesWhenTheLoopStopsFirst(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Future<Object> future = loop.createFuture();
            loop.callSoon(loop::stop);

            IllegalStateException error = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(future));

            assertEquals("Event loop stopped before Future completed.", error.getMessage());
            assertFalse(future.done());
        }
    }

    @LoopTest
    void runUntilCompleteLeavesNoCallbackBehindThatWouldStopALaterRun(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Future<Object> future = loop.createFuture();
            loop.callSoon(loop::stop);
            assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(future));

            List<String> order = new ArrayList<>();
            future.setResult("late");
            loop.callSoon(() -> loop.callSoon(() -> {
                order.add("two iterations later");
                loop.stop();
            }));
            LoopDriver.runUntilStopped(loop);

            assertEquals(List.of("two iterations later"), order);
        }
    }

    @LoopTest
    void runUntilCompleteRejectsAFutureOfAnotherLoop(LoopKind kind) {
        try (EventLoop loop = kind.newLoop(); EventLoop other = kind.newLoop()) {
            Future<Object> foreign = other.createFuture();

            assertThrows(IllegalArgumentException.class, () -> loop.runUntilComplete(foreign));
            assertFalse(loop.isRunning());
        }
    }

    @LoopTest
    void runUntilCompleteRunsACoroutineAsATask(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            assertEquals(42, loop.runUntilComplete(() -> 42));
        }
    }

    @LoopTest
    void runUntilCompleteOfAFutureDoesNotStopForOtherFutures(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Future<String> awaited = loop.createFuture();
            Future<String> other = loop.createFuture();
            Consumer<Future<String>> finishAwaited = done -> awaited.setResult("after " + done.result());
            other.addDoneCallback(finishAwaited);
            loop.callSoon(() -> other.setResult("other"));

            assertEquals("after other", loop.runUntilComplete(awaited));
        }
    }

    @LoopTest
    void loopStateIsClearedWhenAnErrorEscapesRunForever(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            // Only VM errors escape the loop (as SystemExit/KeyboardInterrupt escape asyncio's).
            loop.callSoon(() -> {
                throw new StackOverflowError("escapes");
            });
            StackOverflowError error = assertThrows(StackOverflowError.class, loop::runForever);
            assertEquals("escapes", error.getMessage());
            assertFalse(loop.isRunning());
            assertNull(runningLoopOrNull());

            boolean[] ranAgain = {false};
            loop.callSoon(() -> ranAgain[0] = true);
            LoopDriver.runOnce(loop);
            assertTrue(ranAgain[0]);
        }
    }

    // --- helpers ---

    static Throwable catchThrowable(Executable action) {
        try {
            action.execute();
            return null;
        } catch (Throwable error) {
            return error;
        }
    }

    static void assertInstanceOfWithMessage(Class<? extends Throwable> type, String message, Throwable error) {
        assertTrue(type.isInstance(error), "expected " + type.getSimpleName() + ", got " + error);
        assertEquals(message, error.getMessage());
    }

    static void join(Thread thread) {
        try {
            assertTrue(thread.join(Duration.ofSeconds(10)), "thread did not finish in 10 s");
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new AssertionError(interrupted);
        }
    }

    private static EventLoop runningLoopOrNull() {
        try {
            return asyncio.api.Asyncio.getRunningLoop();
        } catch (IllegalStateException none) {
            return null;
        }
    }
}
