package asyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SubprocessDateTest {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @Test
    void theProtocolCollectsTheChildsOutputUntilItExitedAndClosedItsPipe() throws Exception {
        assertPrintsTheCurrentDate(() -> SubprocessDateProtocol.main(new String[0]));
    }

    @Test
    void theStreamsVersionReadsTheChildsLineAndWaitsForItsExit() throws Exception {
        assertPrintsTheCurrentDate(() -> SubprocessDateStreams.main(new String[0]));
    }

    private static void assertPrintsTheCurrentDate(StandardOutput.Body example) throws Exception {
        LocalDateTime before = LocalDateTime.now(ZoneOffset.UTC).withNano(0);
        List<String> lines = StandardOutput.linesOf(example);
        LocalDateTime after = LocalDateTime.now(ZoneOffset.UTC);

        assertEquals(1, lines.size(), lines::toString);
        assertTrue(lines.get(0).startsWith("Current date: "), lines::toString);
        LocalDateTime printed = LocalDateTime.parse(lines.get(0).substring("Current date: ".length()), DATE);
        assertTrue(!printed.isBefore(before) && !printed.isAfter(after),
                printed + " not within " + before + " .. " + after + " (" + Duration.between(before, after) + ")");
    }
}
