package asyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RegisterSocketProtocolTest {
    @Test
    void theProtocolOnTheAdoptedSocketPrintsWhatThePeerSent() throws Exception {
        List<String> lines = StandardOutput.linesOf(() -> RegisterSocketProtocol.main(new String[0]));

        assertEquals(List.of("Received: abc"), lines);
    }
}
