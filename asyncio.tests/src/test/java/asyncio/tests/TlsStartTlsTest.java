package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;

import asyncio.api.Future;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.Connection;
import asyncio.api.transports.Protocol;
import asyncio.api.transports.Server;
import asyncio.api.transports.Transport;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** loop.startTls: a plaintext exchange, then TLS on the same connection, as SMTP's STARTTLS does. */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class})
class TlsStartTlsTest {
    @TempDir
    static Path directory;
    static TlsCerts certs;

    @BeforeAll
    static void makeCertificates() {
        certs = TlsCerts.make(directory);
    }

    /**
     * Greets in plaintext, answers "STARTTLS" with "GO", upgrades, then answers each TLS line with
     * "ECHO " and the line. What arrives before the upgraded transport is known waits in a buffer.
     */
    static final class StartTlsServer implements Protocol {
        final Future<Throwable> lost = Net.loop().createFuture();
        final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        Transport plain;
        Transport tls;
        boolean upgrading;

        @Override
        public void connectionMade(BaseTransport transport) {
            plain = (Transport) transport;
            plain.write("220 hello\n".getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            pending.write(bytes, 0, bytes.length);
            if (!upgrading) {
                if (pending.toString(StandardCharsets.US_ASCII).equals("STARTTLS\n")) {
                    pending.reset();
                    upgrading = true;
                    plain.write("GO\n".getBytes(StandardCharsets.US_ASCII));
                    Future<Transport> upgraded = Net.loop().startTls(plain, this, certs.serverContext(), true, null, 5, 5);
                    upgraded.addDoneCallback(done -> {
                        if (done.exception() == null) {
                            tls = done.result();
                            answer();
                        }
                    });
                }
                return;
            }
            answer();
        }

        private void answer() {
            if (tls == null || pending.size() == 0) {
                return;
            }
            tls.write(("ECHO " + pending.toString(StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII));
            pending.reset();
        }

        @Override
        public void connectionLost(Throwable error) {
            lost.setResult(error);
        }
    }

    @LoopTest
    void aPlaintextConnectionUpgradesToTlsOnBothSides(LoopKind kind) {
        String answer = kind.run(() -> {
            StartTlsServer[] serverSide = new StartTlsServer[1];
            try (Server server = Net.server(() -> serverSide[0] = new StartTlsServer())) {
                Connection<RecordingProtocol> client = Net.connect(server, RecordingProtocol::new);
                assertEquals("220 hello\n", new String(client.protocol().awaitReceived(10), StandardCharsets.US_ASCII));
                client.transport().write("STARTTLS\n".getBytes(StandardCharsets.US_ASCII));
                client.protocol().awaitReceived(13);
                client.protocol().received.reset();
                Transport tls = Net.loop().startTls(client.transport(), client.protocol(), certs.clientContext(), false,
                        "localhost", 5, 5).await();
                assertNotSame(client.transport(), tls);
                assertInstanceOf(X509Certificate.class, tls.getExtraInfo("peercert"));
                assertEquals(client.protocol(), tls.getProtocol());
                tls.write("secret\n".getBytes(StandardCharsets.US_ASCII));
                String echoed = new String(client.protocol().awaitReceived(12), StandardCharsets.US_ASCII);
                tls.close();
                assertNull(client.protocol().awaitLost());
                assertNull(serverSide[0].lost.await());
                // connectionMade is not called again by the upgrade.
                assertEquals(1, client.protocol().count("made"));
                return echoed;
            }
        });
        assertEquals("ECHO secret\n", answer);
    }

    @LoopTest
    void aFailedUpgradeFailsTheFutureAndClosesTheConnection(LoopKind kind) {
        kind.run(() -> {
            RecordingProtocol[] serverSide = new RecordingProtocol[1];
            try (Server server = Net.server(() -> serverSide[0] = new RecordingProtocol())) {
                Connection<RecordingProtocol> client = Net.connect(server, RecordingProtocol::new);
                Future<Transport> upgrade = Net.loop().startTls(client.transport(), client.protocol(),
                        certs.clientContext(), false, "localhost", 0.2, 5);
                org.junit.jupiter.api.Assertions.assertThrows(asyncio.api.TimeoutError.class, upgrade::await);
                serverSide[0].awaitLost();
                org.junit.jupiter.api.Assertions.assertTrue(client.transport().isClosing());
            }
            return null;
        });
    }
}
