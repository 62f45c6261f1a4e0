package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.Runner;
import asyncio.api.Task;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code asyncio.run} and {@code asyncio.Runner}: a fresh loop, and a clean teardown. */
@ExtendWith(NoDescriptorLeaks.class)
class RunnerTest {

    @Test
    void asyncioRunReturnsTheResultOnAFreshLoopThatIsClosedAfterwards() {
        AtomicReference<EventLoop> first = new AtomicReference<>();
        AtomicReference<EventLoop> second = new AtomicReference<>();
        assertEquals("one", Asyncio.run(() -> {
            first.set(Asyncio.getRunningLoop());
            Asyncio.sleep(0);
            return "one";
        }));
        assertEquals("two", Asyncio.run(() -> {
            second.set(Asyncio.getRunningLoop());
            return "two";
        }));
        assertNotSame(first.get(), second.get());
        assertTrue(first.get().isClosed());
        assertTrue(second.get().isClosed());
    }

    @Test
    void asyncioRunWithDebugTurnsDebugModeOn() {
        assertTrue(Asyncio.run(() -> Asyncio.getRunningLoop().getDebug(), true));
        assertFalse(Asyncio.run(() -> Asyncio.getRunningLoop().getDebug(), false));
    }

    @Test
    void asyncioRunMakesItsLoopTheThreadsCurrentLoop() {
        assertTrue(Asyncio.run(() -> Asyncio.getEventLoopPolicy().getEventLoop() == Asyncio.getRunningLoop()));
    }

    @LoopTest
    void runInsideARunningLoopRaises(LoopKind kind) {
        kind.run(() -> {
            IllegalStateException fromRun = assertThrows(IllegalStateException.class, () -> Asyncio.run(() -> 1));
            assertTrue(fromRun.getMessage().contains("cannot be called from a running event loop"), fromRun.getMessage());
            try (Runner runner = new Runner(null, kind::newLoop)) {
                IllegalStateException fromRunner = assertThrows(IllegalStateException.class, () -> runner.run(() -> 1));
                assertTrue(fromRunner.getMessage().contains("cannot be called from a running event loop"),
                        fromRunner.getMessage());
            }
            return null;
        });
    }

    @LoopTest
    void runCancelsTasksLeftBehindAndWaitsForThem(LoopKind kind) {
        List<String> events = new ArrayList<>();
        AtomicReference<Task<?>> leftover = new AtomicReference<>();
        kind.run(() -> {
            leftover.set(Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(3600);
                } catch (CancelledError cancelled) {
                    events.add("leftover cancelled");
                    Asyncio.sleep(0);
                    events.add("leftover cleaned up");
                    throw cancelled;
                }
                return null;
            }));
            Asyncio.sleep(0);
            events.add("main returns");
            return null;
        });
        assertEquals(List.of("main returns", "leftover cancelled", "leftover cleaned up"), events);
        assertTrue(leftover.get().cancelled());
    }

    @LoopTest
    void leftoverFailingDuringShutdownIsReported(LoopKind kind) {
        AtomicReference<ErrorRecorder> errors = new AtomicReference<>();
        IOException error = new IOException("failed while cancelled");
        kind.run(() -> {
            errors.set(ErrorRecorder.on(Asyncio.getRunningLoop()));
            Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(3600);
                } catch (CancelledError cancelled) {
                    throw error;
                }
                return null;
            });
            Asyncio.sleep(0);
            return null;
        });
        List<Map<String, Object>> reports = errors.get().withMessage("unhandled exception during asyncio.run() shutdown");
        assertEquals(1, reports.size(), errors.get().contexts().toString());
        assertSame(error, reports.get(0).get("exception"));
    }

    @LoopTest
    void runShutsTheDefaultExecutorDown(LoopKind kind) {
        ExecutorService executor = Executors.newFixedThreadPool(1);
        Runner runner = new Runner(null, kind::newLoop);
        try {
            runner.getLoop().setDefaultExecutor(executor);
            assertEquals("threaded", runner.run(() -> Asyncio.toThread(() -> "threaded").await()));
            runner.close();
            assertTrue(executor.isTerminated(), "close() waited for the executor's threads");
        } finally {
            runner.close();
            executor.shutdownNow();
        }
    }

    @LoopTest
    void runnerClosesItsLoop(LoopKind kind) {
        Runner runner = new Runner(null, kind::newLoop);
        EventLoop loop = runner.getLoop();
        runner.run(() -> null);
        assertFalse(loop.isClosed());
        runner.close();
        assertTrue(loop.isClosed());
    }

    @LoopTest
    void runnerRunsManyCoroutinesOnTheSameLoop(LoopKind kind) {
        try (Runner runner = new Runner(null, kind::newLoop)) {
            EventLoop first = runner.run(Asyncio::getRunningLoop);
            EventLoop second = runner.run(Asyncio::getRunningLoop);
            assertSame(first, second);
            assertSame(first, runner.getLoop());
            // A task left by one run keeps going in the next.
            Future<String> handOver = runner.run(() -> {
                Future<String> future = Asyncio.getRunningLoop().createFuture();
                Asyncio.createTask(() -> {
                    Asyncio.sleep(0);
                    Asyncio.sleep(0);
                    future.setResult("from the first run");
                    return null;
                });
                return future;
            });
            assertEquals("from the first run", runner.run(handOver::await));
        }
    }

    @LoopTest
    void closedRunnerRaisesAndCloseIsIdempotent(LoopKind kind) {
        Runner runner = new Runner(null, kind::newLoop);
        runner.run(() -> null);
        runner.close();
        runner.close();
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> runner.run(() -> null));
        assertTrue(error.getMessage().contains("Runner is closed"), error.getMessage());
        assertThrows(IllegalStateException.class, runner::getLoop);
    }

    @LoopTest
    void closingARunnerThatNeverRanLeavesItUsable(LoopKind kind) {
        Runner runner = new Runner(null, kind::newLoop);
        runner.close();
        try {
            assertEquals("still usable", runner.run(() -> "still usable"));
        } finally {
            runner.close();
        }
    }

    @LoopTest
    void runnerAppliesTheDebugFlag(LoopKind kind) {
        try (Runner runner = new Runner(true, kind::newLoop)) {
            assertTrue(runner.run(() -> Asyncio.getRunningLoop().getDebug()));
        }
        try (Runner runner = new Runner(false, kind::newLoop)) {
            assertFalse(runner.run(() -> Asyncio.getRunningLoop().getDebug()));
        }
    }

    @LoopTest
    void exceptionOfTheMainTaskStillClosesTheLoop(LoopKind kind) {
        AtomicReference<EventLoop> loop = new AtomicReference<>();
        IOException error = new IOException("main failed");
        IOException thrown = assertThrows(IOException.class, () -> kind.run(() -> {
            loop.set(Asyncio.getRunningLoop());
            throw error;
        }));
        assertSame(error, thrown);
        assertTrue(loop.get().isClosed());
    }

    @LoopTest
    void cancelledMainTaskRaisesCancelledErrorFromRun(LoopKind kind) {
        try (Runner runner = new Runner(null, kind::newLoop)) {
            assertThrows(CancelledError.class, () -> runner.run(() -> {
                Asyncio.currentTask().cancel();
                Asyncio.sleep(0);
                return null;
            }));
            assertEquals("usable", runner.run(() -> "usable"));
        }
    }
}
