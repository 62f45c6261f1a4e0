package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.Task;
import asyncio.api.transports.Connection;
import asyncio.api.transports.Server;
import asyncio.api.transports.ServerOptions;
import asyncio.api.transports.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLProtocolException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection against a TLS server: a client that stops after its ClientHello (or sends
 * nothing) is dropped when {@code ssl_handshake_timeout} passes and its descriptor is freed; a
 * client that sends random bytes instead of TLS fails only its own connection, and so does one
 * that sends bytes that cannot start a TLS record after its handshake, at once. None is a
 * report for the exception handler (asyncio treats both as connection errors, logged in debug
 * mode only), and the server serves proper TLS clients throughout.
 */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class, BackToStart.class})
class TlsHostilePeerTest {
    /** Long enough for a proper handshake on a loaded machine once TLS is warm, short for a test. */
    private static final double HANDSHAKE_TIMEOUT = 2.0;

    @TempDir
    static Path directory;
    static TlsCerts certs;

    @BeforeAll
    static void makeCertificates() {
        certs = TlsCerts.make(directory);
    }

    /** The first flight of a real TLS client to {@code server}: its ClientHello record. */
    private static byte[] clientHello(Server server) throws SSLException {
        SSLEngine engine = certs.clientContext().createSSLEngine("localhost", Net.port(server));
        engine.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        byte[] hello = new byte[out.flip().remaining()];
        out.get(hello);
        return hello;
    }

    /** A TLS client that echoes one message through the server and stays connected. */
    private static Connection<RecordingProtocol> echoOnce(Server server, Connection<RecordingProtocol> client, int size) {
        byte[] message = Net.patternBytes(size);
        int before = client.protocol().received.size();
        client.transport().write(message);
        byte[] all = client.protocol().awaitReceived(before + size);
        byte[] echoed = java.util.Arrays.copyOfRange(all, before, before + size);
        assertArrayEquals(message, echoed);
        return client;
    }

    /**
     * One handshake without a timeout: the JVM's first one loads and initialises the TLS code
     * and may take longer than a tight handshake timeout on a loaded machine.
     */
    private static void warmUpTls() {
        try (Server server = certs.server(EchoProtocol::new)) {
            Connection<RecordingProtocol> client = certs.connect(server, RecordingProtocol::new);
            echoOnce(server, client, 10);
            close(client);
            Net.closeAndWait(server);
        }
    }

    private static void close(Connection<RecordingProtocol> client) {
        client.transport().close();
        client.protocol().awaitLost();
    }

    @LoopTest
    void aClientThatStallsInTheHandshakeIsDroppedWhenTheHandshakeTimeoutPasses(LoopKind kind) {
        kind.run(() -> {
            ErrorRecorder errors = ErrorRecorder.on(Asyncio.getRunningLoop());
            warmUpTls();
            ServerOptions options = new ServerOptions().ssl(certs.serverContext()).sslHandshakeTimeout(HANDSHAKE_TIMEOUT);
            try (Server server = Net.server(EchoProtocol::new, options)) {
                // Connected first: the timeout applies to its handshake too.
                Connection<RecordingProtocol> good = certs.connect(server, RecordingProtocol::new);
                double started = Net.loop().time();
                try (SocketChannel afterHello = Net.plainClient(server); SocketChannel silent = Net.plainClient(server)) {
                    Net.writeAll(afterHello, clientHello(server));
                    // The proper client is served while the two stall.
                    echoOnce(server, good, 1000);

                    byte[] answer = Net.readUntilClosed(afterHello);
                    assertTrue(answer.length > 0, "the server answered the ClientHello");
                    assertEquals(0, Net.readUntilClosed(silent).length);
                    double took = Net.loop().time() - started;
                    assertTrue(took >= HANDSHAKE_TIMEOUT * 0.8, "dropped after " + took + " s");
                }
                echoOnce(server, good, 1000);
                Connection<RecordingProtocol> later = certs.connect(server, RecordingProtocol::new);
                echoOnce(server, later, 1000);
                close(later);
                close(good);
                assertEquals(List.of(), errors.contexts());
                Net.closeAndWait(server);
            }
            BackToStart.assertOnlyThisTaskLeft();
            return null;
        });
    }

    @LoopTest
    void randomBytesInsteadOfTlsFailOnlyTheirOwnConnections(LoopKind kind) {
        kind.run(() -> {
            ErrorRecorder errors = ErrorRecorder.on(Asyncio.getRunningLoop());
            Random random = new Random(18);
            try (Server server = certs.server(EchoProtocol::new)) {
                Connection<RecordingProtocol> good = certs.connect(server, RecordingProtocol::new);
                echoOnce(server, good, 100);
                List<SocketChannel> hostile = new ArrayList<>();
                for (int i = 0; i < 24; i++) {
                    byte[] garbage = new byte[1 + random.nextInt(i % 2 == 0 ? 8 : 4096)];
                    random.nextBytes(garbage);
                    if (i % 3 == 0) {
                        // Some garbage looks like the start of a handshake record, to get further in.
                        garbage[0] = 0x16;
                        if (garbage.length > 2) {
                            garbage[1] = 0x03;
                            garbage[2] = 0x03;
                        }
                    }
                    SocketChannel peer = Net.plainClient(server);
                    Net.writeAll(peer, garbage);
                    shutdownOutput(peer);
                    hostile.add(peer);
                }
                try {
                    for (SocketChannel peer : hostile) {
                        Net.readUntilClosed(peer);
                    }
                } finally {
                    for (SocketChannel peer : hostile) {
                        peer.close();
                    }
                }
                // The connection made before the garbage, and a new one, still work.
                echoOnce(server, good, 20_000);
                Connection<RecordingProtocol> later = certs.connect(server, RecordingProtocol::new);
                echoOnce(server, later, 20_000);
                close(good);
                close(later);
                // A clean report or none: asyncio reports only errors that are not connection errors.
                for (Map<String, Object> context : errors.contexts()) {
                    assertTrue(context.get("exception") instanceof Throwable && context.get("message") != null,
                            context.toString());
                    assertTrue(String.valueOf(context.get("message")).startsWith("SSL handshake failed"), context.toString());
                }
                Net.closeAndWait(server);
            }
            BackToStart.assertOnlyThisTaskLeft();
            return null;
        });
    }

    @LoopTest
    void aTlsWriterToAPeerThatNeverReadsIsPausedAndItsBufferStaysBounded(LoopKind kind) {
        long total = 32L * 1024 * 1024;
        kind.run(() -> {
            ErrorRecorder errors = ErrorRecorder.on(Asyncio.getRunningLoop());
            Accepted<StalledReaderTest.PoliteWriter> accepted =
                    new Accepted<>(() -> new StalledReaderTest.PoliteWriter(total));
            try (Server server = certs.server(accepted)) {
                Connection<RecordingProtocol> peer = certs.connect(server, NotReading::new);
                StalledReaderTest.PoliteWriter writer = accepted.first();
                writer.awaitEvent("pause");
                long writtenWhenStalled = Faults.untilStalled(() -> writer.written, 50, "the writer");
                assertTrue(writtenWhenStalled < total, "everything was taken: nothing was paused");
                Turns.pass(200);
                assertEquals(writtenWhenStalled, writer.written);
                int high = writer.transport().getWriteBufferLimits().high();
                // Encrypted, a chunk grows by its records' headers and tags.
                int bound = high + 2 * StalledReaderTest.CHUNK;
                assertTrue(writer.largestBuffer <= bound, "buffered " + writer.largestBuffer + " with a high mark of " + high);
                assertTrue(writer.transport().getWriteBufferSize() <= bound);

                peer.transport().resumeReading();
                byte[] all = peer.protocol().awaitReceived((int) total);
                assertEquals(total, all.length);
                for (int i = 0; i < all.length; i++) {
                    if (all[i] != Net.pattern(i)) {
                        throw new AssertionError("byte " + i + " differs");
                    }
                }
                assertTrue(writer.largestBuffer <= bound, "buffered " + writer.largestBuffer);
                writer.awaitLost();
                peer.protocol().awaitLost();
                assertEquals(List.of(), errors.contexts());
                Net.closeAndWait(server);
            }
            BackToStart.assertOnlyThisTaskLeft();
            return null;
        });
    }

    @LoopTest
    void aTlsConnectCancelledDuringItsHandshakeClosesItsSocket(LoopKind kind) {
        kind.run(() -> {
            ErrorRecorder errors = ErrorRecorder.on(Asyncio.getRunningLoop());
            // A server that takes the ClientHello and never answers it.
            Accepted<RecordingProtocol> accepted = new Accepted<>(RecordingProtocol::new);
            try (Server server = Net.server(accepted)) {
                Task<Connection<RecordingProtocol>> connecting = Asyncio.createTask(
                        () -> certs.connect(server, RecordingProtocol::new));
                RecordingProtocol serverSide = accepted.first();
                serverSide.awaitReceived(1);
                connecting.cancel();
                assertThrows(CancelledError.class,
                        () -> Asyncio.waitFor(connecting, RecordingProtocol.PATIENCE));
                // The client's socket is closed: the server sees its connection end.
                serverSide.awaitLost();
                assertEquals(List.of(), errors.contexts());
                Net.closeAndWait(server);
            }
            BackToStart.assertOnlyThisTaskLeft();
            return null;
        });
    }

    /**
     * Bytes that cannot start a TLS record, each sent once a connection's handshake is done: the
     * JDK's engine alone takes each for the start of a record as long as its header (or what came
     * of it) announces, and waits for the rest as long as the peer keeps the connection open.
     */
    private static List<byte[]> notRecords(String protocol) {
        // One byte more than a record of the protocol may carry, and less than the engine's buffer.
        int overflow = ("TLSv1.3".equals(protocol) ? 16384 + 256 : 16384 + 2048) + 1;
        return List.of(
                "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                new byte[] {(byte) 0x80},
                new byte[] {0x17, 0x41, 0x41, 0x10, 0x00},
                new byte[] {0x17, 0x03, 0x07},
                new byte[] {0x17, 0x03, 0x03, (byte) (overflow >> 8), (byte) overflow});
    }

    @LoopTest
    void bytesThatCannotBeATlsRecordAfterTheHandshakeFailTheConnectionAtOnce(LoopKind kind) {
        kind.run(() -> {
            ErrorRecorder errors = ErrorRecorder.on(Asyncio.getRunningLoop());
            Accepted<RecordingProtocol> accepted = new Accepted<>(RecordingProtocol::new);
            try (Server server = certs.server(accepted)) {
                for (int i = 0; i < notRecords(null).size(); i++) {
                    // TLS over a plain connection the test keeps, to write bytes beside the TLS layer.
                    Connection<RecordingProtocol> client = Net.connect(server, RecordingProtocol::new);
                    Transport tls = Net.loop().startTls(client.transport(), client.protocol(), certs.clientContext(),
                            false, "localhost", RecordingProtocol.PATIENCE, RecordingProtocol.PATIENCE).await();
                    String protocol = ((SSLEngine) tls.getExtraInfo("ssl_object")).getSession().getProtocol();
                    byte[] garbage = notRecords(protocol).get(i);
                    RecordingProtocol serverSide = accepted.get(i);
                    tls.write(new byte[] {'h', 'i'});
                    serverSide.awaitReceived(2);

                    client.transport().write(garbage);
                    // The peer stays connected: only the server's own check can end the connection.
                    Throwable lost = serverSide.awaitLost();
                    assertInstanceOf(SSLProtocolException.class, lost, "after " + Arrays.toString(garbage));
                    client.protocol().awaitLost();
                }
                assertEquals(List.of(), errors.contexts());
                Net.closeAndWait(server);
            }
            BackToStart.assertOnlyThisTaskLeft();
            return null;
        });
    }

    private static void shutdownOutput(SocketChannel peer) {
        try {
            peer.shutdownOutput();
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }
}
