package asyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import asyncio.api.Asyncio;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ParallelTasksGatherTest {
    @Test
    void theThreeTasksInterleaveAndGatherKeepsArgumentOrder() throws Exception {
        List<String> lines = StandardOutput.linesOf(() -> Asyncio.run(() -> ParallelTasksGather.gatherFactorials(0.01)));

        assertEquals(List.of(
                "Task A: Compute factorial(2), currently i=2...",
                "Task B: Compute factorial(3), currently i=2...",
                "Task C: Compute factorial(4), currently i=2...",
                "Task A: factorial(2) = 2",
                "Task B: Compute factorial(3), currently i=3...",
                "Task C: Compute factorial(4), currently i=3...",
                "Task B: factorial(3) = 6",
                "Task C: Compute factorial(4), currently i=4...",
                "Task C: factorial(4) = 24",
                "[2, 6, 24]"), lines);
    }
}
