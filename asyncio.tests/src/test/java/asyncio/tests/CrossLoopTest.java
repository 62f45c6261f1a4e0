package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.TaskGroup;
import asyncio.api.transports.Connection;
import asyncio.api.transports.Server;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A server on one loop and its clients on another, each loop on its own thread: every pair of
 * supported loop kinds, so an epoll server serves selector clients and the reverse.
 */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class})
class CrossLoopTest {

    @ParameterizedTest(name = "[server {0}, clients {1}]")
    @MethodSource("asyncio.tests.Loops#pairs")
    void clientsOnOneLoopEchoThroughAServerOnAnother(LoopKind serverKind, LoopKind clientKind) throws Exception {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        CompletableFuture<EventLoop> serverLoop = new CompletableFuture<>();
        CompletableFuture<Void> stop = new CompletableFuture<>();
        CompletableFuture<Void> serverDone = new CompletableFuture<>();
        Thread serverThread = new Thread(() -> {
            try {
                serverKind.run(() -> {
                    EventLoop loop = Asyncio.getRunningLoop();
                    Server server = Net.server(EchoProtocol::new);
                    serverLoop.complete(loop);
                    port.complete(Net.port(server));
                    asyncio.api.Future<Void> stopped = loop.createFuture();
                    stop.thenRun(() -> loop.callSoonThreadsafe(() -> stopped.setResult(null)));
                    stopped.await();
                    Net.closeAndWait(server);
                    return null;
                });
                serverDone.complete(null);
            } catch (Throwable failed) {
                port.completeExceptionally(failed);
                serverDone.completeExceptionally(failed);
            }
        }, "server loop");
        serverThread.start();
        try {
            int serverPort = port.get(10, TimeUnit.SECONDS);
            List<byte[]> echoes = clientKind.run(() -> {
                assertNotSame(serverLoop.get(), Asyncio.getRunningLoop());
                List<asyncio.api.Task<byte[]>> clients = new ArrayList<>();
                TaskGroup.run(group -> {
                    for (int i = 0; i < 20; i++) {
                        int id = i;
                        clients.add(group.createTask(() -> {
                            Connection<RecordingProtocol> client = Asyncio.getRunningLoop()
                                    .createConnection(RecordingProtocol::new, Net.LOCALHOST, serverPort).await();
                            byte[] data = Net.patternChunk(id * 100_000L, 100_000).array();
                            client.transport().write(data);
                            client.transport().writeEof();
                            assertNull(client.protocol().awaitLost());
                            return client.protocol().received.toByteArray();
                        }));
                    }
                    return null;
                });
                List<byte[]> results = new ArrayList<>();
                for (asyncio.api.Task<byte[]> client : clients) {
                    results.add(client.result());
                }
                return results;
            });
            for (int i = 0; i < echoes.size(); i++) {
                assertArrayEquals(Net.patternChunk(i * 100_000L, 100_000).array(), echoes.get(i), "client " + i);
            }
        } finally {
            stop.complete(null);
            serverDone.get(10, TimeUnit.SECONDS);
            serverThread.join();
        }
    }
}
