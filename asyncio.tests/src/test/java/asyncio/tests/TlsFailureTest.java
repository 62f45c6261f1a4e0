package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.TimeoutError;
import asyncio.api.transports.ConnectionOptions;
import asyncio.api.transports.Server;
import asyncio.api.transports.ServerOptions;
import java.io.IOException;
import java.nio.file.Path;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** TLS connections that cannot be made fail the connect future clearly and leave no socket behind. */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class})
class TlsFailureTest {
    @TempDir
    static Path directory;
    static TlsCerts certs;

    @BeforeAll
    static void makeCertificates() {
        certs = TlsCerts.make(directory);
    }

    @LoopTest
    void aHostnameMismatchFailsTheConnectWithAnSslHandshakeException(LoopKind kind) {
        Throwable failure = kind.run(() -> {
            try (Server server = certs.server(EchoProtocol::new)) {
                ConnectionOptions options = new ConnectionOptions().ssl(certs.clientContext())
                        .serverHostname("not-this-host.example");
                Throwable thrown = assertThrows(Throwable.class, () -> Net.loop()
                        .createConnection(RecordingProtocol::new, Net.LOCALHOST, Net.port(server), options).await());
                Net.closeAndWait(server);
                return thrown;
            }
        });
        assertInstanceOf(SSLHandshakeException.class, failure);
    }

    @LoopTest
    void anUntrustedCertificateFailsTheConnectWithAnSslHandshakeException(LoopKind kind) {
        Throwable failure = kind.run(() -> {
            try (Server server = Net.server(EchoProtocol::new, new ServerOptions().ssl(certs.strangerContext()))) {
                Throwable thrown = assertThrows(Throwable.class,
                        () -> certs.connect(server, RecordingProtocol::new));
                Net.closeAndWait(server);
                return thrown;
            }
        });
        assertInstanceOf(SSLHandshakeException.class, failure);
    }

    @LoopTest
    void hostnameCheckingCanBeTurnedOff(LoopKind kind) {
        kind.run(() -> {
            try (Server server = certs.server(EchoProtocol::new)) {
                ConnectionOptions options = new ConnectionOptions().ssl(certs.clientContext())
                        .serverHostname("not-this-host.example").checkHostname(false);
                var client = Net.loop().createConnection(RecordingProtocol::new, Net.LOCALHOST, Net.port(server), options)
                        .await();
                client.transport().write(new byte[] {9});
                client.protocol().awaitReceived(1);
                client.transport().close();
                client.protocol().awaitLost();
            }
            return null;
        });
    }

    @LoopTest
    void aServerThatNeverAnswersTheHandshakeTimesOutAndTheSocketIsClosed(LoopKind kind) {
        kind.run(() -> {
            RecordingProtocol[] silent = new RecordingProtocol[1];
            try (Server server = Net.server(() -> silent[0] = new RecordingProtocol())) {
                ConnectionOptions options = new ConnectionOptions().ssl(certs.clientContext())
                        .serverHostname("localhost").sslHandshakeTimeout(0.2);
                double started = Net.loop().time();
                assertThrows(TimeoutError.class, () -> Net.loop()
                        .createConnection(RecordingProtocol::new, Net.LOCALHOST, Net.port(server), options).await());
                double took = Net.loop().time() - started;
                assertTrue(took >= 0.15 && took < 5, "took " + took);
                // The silent server got the ClientHello, then the socket closed under it.
                silent[0].awaitLost();
                assertTrue(silent[0].received.size() > 0, "no ClientHello arrived");
            }
            return null;
        });
    }

    @LoopTest
    void aServerThatHangsUpMidHandshakeFailsTheConnect(LoopKind kind) {
        Throwable failure = kind.run(() -> {
            try (Server server = Net.server(() -> new RecordingProtocol() {
                @Override
                public void dataReceived(java.nio.ByteBuffer data) {
                    super.dataReceived(data);
                    transport().close();
                }
            })) {
                ConnectionOptions options = new ConnectionOptions().ssl(certs.clientContext()).serverHostname("localhost");
                return assertThrows(Throwable.class, () -> Net.loop()
                        .createConnection(RecordingProtocol::new, Net.LOCALHOST, Net.port(server), options).await());
            }
        });
        assertTrue(failure instanceof IOException, failure.toString());
    }

    @LoopTest
    void aPlainClientAtATlsServerDoesNotBreakTheServer(LoopKind kind) {
        kind.run(() -> {
            try (Server server = certs.server(EchoProtocol::new)) {
                var plain = Net.connect(server, RecordingProtocol::new);
                plain.transport().write("GET / HTTP/1.0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                plain.protocol().awaitLost();
                // The server still serves TLS clients afterwards.
                var client = certs.connect(server, RecordingProtocol::new);
                client.transport().write(new byte[] {3});
                client.protocol().awaitReceived(1);
                client.transport().close();
                client.protocol().awaitLost();
            }
            return null;
        });
    }

    @LoopTest
    void sslWithoutAHostNeedsAServerHostname(LoopKind kind) {
        kind.run(() -> {
            assertThrows(IllegalArgumentException.class, () -> Net.loop().createConnection(RecordingProtocol::new, null, 0,
                    new ConnectionOptions().ssl(certs.clientContext())));
            assertThrows(IllegalArgumentException.class, () -> Net.loop().createConnection(RecordingProtocol::new,
                    Net.LOCALHOST, 1, new ConnectionOptions().serverHostname("localhost")));
            return null;
        });
    }
}
