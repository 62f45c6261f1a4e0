package asyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class WatchReadEventsTest {
    @Test
    void theReaderCallbackPrintsWhatArrivedOnThePipeAndStopsTheLoop() throws Exception {
        List<String> lines = StandardOutput.linesOf(() -> WatchReadEvents.main(new String[0]));

        assertEquals(List.of("Received: abc"), lines);
    }
}
