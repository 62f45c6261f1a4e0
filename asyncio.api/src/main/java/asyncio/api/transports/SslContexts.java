package asyncio.api.transports;

import java.nio.charset.StandardCharsets;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * ALPN, which Python sets on its {@code ssl.SSLContext} and reads from the connection's
 * {@code ssl_object}, where JSSE keeps it on each {@link SSLEngine}. The context this class makes
 * is an ordinary {@link SSLContext}: it goes wherever asyncio takes {@code ssl=} (servers,
 * connections, {@code start_tls}) and shares its sessions with the context it wraps, so session
 * resumption works as with that context.
 */
public final class SslContexts {
    private SslContexts() {
    }

    /**
     * A context whose connections offer (client side) or accept (server side) these application
     * protocols, most preferred first. Mirrors {@code SSLContext.set_alpn_protocols(protocols)}:
     * a server picks the first of its own protocols the client offers, and when the two have none
     * in common the handshake goes on without ALPN (JSSE alone would fail it). Each protocol is 1
     * to 255 bytes of UTF-8.
     */
    public static SSLContext withAlpnProtocols(SSLContext context, String... protocols) {
        java.util.Objects.requireNonNull(context, "context");
        String[] copy = protocols.clone();
        for (String protocol : copy) {
            int length = protocol.getBytes(StandardCharsets.UTF_8).length;
            if (length < 1 || length > 255) {
                throw new IllegalArgumentException("NPN/ALPN protocols must be 1 to 255 in length");
            }
        }
        return new SSLContext(new AlpnContext(context, copy), context.getProvider(), context.getProtocol()) { };
    }

    /**
     * The application protocol the handshake of this TLS transport chose, or null when none was
     * (or the transport is not TLS). Mirrors {@code transport.get_extra_info('ssl_object').selected_alpn_protocol()}.
     */
    public static String selectedAlpnProtocol(BaseTransport transport) {
        if (!(transport.getExtraInfo("ssl_object") instanceof SSLEngine engine)) {
            return null;
        }
        String protocol = engine.getApplicationProtocol();
        return protocol == null || protocol.isEmpty() ? null : protocol;
    }

    /** Delegates everything to the wrapped context and configures each engine it makes. */
    private static final class AlpnContext extends SSLContextSpi {
        private final SSLContext base;
        private final String[] protocols;

        AlpnContext(SSLContext base, String[] protocols) {
            this.base = base;
            this.protocols = protocols;
        }

        @Override
        protected void engineInit(KeyManager[] keys, TrustManager[] trust, SecureRandom random)
                throws KeyManagementException {
            throw new KeyManagementException("this context wraps one that is already initialised");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return base.getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return base.getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return configure(base.createSSLEngine());
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return configure(base.createSSLEngine(host, port));
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return base.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return base.getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            SSLParameters parameters = base.getDefaultSSLParameters();
            parameters.setApplicationProtocols(protocols);
            return parameters;
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return base.getSupportedSSLParameters();
        }

        private SSLEngine configure(SSLEngine engine) {
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setApplicationProtocols(protocols);
            engine.setSSLParameters(parameters);
            // Server side: OpenSSL's choice (ours first, no ALPN when nothing matches); unused by clients.
            engine.setHandshakeApplicationProtocolSelector((ignored, offered) -> select(offered));
            return engine;
        }

        private String select(List<String> offered) {
            for (String protocol : protocols) {
                if (offered.contains(protocol)) {
                    return protocol;
                }
            }
            return "";
        }
    }
}
