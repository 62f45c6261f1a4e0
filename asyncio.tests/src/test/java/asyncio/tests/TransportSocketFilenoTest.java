package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.streams.StreamConnection;
import asyncio.api.streams.Streams;
import asyncio.api.transports.Server;
import asyncio.api.transports.TransportSocket;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.StandardProtocolFamily;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code TransportSocket.fileno()} and {@code .family} of servers and connections, TCP and Unix. */
@ExtendWith({JdkNioWarmUp.class, NoDescriptorLeaks.class})
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TransportSocketFilenoTest {
    @TempDir
    Path directory;

    /** The descriptor is this process's, and a socket (the tests run with sun.nio.ch exported). */
    private static void assertSocketDescriptor(TransportSocket socket) throws Exception {
        int fd = socket.fileno();
        assertTrue(fd >= 0, "fileno of " + socket + ": " + fd);
        String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        assertTrue(target.startsWith("socket:"), target);
    }

    @LoopTest
    void tcpServerAndConnectionSocketsShowTheirDescriptorAndFamily(LoopKind kind) {
        kind.run(() -> {
            Server server = Streams.startServer((reader, writer) -> writer.close(), StreamsTest.HOST, 0).await();
            TransportSocket listening = server.sockets().get(0);
            assertSocketDescriptor(listening);
            assertEquals(StandardProtocolFamily.INET, listening.family());
            StreamConnection connection = Streams.openConnection(StreamsTest.HOST, StreamsTest.port(server)).await();
            TransportSocket client = (TransportSocket) connection.writer().getExtraInfo("socket");
            assertSocketDescriptor(client);
            assertNotEquals(listening.fileno(), client.fileno());
            assertEquals(StandardProtocolFamily.INET, client.family());
            connection.reader().read(-1);
            connection.writer().close();
            connection.writer().waitClosed().await();
            assertFalse(client.isOpen());
            assertEquals(-1, client.fileno(), "as Python's fileno() of a closed socket");
            assertThrows(ClosedChannelException.class, client::family);
            server.close();
            server.waitClosed().await();
            assertEquals(-1, listening.fileno());
            return null;
        });
    }

    @LoopTest
    void unixSocketsAreOfTheUnixFamily(LoopKind kind) {
        Path path = directory.resolve("family-" + kind + ".sock");
        kind.run(() -> {
            Server server = Streams.startUnixServer((reader, writer) -> writer.close(), path).await();
            try {
                TransportSocket listening = server.sockets().get(0);
                assertSocketDescriptor(listening);
                assertEquals(StandardProtocolFamily.UNIX, listening.family());
                StreamConnection connection = Streams.openUnixConnection(path).await();
                TransportSocket client = (TransportSocket) connection.writer().getExtraInfo("socket");
                assertEquals(StandardProtocolFamily.UNIX, client.family());
                assertSocketDescriptor(client);
                connection.reader().read(-1);
                connection.writer().close();
                connection.writer().waitClosed().await();
            } finally {
                server.close();
                server.waitClosed().await();
            }
            Asyncio.sleep(0);
            return null;
        });
    }
}
