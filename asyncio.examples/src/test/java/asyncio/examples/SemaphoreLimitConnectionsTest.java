package asyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import asyncio.api.Asyncio;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SemaphoreLimitConnectionsTest {
    @Test
    void tenClientsGetTheirEchoWithNeverMoreThanThreeConnectionsOpen() throws Exception {
        int[] most = new int[1];
        List<String> lines = StandardOutput.linesOf(() -> most[0] = Asyncio.run(() -> SemaphoreLimitConnections.run(0.1)));

        // Each client holds its connection 0.1 s: the first three overlap, and the semaphore lets no fourth in.
        assertEquals(SemaphoreLimitConnections.LIMIT, most[0]);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < SemaphoreLimitConnections.CLIENTS; i++) {
            expected.add("Received: hello from client " + i);
        }
        expected.add("At most 3 connections at once (limit 3)");
        assertEquals(expected, lines);
    }
}
