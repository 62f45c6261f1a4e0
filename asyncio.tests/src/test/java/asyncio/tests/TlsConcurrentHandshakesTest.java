package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import asyncio.api.Asyncio;
import asyncio.api.Task;
import asyncio.api.streams.StreamConnection;
import asyncio.api.streams.StreamReader;
import asyncio.api.streams.StreamWriter;
import asyncio.api.streams.Streams;
import asyncio.api.transports.ConnectionOptions;
import asyncio.api.transports.Server;
import asyncio.api.transports.ServerOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many TLS handshakes in flight at once on one loop, both ends on it: every engine's handshake
 * (delegated tasks included) runs on the loop thread, so they only take turns; none may stall.
 */
@ExtendWith({JdkNioWarmUp.class, NoDescriptorLeaks.class})
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TlsConcurrentHandshakesTest {
    private static final String HOST = "127.0.0.1";
    private static final int CLIENTS = 100;
    /** Generous for a loaded CI machine: the 100 exchanges take 2-7 s here (2 shared cores). */
    private static final double BOUND_SECONDS = 60;

    @TempDir
    static Path directory;
    private static SSLContext serverContext;
    private static SSLContext clientContext;

    @BeforeAll
    static void makeContexts() {
        TlsCerts certs = TlsCerts.make(directory);
        serverContext = certs.serverContext();
        clientContext = certs.clientContext();
    }

    @LoopTest
    void aHundredConcurrentTlsClientsEachFinishAShortExchange(LoopKind kind) {
        List<String> echoes = kind.run(() -> {
            Server server = Streams.startServer((reader, writer) -> {
                writer.write(reader.readline());
                writer.drain();
                writer.close();
                writer.waitClosed().await();
            }, HOST, 0, StreamReader.DEFAULT_LIMIT, new ServerOptions().ssl(serverContext)).await();
            try {
                int port = StreamsTest.port(server);
                List<Task<String>> clients = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    String greeting = "client " + i + "\n";
                    clients.add(Asyncio.createTask(() -> {
                        StreamConnection connection = Streams.openConnection(HOST, port, StreamReader.DEFAULT_LIMIT,
                                new ConnectionOptions().ssl(clientContext)).await();
                        StreamWriter writer = connection.writer();
                        writer.write(greeting);
                        String echoed = new String(connection.reader().readline(), StandardCharsets.UTF_8);
                        writer.close();
                        writer.waitClosed().await();
                        return echoed;
                    }));
                }
                return Asyncio.waitFor(Asyncio.gatherAll(clients), BOUND_SECONDS);
            } finally {
                server.close();
                server.waitClosed().await();
            }
        });
        for (int i = 0; i < CLIENTS; i++) {
            assertEquals("client " + i + "\n", echoes.get(i));
        }
    }
}
