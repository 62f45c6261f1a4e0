package asyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.EventLoop;
import asyncio.api.Task;
import asyncio.api.streams.StreamReader;
import asyncio.api.streams.StreamWriter;
import asyncio.api.streams.Streams;
import asyncio.api.transports.Server;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class GetHttpHeadersTest {
    private static final List<String> RESPONSE_HEAD = List.of(
            "HTTP/1.0 200 OK",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Length: 12",
            "X-Example: streams");

    /** A one-request-per-connection HTTP server: records the request head, answers with {@link #RESPONSE_HEAD}. */
    private static Server httpServer(List<List<String>> requests) {
        return Streams.startServer((StreamReader reader, StreamWriter writer) -> {
            List<String> request = new ArrayList<>();
            while (true) {
                String line = new String(reader.readline(), StandardCharsets.ISO_8859_1).stripTrailing();
                if (line.isEmpty()) {
                    break;
                }
                request.add(line);
            }
            requests.add(request);
            StringBuilder response = new StringBuilder();
            for (String line : RESPONSE_HEAD) {
                response.append(line).append("\r\n");
            }
            response.append("\r\n");
            if (!request.get(0).startsWith("HEAD ")) {
                response.append("Hello there!");
            }
            writer.write(response.toString());
            writer.drain();
            writer.close();
        }, "127.0.0.1", 0).await();
    }

    @Test
    void printsTheStatusLineAndEveryHeaderOfAHeadRequest() throws Exception {
        List<List<String>> requests = new CopyOnWriteArrayList<>();
        List<String> lines = StandardOutput.linesOf(() -> Asyncio.run(() -> {
            Server server = httpServer(requests);
            try {
                GetHttpHeaders.printHttpHeaders("http://127.0.0.1:" + TcpEchoServerStreams.port(server) + "/some/page");
            } finally {
                server.close();
            }
            return server.waitClosed().await();
        }));

        assertEquals(List.of(List.of("HEAD /some/page HTTP/1.0", "Host: 127.0.0.1")), requests);
        assertEquals(RESPONSE_HEAD.stream().map(line -> "HTTP header> " + line).toList(), lines);
    }

    @Test
    void theMainAsksForTheRootWhenTheUrlHasNoPath() throws Exception {
        List<List<String>> requests = new CopyOnWriteArrayList<>();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        CompletableFuture<Runnable> stop = new CompletableFuture<>();
        Thread serverThread = Thread.ofPlatform().start(() -> {
            try {
                Asyncio.run(() -> {
                    EventLoop loop = Asyncio.getRunningLoop();
                    Task<?> main = Asyncio.currentTask();
                    Server server = httpServer(requests);
                    stop.complete(() -> loop.callSoonThreadsafe(main::cancel));
                    port.complete(TcpEchoServerStreams.port(server));
                    return server.serveForever().await();
                });
            } catch (CancelledError stopped) {
                // The test stopped the server.
            } catch (RuntimeException failed) {
                port.completeExceptionally(failed);
                stop.complete(() -> { });
            }
        });
        try {
            String url = "http://127.0.0.1:" + port.get(10, TimeUnit.SECONDS);
            List<String> lines = StandardOutput.linesOf(() -> GetHttpHeaders.main(new String[] {url}));

            assertEquals(List.of(List.of("HEAD / HTTP/1.0", "Host: 127.0.0.1")), requests);
            assertEquals(RESPONSE_HEAD.stream().map(line -> "HTTP header> " + line).toList(), lines);
        } finally {
            stop.get(10, TimeUnit.SECONDS).run();
            serverThread.join(10_000);
        }
    }
}
