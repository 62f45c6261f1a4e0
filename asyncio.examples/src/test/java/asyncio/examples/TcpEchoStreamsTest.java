package asyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

@Timeout(20)
class TcpEchoStreamsTest {
    private static final String MESSAGE = "Hello World!";

    @Test
    void theClientGetsItsMessageBackFromTheServerOnOneLoop() throws Exception {
        List<String> lines = StandardOutput.linesOf(() -> Asyncio.run(() -> {
            Server server = TcpEchoServerStreams.start("127.0.0.1", 0);
            try {
                TcpEchoClientStreams.tcpEchoClient("127.0.0.1", TcpEchoServerStreams.port(server), MESSAGE);
            } finally {
                server.close();
            }
            return server.waitClosed().await();
        }));

        assertConversation(lines);
    }

    @Test
    void theClientMainTalksToTheServerMainOnAnotherThread() throws Exception {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        CompletableFuture<Runnable> stopServer = new CompletableFuture<>();
        List<String> lines = StandardOutput.linesOf(() -> {
            Thread serverThread = Thread.ofPlatform().start(() -> serveUntilCancelled(port, stopServer));
            try {
                TcpEchoClientStreams.main(new String[] {"127.0.0.1", String.valueOf(port.get(10, TimeUnit.SECONDS)), MESSAGE});
            } finally {
                stopServer.get(10, TimeUnit.SECONDS).run();
                serverThread.join(10_000);
            }
        });

        assertConversation(lines);
    }

    /** What TcpEchoServerStreams.main does, with a way for the test to press Ctrl-C. */
    private static void serveUntilCancelled(CompletableFuture<Integer> port, CompletableFuture<Runnable> stop) {
        try {
            Asyncio.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Task<?> main = Asyncio.currentTask();
                Server server = TcpEchoServerStreams.start("127.0.0.1", 0);
                stop.complete(() -> loop.callSoonThreadsafe(main::cancel));
                port.complete(TcpEchoServerStreams.port(server));
                return server.serveForever().await();
            });
        } catch (CancelledError stopped) {
            // serve_forever() was cancelled, as Ctrl-C would.
        } catch (RuntimeException failed) {
            port.completeExceptionally(failed);
            stop.complete(() -> { });
        }
    }

    private static void assertConversation(List<String> lines) {
        assertTrue(lines.get(0).startsWith("Serving on /127.0.0.1:"), lines::toString);
        List<String> client = lines.stream().filter(line -> !line.startsWith("Serving")
                && (line.startsWith("Send: ") || line.startsWith("Received: ") || line.equals("Close the connection"))).toList();
        List<String> server = lines.stream().filter(line -> line.startsWith("Received '")).toList();
        assertEquals(1, server.size(), lines::toString);
        assertTrue(server.get(0).startsWith("Received '" + MESSAGE + "' from /127.0.0.1:"), lines::toString);
        // Both sides print "Send:" and "Close the connection"; the client alone prints "Received: ".
        assertEquals(2, lines.stream().filter(("Send: '" + MESSAGE + "'")::equals).count(), lines::toString);
        assertEquals(2, lines.stream().filter("Close the connection"::equals).count(), lines::toString);
        assertEquals(List.of("Received: '" + MESSAGE + "'"),
                client.stream().filter(line -> line.startsWith("Received: ")).toList(), lines::toString);
        // The client sends before the server hears, and hears the echo after the server sends it.
        int clientSend = lines.indexOf("Send: '" + MESSAGE + "'");
        int serverHeard = lines.indexOf(server.get(0));
        int clientHeard = lines.indexOf("Received: '" + MESSAGE + "'");
        assertTrue(clientSend < serverHeard && serverHeard < clientHeard, lines::toString);
        assertEquals(7, lines.size(), lines::toString);
    }
}
