package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.streams.StreamConnection;
import asyncio.api.streams.StreamReader;
import asyncio.api.streams.StreamWriter;
import asyncio.api.streams.Streams;
import asyncio.api.transports.AcceptedSocket;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.Connection;
import asyncio.api.transports.ConnectionOptions;
import asyncio.api.transports.Protocol;
import asyncio.api.transports.Server;
import asyncio.api.transports.ServerOptions;
import asyncio.api.transports.Transport;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS wherever asyncio has it beyond TCP connections: Unix connections and servers (protocols and
 * streams), a given Unix {@code sock}, and {@code connect_accepted_socket}.
 */
@ExtendWith({JdkNioWarmUp.class, NoDescriptorLeaks.class})
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UnixTlsTest {
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

    /** Echoes every byte back. */
    static final class Echo implements Protocol {
        private Transport transport;

        @Override
        public void connectionMade(BaseTransport made) {
            transport = (Transport) made;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            transport.write(data);
        }
    }

    /** Writes its greeting in connectionMade, as many asyncio clients do, and collects the echo. */
    static final class Greeter implements Protocol {
        final Future<String> echoed;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();

        Greeter(EventLoop loop) {
            echoed = loop.createFuture();
        }

        @Override
        public void connectionMade(BaseTransport made) {
            ((Transport) made).write(ByteBuffer.wrap("hello over tls".getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            received.writeBytes(chunk);
            if (received.size() >= "hello over tls".length() && !echoed.done()) {
                echoed.setResult(received.toString(StandardCharsets.UTF_8));
            }
        }
    }

    private static ConnectionOptions tlsClient() {
        return new ConnectionOptions().ssl(clientContext).serverHostname("localhost");
    }

    @LoopTest
    void aClientWritingInConnectionMadeWorksOverTlsOnAUnixSocket(LoopKind kind) {
        Path path = directory.resolve("protocol-" + kind + ".sock");
        kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = loop.createUnixServer(Echo::new, path, new ServerOptions().ssl(serverContext)).await();
            try {
                Greeter greeter = new Greeter(loop);
                Connection<Greeter> connection = loop.createUnixConnection(() -> greeter, path, tlsClient()).await();
                assertEquals("hello over tls", Asyncio.waitFor(greeter.echoed, 10));
                assertSame(clientContext, connection.transport().getExtraInfo("sslcontext"));
                connection.transport().close();
            } finally {
                server.close();
                server.waitClosed().await();
            }
            return null;
        });
    }

    @LoopTest
    void unixStreamsSpeakTlsBothWays(LoopKind kind) {
        Path path = directory.resolve("streams-" + kind + ".sock");
        kind.run(() -> {
            Server server = Streams.startUnixServer((reader, writer) -> {
                writer.write(new String(reader.readline(), StandardCharsets.UTF_8).toUpperCase());
                writer.close();
                writer.waitClosed().await();
            }, path, StreamReader.DEFAULT_LIMIT, new ServerOptions().ssl(serverContext)).await();
            try {
                StreamConnection connection = Streams.openUnixConnection(path, StreamReader.DEFAULT_LIMIT, tlsClient())
                        .await();
                StreamWriter writer = connection.writer();
                assertSame(clientContext, writer.getExtraInfo("sslcontext"));
                writer.write("secret line\n");
                assertEquals("SECRET LINE\n", new String(connection.reader().read(-1), StandardCharsets.UTF_8));
                writer.close();
                writer.waitClosed().await();
            } finally {
                server.close();
                server.waitClosed().await();
            }
            return null;
        });
    }

    @LoopTest
    void aUnixConnectionTakesAConnectedSockWithOrWithoutTls(LoopKind kind) {
        Path path = directory.resolve("sock-" + kind + ".sock");
        kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = loop.createUnixServer(Echo::new, path, new ServerOptions().ssl(serverContext)).await();
            try {
                SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                // A Unix connect to a listening socket completes at once (the backlog takes it).
                channel.connect(UnixDomainSocketAddress.of(path));
                Greeter greeter = new Greeter(loop);
                Connection<Greeter> connection = loop.createUnixConnection(() -> greeter, null,
                        tlsClient().sock(channel)).await();
                assertEquals("hello over tls", Asyncio.waitFor(greeter.echoed, 10));
                connection.transport().close();
            } finally {
                server.close();
                server.waitClosed().await();
            }
            return null;
        });
    }

    @LoopTest
    void unixConnectionOptionsAreCheckedAsAsyncioChecksThem(LoopKind kind) {
        Path path = directory.resolve("checks-" + kind + ".sock");
        kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            assertEquals("you have to pass server_hostname when using ssl", assertThrows(IllegalArgumentException.class,
                    () -> loop.createUnixConnection(Echo::new, path, new ConnectionOptions().ssl(clientContext)))
                    .getMessage());
            assertEquals("server_hostname is only meaningful with ssl", assertThrows(IllegalArgumentException.class,
                    () -> loop.createUnixConnection(Echo::new, path, new ConnectionOptions().serverHostname("x")))
                    .getMessage());
            assertEquals("ssl_handshake_timeout is only meaningful with ssl", assertThrows(IllegalArgumentException.class,
                    () -> loop.createUnixConnection(Echo::new, path, new ConnectionOptions().sslHandshakeTimeout(1)))
                    .getMessage());
            assertEquals("no path and sock were specified", assertThrows(IllegalArgumentException.class,
                    () -> loop.createUnixConnection(Echo::new, null, new ConnectionOptions())).getMessage());
            assertThrows(IllegalArgumentException.class, () -> loop.createUnixConnection(Echo::new, path,
                    new ConnectionOptions().localAddr(new InetSocketAddress("127.0.0.1", 0))));
            try (SocketChannel tcp = SocketChannel.open(StandardProtocolFamily.INET)) {
                assertEquals("path and sock can not be specified at the same time",
                        assertThrows(IllegalArgumentException.class, () -> loop.createUnixConnection(Echo::new, path,
                                new ConnectionOptions().sock(tcp))).getMessage());
                assertTrue(assertThrows(IllegalArgumentException.class, () -> loop.createUnixConnection(Echo::new, null,
                        new ConnectionOptions().sock(tcp))).getMessage().startsWith("A UNIX Domain Stream Socket was expected"));
                assertEquals("ssl_shutdown_timeout is only meaningful with ssl", assertThrows(IllegalArgumentException.class,
                        () -> loop.connectAcceptedSocket(Echo::new, tcp, new ServerOptions().sslShutdownTimeout(1)))
                        .getMessage());
            }
            return null;
        });
    }

    @LoopTest
    void anAcceptedSocketBecomesTheServerSideOfTls(LoopKind kind) {
        kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            try (ServerSocketChannel listening = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
                listening.bind(new InetSocketAddress("127.0.0.1", 0));
                listening.configureBlocking(false);
                int port = ((InetSocketAddress) listening.getLocalAddress()).getPort();
                Greeter greeter = new Greeter(loop);
                Future<Connection<Greeter>> client = loop.createConnection(() -> greeter, "127.0.0.1", port,
                        new ConnectionOptions().ssl(clientContext).serverHostname("localhost"));
                AcceptedSocket accepted = loop.sockAccept(listening).await();
                Connection<Echo> served = loop.connectAcceptedSocket(Echo::new, accepted.channel(),
                        new ServerOptions().ssl(serverContext)).await();
                assertSame(serverContext, served.transport().getExtraInfo("sslcontext"));
                Connection<Greeter> connection = client.await();
                assertEquals("hello over tls", Asyncio.waitFor(greeter.echoed, 10));
                connection.transport().close();
                served.transport().close();
            }
            return null;
        });
    }
}
