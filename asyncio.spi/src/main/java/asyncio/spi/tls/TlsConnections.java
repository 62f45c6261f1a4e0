package asyncio.spi.tls;

import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.Connection;
import asyncio.api.transports.ConnectionOptions;
import asyncio.api.transports.Transport;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * What every loop family (readiness and completion) does alike when it opens a connection: TLS in
 * front of the application's protocol, and asyncio's argument checks for the TLS and Unix
 * options. Mirrors the loop-independent part of {@code base_events._create_connection_transport}
 * and {@code unix_events.create_unix_connection}.
 */
public final class TlsConnections {
    private TlsConnections() {
    }

    /** Opens the plain connection under a TLS one, with the TLS protocol the factory makes. */
    @FunctionalInterface
    public interface PlainConnect {
        Connection<SslProtocol> start(Supplier<SslProtocol> tls) throws IOException;
    }

    /**
     * Connects through {@code connect} with a TLS protocol in front of the application's, and
     * returns once the handshake is done (the application's {@code connectionMade} ran then).
     * Call it from a task of {@code loop}: it awaits the handshake.
     */
    public static <P extends BaseProtocol> Connection<P> overTls(EventLoop loop, Supplier<? extends P> protocolFactory,
                                                                 SSLContext context, Supplier<SSLEngine> engines,
                                                                 double handshakeTimeout, double shutdownTimeout,
                                                                 PlainConnect connect) throws IOException {
        List<P> app = new ArrayList<>(1);
        Future<Void> handshake = loop.createFuture();
        Supplier<SslProtocol> tls = () -> {
            app.add(protocolFactory.get());
            return new SslProtocol(loop, context, engines.get(), app.get(0), handshake, true, handshakeTimeout,
                    shutdownTimeout);
        };
        Connection<SslProtocol> plain = connect.start(tls);
        awaitHandshake(plain.transport(), handshake);
        return new Connection<>(plain.protocol().appTransport(), app.get(0));
    }

    private static void awaitHandshake(Transport plain, Future<Void> handshake) {
        try {
            handshake.await();
        } catch (RuntimeException | Error failed) {
            plain.close();
            throw failed;
        }
    }

    /** asyncio refuses TLS-only options (named by {@code given}) on a plain connection or server. */
    public static void requireSsl(String given) {
        if (given != null) {
            throw new IllegalArgumentException(given + " is only meaningful with ssl");
        }
    }

    /** The checks {@code create_unix_connection} makes before it opens anything. */
    public static void checkUnixConnection(Path path, ConnectionOptions options) {
        if (options.localAddr() != null || options.family() != null || options.happyEyeballsDelay() != null) {
            throw new IllegalArgumentException(
                    "local_addr, family and happy_eyeballs_delay are TCP options: create_unix_connection takes none");
        }
        if (options.ssl() != null) {
            if (options.serverHostname() == null) {
                throw new IllegalArgumentException("you have to pass server_hostname when using ssl");
            }
        } else {
            if (options.serverHostname() != null) {
                throw new IllegalArgumentException("server_hostname is only meaningful with ssl");
            }
            requireSsl(options.sslOnlyOptionGiven());
        }
        if (path != null && options.sock() != null) {
            throw new IllegalArgumentException("path and sock can not be specified at the same time");
        }
        if (path == null && options.sock() == null) {
            throw new IllegalArgumentException("no path and sock were specified");
        }
        if (options.sock() != null) {
            requireUnixStream(options.sock());
        }
    }

    /** A client channel is a Unix stream socket when one of its addresses is a Unix one. */
    public static void requireUnixStream(SocketChannel sock) {
        boolean unix;
        try {
            unix = sock.getLocalAddress() instanceof UnixDomainSocketAddress
                    || sock.getRemoteAddress() instanceof UnixDomainSocketAddress;
        } catch (IOException closed) {
            unix = false;
        }
        if (!unix) {
            throw new IllegalArgumentException("A UNIX Domain Stream Socket was expected, got " + sock);
        }
    }
}
