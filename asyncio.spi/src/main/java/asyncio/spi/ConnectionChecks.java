package asyncio.spi;

import asyncio.api.transports.ConnectionOptions;
import asyncio.spi.tls.TlsConnections;

/**
 * The argument checks of {@code create_connection}, made at the call before any task runs, the
 * same for every loop family. Mirrors the checks at the top of
 * {@code BaseEventLoop.create_connection}.
 */
public final class ConnectionChecks {
    private ConnectionChecks() {
    }

    /**
     * Raises for the option combinations {@code create_connection} refuses, and returns the name
     * the TLS handshake checks the server against (null without ssl): the given
     * {@code server_hostname}, else the host.
     */
    public static String check(String host, ConnectionOptions options) {
        if (options.sock() != null && host != null) {
            throw new IllegalArgumentException("host/port and sock can not be specified at the same time");
        }
        if (options.happyEyeballsDelay() != null && !(options.happyEyeballsDelay() >= 0)) {
            throw new IllegalArgumentException("happyEyeballsDelay must be >= 0, got " + options.happyEyeballsDelay());
        }
        if (options.ssl() == null) {
            if (options.serverHostname() != null) {
                throw new IllegalArgumentException("server_hostname is only meaningful with ssl");
            }
            TlsConnections.requireSsl(options.sslOnlyOptionGiven());
            return null;
        }
        String serverHostname = options.serverHostname() != null ? options.serverHostname() : host;
        if (serverHostname == null || options.serverHostname() == null && host.isEmpty()) {
            throw new IllegalArgumentException("You must set server_hostname when using ssl without a host");
        }
        return serverHostname;
    }
}
