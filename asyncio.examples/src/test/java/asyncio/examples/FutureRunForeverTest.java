package asyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class FutureRunForeverTest {
    @Test
    void theDoneCallbackPrintsTheResultAndStopsTheLoop() throws Exception {
        List<String> lines = StandardOutput.linesOf(() -> FutureRunForever.run(0.01));

        assertEquals(List.of("Future is done!"), lines);
    }
}
