package asyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class FutureRunUntilCompleteTest {
    @Test
    void theLoopRunsUntilTheTaskCompletesTheFuture() throws Exception {
        List<String> lines = StandardOutput.linesOf(() -> FutureRunUntilComplete.run(0.01));

        assertEquals(List.of("Future is done!"), lines);
    }
}
