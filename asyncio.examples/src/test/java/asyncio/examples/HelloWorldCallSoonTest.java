package asyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class HelloWorldCallSoonTest {
    @Test
    void theCallbackGreetsOnceAndStopsTheLoop() throws Exception {
        List<String> lines = StandardOutput.linesOf(() -> HelloWorldCallSoon.main(new String[0]));

        assertEquals(List.of("Hello World"), lines);
    }
}
