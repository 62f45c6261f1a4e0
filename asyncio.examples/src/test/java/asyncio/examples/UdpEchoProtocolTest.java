package asyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.transports.DatagramEndpoint;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class UdpEchoProtocolTest {
    private static final String MESSAGE = "Hello World!";

    @Test
    void theServerSendsTheDatagramBackAndTheClientClosesOnTheReply() throws Exception {
        List<String> lines = StandardOutput.linesOf(() -> Asyncio.run(() -> {
            DatagramEndpoint<?> server = UdpEchoServerProtocol.start("127.0.0.1", 0);
            try {
                UdpEchoClientProtocol.talk("127.0.0.1", UdpEchoServerProtocol.address(server).getPort(), MESSAGE);
            } finally {
                server.transport().close();
            }
            return null;
        }));

        assertEquals(7, lines.size(), lines::toString);
        assertTrue(lines.get(2).startsWith("Received '" + MESSAGE + "' from /127.0.0.1:"), lines::toString);
        String client = lines.get(2).substring(("Received '" + MESSAGE + "' from ").length());
        // One loop thread: each side prints before the other can hear of it.
        assertEquals(List.of(
                "Starting UDP server",
                "Send: '" + MESSAGE + "'",
                "Received '" + MESSAGE + "' from " + client,
                "Send '" + MESSAGE + "' to " + client,
                "Received: '" + MESSAGE + "'",
                "Close the socket",
                "Connection closed"), lines);
    }
}
