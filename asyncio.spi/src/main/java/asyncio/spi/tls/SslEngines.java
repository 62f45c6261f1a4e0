package asyncio.spi.tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Makes the {@link SSLEngine}s of TLS connections with asyncio's defaults: SNI and host name checks for clients.
 * Public so that the completion-based loops of {@code asyncio.spi.proactor} make the same engines.
 */
public final class SslEngines {
    private SslEngines() {
    }

    /** A client engine for {@code serverHostname} (SNI; checked when {@code checkHostname}), as {@code create_connection(ssl=...)} makes. */
    public static SSLEngine client(SSLContext context, String serverHostname, int port, boolean checkHostname) {
        SSLEngine engine = serverHostname == null ? context.createSSLEngine() : context.createSSLEngine(serverHostname, port);
        engine.setUseClientMode(true);
        if (checkHostname && serverHostname != null) {
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(parameters);
        }
        return engine;
    }

    /** A server engine, as {@code create_server(ssl=...)} makes. */
    public static SSLEngine server(SSLContext context) {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        return engine;
    }
}
