package asyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import asyncio.api.Asyncio;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PortedLinesTest {
    @Test
    void pythonLinesPortedAsWrittenCompileAndRun() throws Exception {
        List<String> lines = StandardOutput.linesOf(() -> Asyncio.run(PortedLines::portedLines));

        assertEquals(List.of(
                "waitFor: fetched fut",
                "wait: 2 done, 0 pending",
                "gather: [fetched x, fetched y]",
                "step1",
                "step2",
                "work 1",
                "work 2",
                "timed out",
                "expired: true"), lines);
    }
}
