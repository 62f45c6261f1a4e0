package asyncio.tests;

import static asyncio.tests.LoopbackPeers.within;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import asyncio.api.Asyncio;
import asyncio.api.Future;
import asyncio.api.transports.Cipher;
import asyncio.api.transports.Connection;
import asyncio.api.transports.Server;
import asyncio.api.transports.ServerOptions;
import asyncio.api.transports.SslContexts;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * ALPN ({@code SSLContext.set_alpn_protocols}, {@code ssl_object.selected_alpn_protocol()}) and
 * session resumption: a second connection of the same client context to the same server resumes
 * the first one's session instead of verifying the server's certificate again.
 */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class})
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TlsAlpnAndResumptionTest {
    @TempDir
    static Path directory;
    static TlsCerts certs;

    @BeforeAll
    static void makeCertificates() {
        certs = TlsCerts.make(directory);
    }

    @LoopTest
    void theServersFirstProtocolTheClientOffersIsSelectedAndVisibleOnBothEnds(LoopKind kind) {
        assertEquals(new Selected("h2", "h2"), kind.run(() -> handshake(new String[] {"h2", "http/1.1"},
                new String[] {"http/1.1", "h2"})));
    }

    @LoopTest
    void withNoProtocolInCommonTheConnectionGoesOnWithoutAlpn(LoopKind kind) {
        assertEquals(new Selected(null, null), kind.run(() -> handshake(new String[] {"h2"},
                new String[] {"spdy/3"})));
        assertEquals(new Selected(null, null), kind.run(() -> handshake(new String[] {"h2"}, null)));
    }

    @Test
    void aProtocolMustBeOneTo255Bytes() {
        SSLContext context = certs.clientContext();
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> SslContexts.withAlpnProtocols(context, "h2", ""));
        assertEquals("NPN/ALPN protocols must be 1 to 255 in length", empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SslContexts.withAlpnProtocols(context, "x".repeat(256)));
    }

    @Test
    void theWrappingContextSharesTheSessionsOfTheWrappedOne() {
        SSLContext base = certs.clientContext();
        SSLContext alpn = SslContexts.withAlpnProtocols(base, "h2");
        assertSame(base.getClientSessionContext(), alpn.getClientSessionContext());
        SSLEngine engine = alpn.createSSLEngine("localhost", 443);
        assertArrayEquals(new String[] {"h2"}, engine.getSSLParameters().getApplicationProtocols());
    }

    @LoopTest
    void aSecondTls13ConnectionResumesTheSession(LoopKind kind) {
        kind.run(() -> {
            assertResumes("TLSv1.3");
            return null;
        });
    }

    @LoopTest
    void aSecondTls12ConnectionResumesTheSession(LoopKind kind) {
        kind.run(() -> {
            assertResumes("TLSv1.2");
            return null;
        });
    }

    record Selected(String client, String server) { }

    /** Connects a client offering {@code offered} (null: no ALPN) to a server accepting {@code accepted}. */
    private static Selected handshake(String[] accepted, String[] offered) {
        Future<RecordingProtocol> accepting = Asyncio.getEventLoop().createFuture();
        SSLContext serverContext = SslContexts.withAlpnProtocols(certs.serverContext(), accepted);
        SSLContext clientContext = offered == null ? certs.clientContext()
                : SslContexts.withAlpnProtocols(certs.clientContext(), offered);
        try (Server server = Net.server(() -> {
            RecordingProtocol protocol = new RecordingProtocol();
            accepting.setResult(protocol);
            return protocol;
        }, new ServerOptions().ssl(serverContext))) {
            Connection<RecordingProtocol> client = certs.connect(Net.port(server), RecordingProtocol::new, clientContext);
            RecordingProtocol serverSide = within(accepting);
            serverSide.awaitMade();
            // Data still flows both ways after the negotiation.
            client.transport().write(ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)));
            assertEquals("ping", new String(serverSide.awaitReceived(4), StandardCharsets.US_ASCII));
            Selected selected = new Selected(SslContexts.selectedAlpnProtocol(client.transport()),
                    SslContexts.selectedAlpnProtocol(serverSide.transport()));
            client.transport().close();
            client.protocol().awaitLost();
            serverSide.awaitLost();
            return selected;
        }
    }

    /**
     * Two connections in turn with one client context: the certificate is checked once (the second
     * handshake resumes and skips it), and the session is the one from before (TLS 1.2: its id).
     */
    private static void assertResumes(String version) {
        AtomicInteger verified = new AtomicInteger();
        SSLContext client = certs.clientContext(version, counting(certs.trustManagers(), verified));
        try (Server server = certs.server(EchoProtocol::new)) {
            SSLSession first = echoOnce(server, client, version);
            assertEquals(1, verified.get(), "the first handshake verifies the server's certificate");
            SSLSession second = echoOnce(server, client, version);
            assertEquals(1, verified.get(), "the second handshake resumes: no certificate to verify");
            if (version.equals("TLSv1.2")) {
                assertArrayEquals(first.getId(), second.getId());
            }
        }
    }

    /** One connection: a round trip (which also reads a TLS 1.3 session ticket), then close. */
    private static SSLSession echoOnce(Server server, SSLContext context, String version) {
        Connection<RecordingProtocol> connection = certs.connect(Net.port(server), RecordingProtocol::new, context);
        connection.transport().write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        connection.protocol().awaitReceived(3);
        assertEquals(version, ((Cipher) connection.transport().getExtraInfo("cipher")).protocol());
        SSLSession session = (SSLSession) connection.transport().getExtraInfo("ssl_session");
        connection.transport().close();
        connection.protocol().awaitLost();
        return session;
    }

    /** The first X509ExtendedTrustManager of {@code managers}, counting its server checks. */
    private static TrustManager[] counting(TrustManager[] managers, AtomicInteger checks) {
        X509ExtendedTrustManager inner = (X509ExtendedTrustManager) managers[0];
        return new TrustManager[] {new X509ExtendedTrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                    throws java.security.cert.CertificateException {
                checks.incrementAndGet();
                inner.checkServerTrusted(chain, authType, engine);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                    throws java.security.cert.CertificateException {
                checks.incrementAndGet();
                inner.checkServerTrusted(chain, authType, socket);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType)
                    throws java.security.cert.CertificateException {
                checks.incrementAndGet();
                inner.checkServerTrusted(chain, authType);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                    throws java.security.cert.CertificateException {
                inner.checkClientTrusted(chain, authType, engine);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                    throws java.security.cert.CertificateException {
                inner.checkClientTrusted(chain, authType, socket);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType)
                    throws java.security.cert.CertificateException {
                inner.checkClientTrusted(chain, authType);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return inner.getAcceptedIssuers();
            }
        }};
    }
}
