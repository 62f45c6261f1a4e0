package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.transports.Connection;
import asyncio.api.transports.Server;
import asyncio.api.transports.ServerOptions;
import asyncio.api.transports.TransportSocket;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Unix domain stream sockets: the same transports over a path, and the socket file's life. */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class})
class UnixSocketTransportTest {
    @TempDir
    Path directory;

    private static Server unixServer(Path path, ServerOptions options) {
        return Asyncio.getRunningLoop().createUnixServer(EchoProtocol::new, path, options).await();
    }

    private static Connection<RecordingProtocol> unixClient(Path path) {
        return Asyncio.getRunningLoop().createUnixConnection(RecordingProtocol::new, path).await();
    }

    @LoopTest
    void aUnixServerEchoesAndNamesItsPath(LoopKind kind) {
        Path path = directory.resolve("echo.sock");
        kind.run(() -> {
            try (Server server = unixServer(path, new ServerOptions())) {
                assertTrue(Files.exists(path));
                assertEquals(UnixDomainSocketAddress.of(path), server.sockets().get(0).localAddress());
                assertNull(server.sockets().get(0).remoteAddress(), "a listening socket has no peer");
                Connection<RecordingProtocol> client = unixClient(path);
                assertEquals(UnixDomainSocketAddress.of(path), client.transport().getExtraInfo("peername"));
                TransportSocket socket = assertInstanceOf(TransportSocket.class, client.transport().getExtraInfo("socket"));
                assertEquals(UnixDomainSocketAddress.of(path), socket.remoteAddress());

                byte[] data = Net.patternBytes(300_000);
                client.transport().write(data);
                assertArrayEquals(data, client.protocol().awaitReceived(data.length));
                client.transport().writeEof();
                assertNull(client.protocol().awaitLost(), "the echo side closes after our EOF");
                assertEquals(List.of("eof", "lost"), client.protocol().events.subList(client.protocol().events.size() - 2,
                        client.protocol().events.size()));
                Net.closeAndWait(server);
            }
            return null;
        });
        assertFalse(Files.exists(path), "closing the server removes its socket file");
    }

    @LoopTest
    void cleanupSocketFalseKeepsTheSocketFile(LoopKind kind) throws IOException {
        Path path = directory.resolve("kept.sock");
        kind.run(() -> {
            try (Server server = unixServer(path, new ServerOptions().cleanupSocket(false))) {
                Net.closeAndWait(server);
            }
            return null;
        });
        assertTrue(Files.exists(path));
        Files.delete(path);
    }

    @LoopTest
    void aStaleSocketFileIsReplaced(LoopKind kind) throws IOException {
        Path path = directory.resolve("stale.sock");
        try (ServerSocketChannel previous = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            previous.bind(UnixDomainSocketAddress.of(path));
        }
        assertTrue(Files.exists(path), "a closed listener leaves its file behind");
        kind.run(() -> {
            try (Server server = unixServer(path, new ServerOptions())) {
                Connection<RecordingProtocol> client = unixClient(path);
                client.transport().write(new byte[] {3});
                assertArrayEquals(new byte[] {3}, client.protocol().awaitReceived(1));
                client.transport().close();
                client.protocol().awaitLost();
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void aRegularFileInTheWayIsNeitherRemovedNorUsed(LoopKind kind) throws IOException {
        Path path = directory.resolve("regular");
        Files.writeString(path, "precious");
        kind.run(() -> {
            Exception failure = assertThrows(Exception.class, () -> unixServer(path, new ServerOptions()));
            assertInstanceOf(IOException.class, failure);
            assertTrue(failure.getMessage().startsWith("error while attempting to bind on address "), failure.getMessage());
            return null;
        });
        assertEquals("precious", Files.readString(path));
    }

    @LoopTest
    void connectingToAMissingPathFails(LoopKind kind) {
        Path path = directory.resolve("missing.sock");
        kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Exception failure = assertThrows(Exception.class,
                    () -> loop.createUnixConnection(RecordingProtocol::new, path).await());
            assertInstanceOf(IOException.class, failure);
            return null;
        });
    }

    @LoopTest
    void aPeerThatHalfClosesCanStillBeAnswered(LoopKind kind) {
        Path path = directory.resolve("half.sock");
        kind.run(() -> {
            Accepted<RecordingProtocol> accepted = new Accepted<>(() -> {
                RecordingProtocol protocol = new RecordingProtocol();
                protocol.keepOpenOnEof = true;
                return protocol;
            });
            try (Server server = Asyncio.getRunningLoop().createUnixServer(accepted, path, new ServerOptions()).await()) {
                Connection<RecordingProtocol> client = unixClient(path);
                client.transport().write("question".getBytes(StandardCharsets.US_ASCII));
                client.transport().writeEof();
                RecordingProtocol serverSide = accepted.first();
                serverSide.awaitEof();
                serverSide.transport().write("answer".getBytes(StandardCharsets.US_ASCII));
                serverSide.transport().close();
                assertEquals("answer", new String(client.protocol().awaitReceived(6), StandardCharsets.US_ASCII));
                assertNull(client.protocol().awaitLost());
                assertEquals("question", serverSide.received.toString(StandardCharsets.US_ASCII));
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void connectAcceptedSocketAndAGivenServerChannelAcceptUnixSockets(LoopKind kind) {
        Path path = directory.resolve("given.sock");
        kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            listener.bind(UnixDomainSocketAddress.of(path));
            // createServer (not the Unix variant) with a Unix channel, as asyncio allows.
            try (Server server = loop.createServer(EchoProtocol::new, (List<String>) null, 0,
                    new ServerOptions().sock(listener)).await()) {
                SocketChannel plain = SocketChannel.open(UnixDomainSocketAddress.of(path));
                Connection<RecordingProtocol> client = loop.createConnection(RecordingProtocol::new, null, 0,
                        new asyncio.api.transports.ConnectionOptions().sock(plain)).await();
                client.transport().write(new byte[] {1, 2, 3});
                assertArrayEquals(new byte[] {1, 2, 3}, client.protocol().awaitReceived(3));
                client.transport().close();
                client.protocol().awaitLost();
                Net.closeAndWait(server);
            }
            Files.deleteIfExists(path);

            try (ServerSocketChannel plainListener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                plainListener.bind(UnixDomainSocketAddress.of(path));
                Connection<RecordingProtocol> client = loop.createUnixConnection(RecordingProtocol::new, path).await();
                SocketChannel accepted = plainListener.accept();
                Connection<EchoProtocol> served = loop.connectAcceptedSocket(EchoProtocol::new, accepted).await();
                client.transport().write(new byte[] {4});
                assertArrayEquals(new byte[] {4}, client.protocol().awaitReceived(1));
                client.transport().close();
                client.protocol().awaitLost();
                Asyncio.waitFor(served.protocol().lost, RecordingProtocol.PATIENCE);
            } finally {
                Files.deleteIfExists(path);
            }
            return null;
        });
    }
    @LoopTest
    void aUnixServerNeedsExactlyOneOfPathAndSock(LoopKind kind) throws IOException {
        Path path = directory.resolve("both.sock");
        try (EventLoop loop = kind.newLoop();
             ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(directory.resolve("given.sock")));

            IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                    () -> loop.createUnixServer(EchoProtocol::new, path, new ServerOptions().sock(listener)));
            assertEquals("path and sock can not be specified at the same time", both.getMessage());
            IllegalArgumentException neither = assertThrows(IllegalArgumentException.class,
                    () -> loop.createUnixServer(EchoProtocol::new, null, new ServerOptions()));
            assertEquals("path was not specified, and no sock specified", neither.getMessage());
            assertFalse(Files.exists(path), "nothing was bound");
        }
    }

    @LoopTest
    void aUnixServerRefusesATcpSocket(LoopKind kind) throws IOException {
        try (EventLoop loop = kind.newLoop(); ServerSocketChannel tcp = ServerSocketChannel.open()) {
            tcp.bind(LoopbackPeers.loopback(0));

            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> loop.createUnixServer(EchoProtocol::new, null, new ServerOptions().sock(tcp)));
            assertTrue(refused.getMessage().startsWith("A UNIX Domain Stream Socket was expected, got "),
                    refused.getMessage());
        }
    }
}
