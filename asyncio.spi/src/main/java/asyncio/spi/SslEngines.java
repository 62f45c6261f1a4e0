package asyncio.spi;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/** Makes the {@link SSLEngine}s of TLS connections with asyncio's defaults: SNI and host name checks for clients. */
final class SslEngines {
    private SslEngines() {
    }

    static SSLEngine client(SSLContext context, String serverHostname, int port, boolean checkHostname) {
        SSLEngine engine = serverHostname == null ? context.createSSLEngine() : context.createSSLEngine(serverHostname, port);
        engine.setUseClientMode(true);
        if (checkHostname && serverHostname != null) {
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(parameters);
        }
        return engine;
    }

    static SSLEngine server(SSLContext context) {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        return engine;
    }
}
