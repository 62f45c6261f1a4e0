package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.EventLoop;
import asyncio.api.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code asyncio.sleep}: a zero delay yields exactly once, a positive one waits in loop time. */
@ExtendWith(NoDescriptorLeaks.class)
class SleepTest {

    @LoopTest
    void sleepZeroYieldsForExactlyOneIteration(LoopKind kind) {
        List<String> events = kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<String> log = new ArrayList<>();
            loop.callSoon(() -> {
                log.add("first iteration");
                loop.callSoon(() -> log.add("second iteration"));
            });
            Asyncio.sleep(0);
            log.add("resumed");
            Asyncio.sleep(0);
            return log;
        });
        assertEquals(List.of("first iteration", "resumed", "second iteration"), events);
    }

    @LoopTest
    void negativeDelayYieldsOnceToo(LoopKind kind) {
        List<String> events = kind.run(() -> {
            List<String> log = new ArrayList<>();
            Asyncio.getRunningLoop().callSoon(() -> log.add("callback"));
            Asyncio.sleep(-1);
            log.add("resumed");
            return log;
        });
        assertEquals(List.of("callback", "resumed"), events);
    }

    @LoopTest
    void sleepWaitsAtLeastTheDelayInLoopTime(LoopKind kind) {
        double elapsed = kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            double start = loop.time();
            Asyncio.sleep(0.02);
            return loop.time() - start;
        });
        assertTrue(elapsed >= 0.02, "slept " + elapsed);
    }

    @LoopTest
    void sleepTakesADuration(LoopKind kind) {
        double elapsed = kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            double start = loop.time();
            Asyncio.sleep(Duration.ofMillis(20));
            return loop.time() - start;
        });
        assertTrue(elapsed >= 0.02, "slept " + elapsed);
    }

    @LoopTest
    void sleepReturnsTheGivenResult(LoopKind kind) {
        assertEquals("later", kind.run(() -> Asyncio.sleep(0.001, "later")));
        assertEquals("now", kind.run(() -> Asyncio.sleep(0, "now")));
    }

    @LoopTest
    void sleepOfNaNRaises(LoopKind kind) {
        IllegalArgumentException error = kind.run(
                () -> assertThrows(IllegalArgumentException.class, () -> Asyncio.sleep(Double.NaN)));
        assertTrue(error.getMessage().contains("NaN"), error.getMessage());
    }

    @LoopTest
    void shorterSleepsWakeFirst(LoopKind kind) {
        List<Integer> order = kind.run(() -> {
            List<Integer> woke = new ArrayList<>();
            List<Task<Void>> sleepers = new ArrayList<>();
            for (int millis : new int[] {60, 20, 40}) {
                sleepers.add(Asyncio.createTask(() -> {
                    Asyncio.sleep(millis / 1000.0);
                    woke.add(millis);
                    return null;
                }));
            }
            for (Task<Void> sleeper : sleepers) {
                sleeper.await();
            }
            return woke;
        });
        assertEquals(List.of(20, 40, 60), order);
    }

    @LoopTest
    void cancelledSleepRaisesCancelledErrorAtOnce(LoopKind kind) {
        double elapsed = kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Task<Void> sleeper = Asyncio.createTask(() -> Asyncio.sleep(3600, null));
            double start = loop.time();
            Asyncio.sleep(0);
            sleeper.cancel();
            assertThrows(CancelledError.class, sleeper::await);
            return loop.time() - start;
        });
        assertTrue(elapsed < 60, "cancelled after " + elapsed);
    }
}
