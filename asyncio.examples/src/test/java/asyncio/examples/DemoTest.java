package asyncio.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class DemoTest {
    @Test
    void reportsTheLoopTheCarrierAndEverySectionUpToTheSummary() throws Exception {
        List<String> lines = StandardOutput.linesOf(() -> Demo.main(new String[0]));

        // On Linux the epoll loop wins; the selector loop is probed and listed as well.
        String best = System.getProperty("os.name").startsWith("Linux") ? "epoll" : "selector";
        assertTrue(lines.contains("loop: " + best + " (highest priority of the supported loops)"), lines::toString);
        assertTrue(lines.contains("  - selector (priority 10, supported)"), lines::toString);
        assertTrue(lines.contains("coroutines: " + Asyncio.coroutineCarrier()), lines::toString);
        assertTrue(lines.contains("callbacks   callSoon runs in FIFO order, a cancelled handle never:"
                + " [first, second, from another thread]"), lines::toString);
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("timers      callAt/callLater fired in time order"
                + " [10 ms, 20 ms, 30 ms]")), lines::toString);
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("gather      3 tasks sleeping 50 ms each gave [a, b, c]")),
                lines::toString);
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("timeout     sleep(10) inside Asyncio.timeout(0.05)"
                + " raised TimeoutError")), lines::toString);
        assertTrue(lines.contains("TaskGroup   a child failed with [java.lang.IllegalStateException: boom];"
                + " the others: finished with fine, cancelled"), lines::toString);
        assertTrue(lines.stream().anyMatch(line -> line.matches("summary     10,000 requests in [0-9.]+ s = [0-9,]+ requests/s")),
                lines::toString);
    }
}
