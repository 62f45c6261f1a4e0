package asyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ChainCoroutinesTest {
    @Test
    void printSumAwaitsComputeAndPrintsItsResult() throws Exception {
        List<String> lines = StandardOutput.linesOf(() -> ChainCoroutines.run(0.01));

        assertEquals(List.of("Compute 1 + 2 ...", "1 + 2 = 3"), lines);
    }
}
