package asyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class HelloWorldCoroutineTest {
    @Test
    void greetsInTwoHalvesOneSecondApart() throws Exception {
        long start = System.nanoTime();
        List<String> lines = StandardOutput.linesOf(() -> HelloWorldCoroutine.main(new String[0]));
        double seconds = (System.nanoTime() - start) / 1e9;

        assertEquals(List.of("Hello ...", "... World!"), lines);
        assertTrue(seconds >= 1.0, "took " + seconds + " s");
    }
}
