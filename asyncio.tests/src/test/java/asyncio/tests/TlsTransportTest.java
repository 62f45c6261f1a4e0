package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.Cipher;
import asyncio.api.transports.Connection;
import asyncio.api.transports.Server;
import asyncio.api.transports.Transport;
import asyncio.api.transports.TransportSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** TLS between our own client and server: data, extra info, closing, aborting and flow control. */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class})
class TlsTransportTest {
    @TempDir
    static Path directory;
    static TlsCerts certs;

    @BeforeAll
    static void makeCertificates() {
        certs = TlsCerts.make(directory);
    }

    /** Records the server protocols a factory made, for the test to reach the accepted side. */
    static final class Accepting<P> {
        final List<P> made = new ArrayList<>();
        /** Completed by the first protocol made; created on the loop by whoever waits for it. */
        private asyncio.api.Future<Void> firstMade;

        java.util.function.Supplier<P> factory(java.util.function.Supplier<P> of) {
            return () -> {
                P protocol = of.get();
                made.add(protocol);
                if (firstMade != null && !firstMade.done()) {
                    firstMade.setResult(null);
                }
                return protocol;
            };
        }

        /** The first protocol the server made, awaiting it. */
        P first() {
            if (made.isEmpty()) {
                firstMade = Net.loop().createFuture();
                Asyncio.waitFor(firstMade, RecordingProtocol.PATIENCE);
            }
            return made.get(0);
        }
    }

    @LoopTest
    void aSmallMessageEchoesBack(LoopKind kind) {
        String echoed = kind.run(() -> {
            try (Server server = certs.server(EchoProtocol::new)) {
                Connection<RecordingProtocol> client = certs.connect(server, RecordingProtocol::new);
                client.transport().write("hello over TLS".getBytes(StandardCharsets.UTF_8));
                byte[] result = client.protocol().awaitReceived(14);
                client.transport().close();
                client.protocol().awaitLost();
                return new String(result, StandardCharsets.UTF_8);
            }
        });
        assertEquals("hello over TLS", echoed);
    }

    @LoopTest
    void aLargeTransferInRandomChunksEchoesIntact(LoopKind kind) {
        int size = 32 * 1024 * 1024;
        byte[] echoed = kind.run(() -> {
            try (Server server = certs.server(EchoProtocol::new)) {
                Connection<RecordingProtocol> client = certs.connect(server, RecordingProtocol::new);
                Random chunking = new Random(11);
                long offset = 0;
                while (offset < size) {
                    int length = (int) Math.min(size - offset, 1 + chunking.nextInt(256 * 1024));
                    client.transport().write(Net.patternChunk(offset, length));
                    offset += length;
                    if (client.transport().getWriteBufferSize() > 4 * 1024 * 1024) {
                        // Let the echo catch up rather than buffering the whole transfer twice.
                        client.protocol().awaitReceived((int) (offset - 2 * 1024 * 1024));
                    }
                }
                byte[] result = client.protocol().awaitReceived(size);
                client.transport().close();
                client.protocol().awaitLost();
                return result;
            }
        });
        assertEquals(size, echoed.length);
        assertArrayEquals(Net.patternBytes(size), echoed);
    }

    @LoopTest
    void tls12CanBeForcedByTheClientContext(LoopKind kind) {
        assertEquals("TLSv1.2", negotiatedProtocol(kind, certs.clientContext("TLSv1.2")));
    }

    @LoopTest
    void tls13IsNegotiatedByDefault(LoopKind kind) {
        assertEquals("TLSv1.3", negotiatedProtocol(kind, certs.clientContext("TLSv1.3")));
    }

    private static String negotiatedProtocol(LoopKind kind, SSLContext clientContext) {
        return kind.run(() -> {
            try (Server server = certs.server(EchoProtocol::new)) {
                Connection<RecordingProtocol> client = certs.connect(Net.port(server), RecordingProtocol::new, clientContext);
                client.transport().write(new byte[] {1, 2, 3});
                assertArrayEquals(new byte[] {1, 2, 3}, client.protocol().awaitReceived(3));
                SSLSession session = (SSLSession) client.transport().getExtraInfo("ssl_session");
                client.transport().close();
                client.protocol().awaitLost();
                return session.getProtocol();
            }
        });
    }

    @LoopTest
    void theServerMayWriteFirst(LoopKind kind) {
        String greeting = kind.run(() -> {
            try (Server server = certs.server(() -> new RecordingProtocol() {
                @Override
                public void connectionMade(BaseTransport transport) {
                    super.connectionMade(transport);
                    ((Transport) transport).write("220 ready\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            })) {
                Connection<RecordingProtocol> client = certs.connect(server, RecordingProtocol::new);
                byte[] result = client.protocol().awaitReceived(11);
                client.transport().close();
                client.protocol().awaitLost();
                return new String(result, StandardCharsets.US_ASCII);
            }
        });
        assertEquals("220 ready\r\n", greeting);
    }

    @LoopTest
    void extraInfoHasTheTlsKeysAndThePlainOnes(LoopKind kind) {
        kind.run(() -> {
            SSLContext context = certs.clientContext();
            try (Server server = certs.server(EchoProtocol::new)) {
                Connection<RecordingProtocol> client = certs.connect(Net.port(server), RecordingProtocol::new, context);
                Transport transport = client.transport();
                assertSame(context, transport.getExtraInfo("sslcontext"));
                assertInstanceOf(SSLEngine.class, transport.getExtraInfo("ssl_object"));
                X509Certificate peer = assertInstanceOf(X509Certificate.class, transport.getExtraInfo("peercert"));
                assertTrue(peer.getSubjectX500Principal().getName().contains("CN=localhost"));
                // asyncio's (name, protocol, secret bits) triple.
                Cipher cipher = assertInstanceOf(Cipher.class, transport.getExtraInfo("cipher"));
                assertTrue(cipher.name().startsWith("TLS_"), cipher.toString());
                SSLSession session = (SSLSession) transport.getExtraInfo("ssl_session");
                assertEquals(session.getCipherSuite(), cipher.name());
                assertEquals(session.getProtocol(), cipher.protocol());
                assertTrue(cipher.protocol().startsWith("TLSv1."), cipher.toString());
                assertTrue(cipher.bits() == 128 || cipher.bits() == 256, cipher.toString());
                assertNull(transport.getExtraInfo("compression"));
                assertInstanceOf(SSLSession.class, transport.getExtraInfo("ssl_session"));
                InetSocketAddress peerName = (InetSocketAddress) transport.getExtraInfo("peername");
                assertEquals(Net.port(server), peerName.getPort());
                assertNotNull(transport.getExtraInfo("sockname"));
                TransportSocket socket = assertInstanceOf(TransportSocket.class, transport.getExtraInfo("socket"));
                assertSame(socket, transport.getExtraInfo("socket"), "the socket under TLS, one view of it");
                assertEquals(transport.getExtraInfo("sockname"), socket.localAddress());
                assertEquals(peerName, socket.remoteAddress());
                assertEquals("fallback", transport.getExtraInfo("no such key", "fallback"));
                transport.close();
                client.protocol().awaitLost();
            }
            return null;
        });
    }

    @LoopTest
    void clientCloseSendsCloseNotifyAndTheServerSeesEofThenLost(LoopKind kind) {
        Accepting<RecordingProtocol> accepted = new Accepting<>();
        List<String> serverEvents = kind.run(() -> {
            try (Server server = certs.server(accepted.factory(RecordingProtocol::new))) {
                Connection<RecordingProtocol> client = certs.connect(server, RecordingProtocol::new);
                client.transport().write(new byte[] {7});
                client.transport().close();
                assertTrue(client.transport().isClosing());
                assertNull(client.protocol().awaitLost());
                RecordingProtocol serverSide = awaitAccepted(accepted);
                assertNull(serverSide.awaitLost());
                assertArrayEquals(new byte[] {7}, serverSide.received.toByteArray());
                return serverSide.events;
            }
        });
        assertEquals(List.of("made", "data", "eof", "lost"), serverEvents);
    }

    @LoopTest
    void writesBeforeCloseAreDeliveredBeforeCloseNotify(LoopKind kind) {
        Accepting<RecordingProtocol> accepted = new Accepting<>();
        int size = 4 * 1024 * 1024;
        byte[] received = kind.run(() -> {
            try (Server server = certs.server(accepted.factory(RecordingProtocol::new))) {
                Connection<RecordingProtocol> client = certs.connect(server, RecordingProtocol::new);
                client.transport().write(Net.patternChunk(0, size));
                client.transport().close();
                client.protocol().awaitLost();
                RecordingProtocol serverSide = awaitAccepted(accepted);
                serverSide.awaitLost();
                return serverSide.received.toByteArray();
            }
        });
        assertArrayEquals(Net.patternBytes(size), received);
    }

    @LoopTest
    void abortClosesAtOnceAndTheServerLosesTheConnection(LoopKind kind) {
        Accepting<RecordingProtocol> accepted = new Accepting<>();
        kind.run(() -> {
            try (Server server = certs.server(accepted.factory(RecordingProtocol::new))) {
                Connection<RecordingProtocol> client = certs.connect(server, RecordingProtocol::new);
                client.transport().write(new byte[] {1});
                RecordingProtocol serverSide = awaitAccepted(accepted);
                serverSide.awaitReceived(1);
                client.transport().abort();
                assertTrue(client.transport().isClosing());
                assertNull(client.protocol().awaitLost());
                serverSide.awaitLost();
                assertFalse(client.protocol().events.contains("eof"));
            }
            return null;
        });
    }

    @LoopTest
    void writeEofIsNotSupportedOverTls(LoopKind kind) {
        kind.run(() -> {
            try (Server server = certs.server(EchoProtocol::new)) {
                Connection<RecordingProtocol> client = certs.connect(server, RecordingProtocol::new);
                assertFalse(client.transport().canWriteEof());
                assertThrows(UnsupportedOperationException.class, () -> client.transport().writeEof());
                client.transport().write(new byte[] {5});
                assertArrayEquals(new byte[] {5}, client.protocol().awaitReceived(1));
                client.transport().close();
                client.protocol().awaitLost();
            }
            return null;
        });
    }

    @LoopTest
    void aPeerThatDoesNotReadMakesTheTransportPauseAndThenResumeWriting(LoopKind kind) {
        Accepting<RecordingProtocol> accepted = new Accepting<>();
        List<String> events = kind.run(() -> {
            try (Server server = certs.server(accepted.factory(RecordingProtocol::new))) {
                Connection<RecordingProtocol> client = certs.connect(server, RecordingProtocol::new);
                RecordingProtocol serverSide = awaitAccepted(accepted);
                serverSide.transport().pauseReading();
                long written = Net.fillUntilBuffered(client.transport());
                // Go over the high-water mark for certain.
                client.transport().write(ByteBuffer.allocate(256 * 1024));
                written += 256 * 1024;
                client.protocol().awaitEvent("pause");
                serverSide.transport().resumeReading();
                serverSide.awaitReceived((int) written);
                client.protocol().awaitEvent("resume");
                client.transport().close();
                client.protocol().awaitLost();
                return client.protocol().events;
            }
        });
        // The server's answering close_notify reaches eofReceived, as in asyncio.
        assertEquals(List.of("made", "pause", "resume", "eof", "lost"), events);
    }

    @LoopTest
    void pauseReadingStopsDataReceivedUntilResumed(LoopKind kind) {
        Accepting<RecordingProtocol> accepted = new Accepting<>();
        kind.run(() -> {
            try (Server server = certs.server(accepted.factory(RecordingProtocol::new))) {
                Connection<RecordingProtocol> client = certs.connect(server, RecordingProtocol::new);
                RecordingProtocol serverSide = awaitAccepted(accepted);
                client.transport().pauseReading();
                assertFalse(client.transport().isReading());
                serverSide.transport().write("while paused".getBytes(StandardCharsets.US_ASCII));
                // Nothing may arrive while paused: once the bytes are in the client's socket (the
                // server's transport holds none), the loop polls it many times without reading.
                Faults.until(() -> serverSide.transport().getWriteBufferSize() == 0, "the server's write to leave");
                Turns.pass(20);
                assertEquals(0, client.protocol().received.size());
                client.transport().resumeReading();
                assertTrue(client.transport().isReading());
                assertEquals("while paused",
                        new String(client.protocol().awaitReceived(12), StandardCharsets.US_ASCII));
                client.transport().close();
                client.protocol().awaitLost();
            }
            return null;
        });
    }

    @LoopTest
    void theServerCanCloseAndTheClientSeesEofThenLost(LoopKind kind) {
        Accepting<RecordingProtocol> accepted = new Accepting<>();
        List<String> events = kind.run(() -> {
            try (Server server = certs.server(accepted.factory(RecordingProtocol::new))) {
                Connection<RecordingProtocol> client = certs.connect(server, RecordingProtocol::new);
                RecordingProtocol serverSide = awaitAccepted(accepted);
                serverSide.transport().write("bye".getBytes(StandardCharsets.US_ASCII));
                serverSide.transport().close();
                assertNull(client.protocol().awaitLost());
                assertNull(serverSide.awaitLost());
                assertEquals("bye", client.protocol().received.toString(StandardCharsets.US_ASCII));
                return client.protocol().events;
            }
        });
        assertEquals(List.of("made", "data", "eof", "lost"), events);
    }

    @LoopTest
    void aPeerThatNeverAnswersCloseNotifyIsCutOffAfterTheShutdownTimeout(LoopKind kind) {
        Accepting<RecordingProtocol> accepted = new Accepting<>();
        kind.run(() -> {
            try (Server server = certs.server(accepted.factory(RecordingProtocol::new))) {
                Connection<RecordingProtocol> client = Net.loop().createConnection(RecordingProtocol::new, Net.LOCALHOST,
                        Net.port(server), new asyncio.api.transports.ConnectionOptions().ssl(certs.clientContext())
                                .serverHostname("localhost").sslShutdownTimeout(0.3)).await();
                RecordingProtocol serverSide = awaitAccepted(accepted);
                // The server stops reading, so it never sees the close_notify and never answers it.
                serverSide.transport().pauseReading();
                double started = Net.loop().time();
                client.transport().close();
                Throwable lost = client.protocol().awaitLost();
                double took = Net.loop().time() - started;
                assertInstanceOf(asyncio.api.TimeoutError.class, lost);
                assertTrue(took >= 0.25 && took < 5, "took " + took);
                serverSide.transport().resumeReading();
                serverSide.awaitLost();
            }
            return null;
        });
    }

    @LoopTest
    void closingWhileReadingIsPausedStillCompletesTheCloseNotifyExchange(LoopKind kind) {
        Accepting<RecordingProtocol> accepted = new Accepting<>();
        kind.run(() -> {
            try (Server server = certs.server(accepted.factory(RecordingProtocol::new))) {
                Connection<RecordingProtocol> client = Net.loop().createConnection(RecordingProtocol::new, Net.LOCALHOST,
                        Net.port(server), new asyncio.api.transports.ConnectionOptions().ssl(certs.clientContext())
                                .serverHostname("localhost").sslShutdownTimeout(3.0)).await();
                RecordingProtocol serverSide = awaitAccepted(accepted);
                client.transport().pauseReading();
                client.transport().close();
                // The server's answering close_notify must still be read: no shutdown timeout.
                assertNull(client.protocol().awaitLost());
                assertNull(serverSide.awaitLost());
            }
            return null;
        });
    }

    static <P> P awaitAccepted(Accepting<P> accepted) {
        P protocol = accepted.first();
        // The accepted side's protocol is connected once the server finished its handshake too.
        if (protocol instanceof RecordingProtocol recording) {
            recording.awaitMade();
        }
        return protocol;
    }
}
