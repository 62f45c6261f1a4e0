package asyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.EventLoop;
import asyncio.api.Task;
import asyncio.api.transports.Server;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TcpEchoProtocolTest {
    private static final String MESSAGE = "Hello World!";

    @Test
    void theServerEchoesTheClientsMessageAndHangsUp() throws Exception {
        List<String> lines = StandardOutput.linesOf(() -> Asyncio.run(() -> {
            Server server = TcpEchoServerProtocol.start("127.0.0.1", 0);
            try {
                TcpEchoClientProtocol.talk("127.0.0.1", TcpEchoServerProtocol.address(server).getPort(), MESSAGE);
            } finally {
                server.close();
            }
            return server.waitClosed().await();
        }));

        assertEchoConversation(lines);
        // One loop thread: the client's print after its write comes before the server hears it.
        assertInOrder(lines, "Data sent: '" + MESSAGE + "'", "Send: '" + MESSAGE + "'");
    }

    @Test
    void theClientMainTalksToAServerOnAnotherLoop() throws Exception {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        CompletableFuture<Runnable> stopServer = new CompletableFuture<>();
        List<String> lines = StandardOutput.linesOf(() -> {
            Thread serverThread = Thread.ofPlatform().start(() -> runServerUntilCancelled(port, stopServer));
            try {
                TcpEchoClientProtocol.main(new String[] {"127.0.0.1", String.valueOf(port.get(5, TimeUnit.SECONDS))});
            } finally {
                stopServer.get(5, TimeUnit.SECONDS).run();
                serverThread.join(5_000);
            }
        });

        assertEchoConversation(lines);
    }

    private static void runServerUntilCancelled(CompletableFuture<Integer> port, CompletableFuture<Runnable> stop) {
        try {
            Asyncio.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Task<?> main = Asyncio.currentTask();
                Server server = TcpEchoServerProtocol.start("127.0.0.1", 0);
                stop.complete(() -> loop.callSoonThreadsafe(main::cancel));
                port.complete(TcpEchoServerProtocol.address(server).getPort());
                return server.serveForever().await();
            });
        } catch (CancelledError stopped) {
            // The test cancelled serve_forever(), as Ctrl-C would.
        } catch (RuntimeException failed) {
            port.completeExceptionally(failed);
            stop.complete(() -> { });
        }
    }

    private static void assertEchoConversation(List<String> lines) {
        String received = "Data received: '" + MESSAGE + "'";
        assertTrue(lines.get(0).startsWith("Serving on /127.0.0.1:"), lines::toString);
        assertEquals(1, lines.stream().filter(line -> line.startsWith("Connection from /127.0.0.1:")).count(), lines::toString);
        assertEquals(2, lines.stream().filter(received::equals).count(), lines::toString);
        // Server side, in order.
        assertInOrder(lines, "Connection from", received, "Send: '" + MESSAGE + "'", "Close the client socket");
        // Client side, in order.
        assertInOrder(lines, "Data sent: '" + MESSAGE + "'", "The server closed the connection");
        // The server announces the close before closing, so before the client can hear of it.
        assertInOrder(lines, "Close the client socket", "The server closed the connection");
        assertEquals(8, lines.size(), lines::toString);
    }

    private static void assertInOrder(List<String> lines, String... prefixes) {
        int at = -1;
        for (String prefix : prefixes) {
            int from = at + 1;
            int found = -1;
            for (int i = from; i < lines.size(); i++) {
                if (lines.get(i).startsWith(prefix)) {
                    found = i;
                    break;
                }
            }
            assertTrue(found >= 0, "'" + prefix + "' missing after line " + at + " in " + lines);
            at = found;
        }
    }

    @Test
    void assertInOrderRejectsLinesOutOfOrder() {
        assertThrows(AssertionError.class, () -> assertInOrder(List.of("b", "a"), "a", "b"));
    }
}
