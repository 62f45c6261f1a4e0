package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.Task;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.ExtendWith;

/** The coroutine model: {@code Asyncio.await} suspends only the calling task, and only for pending futures. */
@ExtendWith(NoDescriptorLeaks.class)
class CoroutineAwaitTest {

    @LoopTest
    void awaitReturnsTheResultOnceTheFutureIsDone(LoopKind kind) {
        int result = kind.run(() -> {
            Future<Integer> future = Asyncio.getRunningLoop().createFuture();
            Asyncio.getRunningLoop().callSoon(() -> future.setResult(42));
            return future.await();
        });
        assertEquals(42, result);
    }

    @LoopTest
    void awaitOfADoneFutureDoesNotSuspend(LoopKind kind) {
        List<String> order = kind.run(() -> {
            List<String> events = new ArrayList<>();
            Asyncio.getRunningLoop().callSoon(() -> events.add("callback"));
            Future<String> done = Asyncio.getRunningLoop().createFuture();
            done.setResult("value");
            events.add(Asyncio.await(done));
            events.add("after await");
            Asyncio.sleep(0);
            return events;
        });
        assertEquals(List.of("value", "after await", "callback"), order);
    }

    @LoopTest
    void awaitOfAFailedFutureThrowsTheSameExceptionObject(LoopKind kind) {
        IllegalArgumentException error = new IllegalArgumentException("bad");
        IllegalArgumentException seen = kind.run(() -> {
            Future<Integer> future = Asyncio.getRunningLoop().createFuture();
            Asyncio.getRunningLoop().callSoon(() -> future.setException(error));
            return assertThrows(IllegalArgumentException.class, future::await);
        });
        assertSame(error, seen);
    }

    @LoopTest
    void checkedExceptionOfACoroutineReachesTheAwaiterUnwrapped(LoopKind kind) {
        IOException error = new IOException("disk on fire");
        Throwable seen = kind.run(() -> {
            Task<Void> failing = Asyncio.createTask(() -> {
                Asyncio.sleep(0);
                throw error;
            });
            try {
                failing.await();
                return null;
            } catch (Throwable thrown) {
                return thrown;
            }
        });
        assertSame(error, seen);
    }

    @LoopTest
    void exceptionOfTheMainCoroutineLeavesRunUnchanged(LoopKind kind) {
        IOException error = new IOException("from main");
        Throwable thrown = assertThrows(IOException.class, () -> kind.run(() -> {
            Asyncio.sleep(0);
            throw error;
        }));
        assertSame(error, thrown);
    }

    @LoopTest
    void exceptionKeepsTheStackTraceOfWhereItWasThrown(LoopKind kind) {
        Throwable thrown = assertThrows(IllegalStateException.class, () -> kind.run(() -> {
            Asyncio.sleep(0);
            return failDeepInside();
        }));
        assertEquals("failDeepInside", thrown.getStackTrace()[0].getMethodName());
    }

    private static int failDeepInside() {
        throw new IllegalStateException("deep");
    }

    @LoopTest
    void awaitOutsideATaskRaisesIllegalStateExceptionSayingWhy(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Future<Integer> pending = loop.createFuture();
            IllegalStateException error = assertThrows(IllegalStateException.class, pending::await);
            assertTrue(error.getMessage().contains("outside a task"), error.getMessage());
        }
    }

    @LoopTest
    void awaitInALoopCallbackRaisesIllegalStateException(LoopKind kind) {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<Integer> pending = loop.createFuture();
            Future<Void> ran = loop.createFuture();
            loop.callSoon(() -> {
                try {
                    pending.await();
                } catch (Throwable error) {
                    seen.set(error);
                }
                ran.setResult(null);
            });
            return ran.await();
        });
        assertTrue(seen.get() instanceof IllegalStateException, String.valueOf(seen.get()));
        assertTrue(seen.get().getMessage().contains("outside a task"), seen.get().getMessage());
    }

    @LoopTest
    void sleepOutsideATaskRaisesIllegalStateException(LoopKind kind) {
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> Asyncio.sleep(0));
        assertTrue(error.getMessage().contains("outside a task"), error.getMessage());
    }

    @LoopTest
    void aDoneFutureCanBeAwaitedOutsideATask(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Future<String> done = loop.createFuture();
            done.setResult("ready");
            assertEquals("ready", done.await());
        }
    }

    @LoopTest
    void aTaskCannotAwaitItself(LoopKind kind) {
        Throwable error = kind.run(() -> {
            AtomicReference<Task<?>> self = new AtomicReference<>();
            Task<Throwable> task = Asyncio.createTask(() -> {
                try {
                    self.get().await();
                    return null;
                } catch (IllegalStateException expected) {
                    return expected;
                }
            });
            self.set(task);
            return task.await();
        });
        assertTrue(error.getMessage().contains("cannot await on itself"), error.getMessage());
    }

    @LoopTest
    void awaitingAFutureOfAnotherLoopRaises(LoopKind kind) {
        try (EventLoop other = kind.newLoop()) {
            Future<Integer> foreign = other.createFuture();
            IllegalStateException error = kind.run(
                    () -> assertThrows(IllegalStateException.class, foreign::await));
            assertTrue(error.getMessage().contains("different loop"), error.getMessage());
        }
    }

    @LoopTest
    void tasksInterleaveOnlyAtAwaits(LoopKind kind) {
        List<String> order = kind.run(() -> {
            List<String> events = new ArrayList<>();
            Task<Void> a = Asyncio.createTask(() -> {
                events.add("a1");
                events.add("a2");
                Asyncio.sleep(0);
                events.add("a3");
                return null;
            });
            Task<Void> b = Asyncio.createTask(() -> {
                events.add("b1");
                Asyncio.sleep(0);
                events.add("b2");
                events.add("b3");
                return null;
            });
            a.await();
            b.await();
            return events;
        });
        assertEquals(List.of("a1", "a2", "b1", "a3", "b2", "b3"), order);
    }

    @LoopTest
    void aSuspendedTaskDoesNotBlockTheLoop(LoopKind kind) {
        boolean othersRan = kind.run(() -> {
            Future<Void> gate = Asyncio.getRunningLoop().createFuture();
            Task<Void> blocked = Asyncio.createTask(() -> gate.await());
            Task<Boolean> other = Asyncio.createTask(() -> {
                Asyncio.sleep(0);
                gate.setResult(null);
                return true;
            });
            blocked.await();
            return other.await();
        });
        assertTrue(othersRan);
    }

    @LoopTest
    void aFutureAwaitedByManyTasksWakesThemAll(LoopKind kind) {
        List<Integer> results = kind.run(() -> {
            Future<Integer> shared = Asyncio.getRunningLoop().createFuture();
            List<Task<Integer>> waiters = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int offset = i;
                waiters.add(Asyncio.createTask(() -> shared.await() + offset));
            }
            Asyncio.sleep(0);
            shared.setResult(10);
            List<Integer> values = new ArrayList<>();
            for (Task<Integer> waiter : waiters) {
                values.add(waiter.await());
            }
            return values;
        });
        assertEquals(List.of(10, 11, 12, 13, 14), results);
    }

    @LoopTest
    void runUntilCompleteOfACoroutineReturnsItsResult(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            assertEquals("done", loop.runUntilComplete(() -> {
                Asyncio.sleep(0);
                return "done";
            }));
            assertFalse(loop.isRunning());
        }
    }
}
