package asyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class QueueWorkerPoolTest {
    private static final long SEED = 42;
    private static final double SCALE = 0.1;

    @Test
    void threeWorkersServeEveryItemInParallelAndJoinWaitsForAllOfThem() throws Exception {
        QueueWorkerPool.Times[] times = new QueueWorkerPool.Times[1];
        List<String> lines = StandardOutput.linesOf(
                () -> times[0] = Asyncio.run(() -> QueueWorkerPool.runPool(new Random(SEED), SCALE)));

        assertEquals(QueueWorkerPool.ITEMS + 3, lines.size(), lines::toString);
        List<String> work = lines.subList(0, QueueWorkerPool.ITEMS);
        assertTrue(work.stream().allMatch(line -> line.matches("worker-[0-2] has slept for [0-9]\\.[0-9]{2} seconds")),
                lines::toString);
        // Every item was served once, whatever worker took it.
        assertEquals(sorted(expectedSleeps()), sorted(work.stream().map(line -> line.substring(line.indexOf("for "))).toList()));
        assertEquals(List.of("====",
                String.format(Locale.ROOT, "3 workers slept in parallel for %.2f seconds", times[0].parallel()),
                String.format(Locale.ROOT, "total expected sleep time: %.2f seconds", times[0].total())),
                lines.subList(QueueWorkerPool.ITEMS, lines.size()));
        // In parallel: faster than one after another, yet no faster than a perfect split among three.
        assertTrue(times[0].parallel() < times[0].total(), times[0]::toString);
        assertTrue(times[0].parallel() >= times[0].total() / QueueWorkerPool.WORKERS - 1e-6, times[0]::toString);
    }

    private static List<String> expectedSleeps() {
        Random random = new Random(SEED);
        List<String> sleeps = new ArrayList<>();
        for (int i = 0; i < QueueWorkerPool.ITEMS; i++) {
            sleeps.add(String.format(Locale.ROOT, "for %.2f seconds", (0.05 + random.nextDouble() * 0.95) * SCALE));
        }
        return sleeps;
    }

    private static List<String> sorted(List<String> lines) {
        return lines.stream().sorted().toList();
    }
}
