package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import asyncio.api.Asyncio;
import asyncio.api.Future;
import asyncio.api.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The coroutine carrier in use is the one the build asked for, and it keeps asyncio's one-at-a-time
 * rule: the loop and at most one task ever run at once.
 */
@ExtendWith(NoDescriptorLeaks.class)
class CarrierTest {

    /** The build runs the suite with the continuation flag, once more with {@code -Dasyncio.coroutines=virtual}. */
    private static String expectedCarrier() {
        String forced = System.getProperty("asyncio.coroutines", "").trim();
        return forced.isEmpty() ? "continuation" : forced;
    }

    @LoopTest
    void theCarrierInUseIsTheOneAskedFor(LoopKind kind) throws ReflectiveOperationException {
        // White-box: the suite runs on the class path, where the internal package is reachable.
        Class<?> carriers = Class.forName("asyncio.api.internal.Carriers");
        Object carrier = carriers.getMethod("carrier").invoke(null);
        String name = (String) Class.forName("asyncio.api.internal.Carrier").getMethod("name").invoke(carrier);
        String description = (String) carriers.getMethod("description").invoke(null);
        assertEquals(expectedCarrier(), name);
        assertTrue(description.startsWith(expectedCarrier()), description);
    }

    @LoopTest
    void taskCodeRunsWhereTheCarrierSays(LoopKind kind) {
        kind.run(() -> {
            AtomicReference<Thread> loopThread = new AtomicReference<>();
            Future<Void> probed = Asyncio.getRunningLoop().createFuture();
            Asyncio.getRunningLoop().callSoon(() -> {
                loopThread.set(Thread.currentThread());
                probed.setResult(null);
            });
            probed.await();
            Thread taskThread = Thread.currentThread();
            if (expectedCarrier().equals("continuation")) {
                assertSame(loopThread.get(), taskThread, "continuations run on the loop thread");
            } else {
                assertTrue(taskThread.isVirtual(), "each task has its own virtual thread");
            }
            return null;
        });
    }

    @LoopTest
    void noTwoTasksAndNoCallbackEverRunAtTheSameTime(LoopKind kind) {
        int tasks = 40;
        int rounds = 25;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger steps = new AtomicInteger();
        kind.run(() -> {
            List<Task<Void>> all = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                int id = t;
                all.add(Asyncio.createTask(() -> {
                    for (int round = 0; round < rounds; round++) {
                        enter(inside, overlaps);
                        busyWork(id + round);
                        Asyncio.getRunningLoop().callSoon(() -> {
                            enter(inside, overlaps);
                            busyWork(id);
                            leave(inside);
                        });
                        leave(inside);
                        steps.incrementAndGet();
                        if (round % 3 == 0) {
                            Asyncio.sleep(0.0001 * (id % 4));
                        } else {
                            Asyncio.sleep(0);
                        }
                    }
                    return null;
                }));
            }
            for (Task<Void> task : all) {
                task.await();
            }
            return null;
        });
        assertEquals(tasks * rounds, steps.get());
        assertEquals(0, overlaps.get(), "code of two tasks (or a task and a callback) ran at the same time");
    }

    private static void enter(AtomicInteger inside, AtomicInteger overlaps) {
        if (inside.incrementAndGet() != 1) {
            overlaps.incrementAndGet();
        }
    }

    private static void leave(AtomicInteger inside) {
        inside.decrementAndGet();
    }

    private static void busyWork(int seed) {
        // Long enough that a second thread running concurrently would be caught inside.
        long value = seed;
        for (int i = 0; i < 2_000; i++) {
            value = value * 6364136223846793005L + 1442695040888963407L;
            if (value == 42) {
                Thread.onSpinWait();
            }
        }
    }

    @LoopTest
    void carrierIsTransparentToUnchangedThreadLocals(LoopKind kind) {
        // The same task sees its own thread-bound state across awaits on either carrier.
        kind.run(() -> {
            Task<?> self = Asyncio.currentTask();
            for (int i = 0; i < 5; i++) {
                Asyncio.sleep(0);
                assertSame(self, Asyncio.currentTask());
                assertSame(Asyncio.getRunningLoop(), self.getLoop());
            }
            return null;
        });
    }

    @Test
    void awaitWhileHoldingAMonitorWorksOnThisJdk() {
        assumeTrue(Runtime.version().feature() >= 24, "continuations yield with a monitor held from JDK 24 on");
        Object lock = new Object();
        String result = Asyncio.run(() -> {
            synchronized (lock) {
                return Asyncio.sleep(0.001, "slept holding the monitor");
            }
        });
        assertEquals("slept holding the monitor", result);
    }

    /** Awaits from its static initializer, where a continuation cannot yield. */
    private static final class AwaitsWhileInitializing {
        static final Object OUTCOME = awaitOrError();

        private static Object awaitOrError() {
            try {
                return Asyncio.sleep(0.001, "slept in a class initializer");
            } catch (IllegalStateException refused) {
                return refused;
            }
        }
    }

    @Test
    void awaitWhereTheCarrierCannotSuspendRaisesInsteadOfHanging() {
        Object outcome = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> Asyncio.run(() -> AwaitsWhileInitializing.OUTCOME));
        if (expectedCarrier().equals("continuation")) {
            assertTrue(outcome instanceof IllegalStateException, String.valueOf(outcome));
            String message = ((IllegalStateException) outcome).getMessage();
            assertTrue(message.contains("cannot await here") && message.contains("pinned"), message);
        } else {
            assertEquals("slept in a class initializer", outcome, "a virtual thread can park anywhere");
        }
    }
}
