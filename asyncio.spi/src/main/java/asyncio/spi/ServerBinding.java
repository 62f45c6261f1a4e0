package asyncio.spi;

import asyncio.api.EventLoop;
import asyncio.api.transports.ServerOptions;
import asyncio.spi.tls.TlsConnections;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The loop-independent half of {@code create_server}: its argument checks, and binding one
 * listening socket per address the hosts resolve to, with the reuse options. Each loop family
 * supplies a {@link Listen} for opening a listening socket and binding it. Mirrors the host
 * handling and socket setup of {@code BaseEventLoop.create_server}.
 */
public final class ServerBinding {
    private ServerBinding() {
    }

    /** What a loop does to one listening socket: open it for a family, bind it and listen. */
    public interface Listen<S extends LoopSocket> {
        /** Opens a new listening socket of the family (null: the platform's default). */
        S open(ProtocolFamily family) throws IOException;

        /** Binds the socket to the address and starts listening with the backlog. */
        void listen(S socket, InetSocketAddress address, int backlog) throws IOException;
    }

    /** Raises at the call for the option combinations {@code create_server} refuses. */
    public static void check(List<String> hosts, ServerOptions options) {
        if (options.sock() != null && hosts != null) {
            throw new IllegalArgumentException("host/port and sock can not be specified at the same time");
        }
        if (options.ssl() == null) {
            TlsConnections.requireSsl(options.sslOnlyOptionGiven());
        }
    }

    /**
     * Opens and binds a listening socket for every address the hosts resolve to (one wildcard
     * socket when no host is given); closes all of them if any fails.
     */
    public static <S extends LoopSocket> List<S> bindAll(EventLoop loop, List<String> hosts, int port,
                                                         ServerOptions options, Listen<S> listen) throws IOException {
        List<InetSocketAddress> addresses = new ArrayList<>();
        boolean wildcard = hosts == null || hosts.isEmpty() || hosts.stream().anyMatch(h -> h == null || h.isEmpty());
        if (wildcard) {
            // One dual-stack socket serves IPv4 and IPv6 where the platform allows it.
            addresses.add(new InetSocketAddress(port));
        } else {
            Set<InetSocketAddress> unique = new LinkedHashSet<>();
            for (String host : hosts) {
                unique.addAll(Resolver.resolve(loop, host, port, options.family()).await());
            }
            addresses.addAll(unique);
        }
        List<S> sockets = new ArrayList<>();
        boolean completed = false;
        try {
            for (InetSocketAddress address : addresses) {
                ProtocolFamily family = wildcard ? options.family() : Resolver.family(address.getAddress());
                S socket = listen.open(family);
                sockets.add(socket);
                configure(socket, options);
                try {
                    listen.listen(socket, address, options.backlog());
                } catch (IOException failed) {
                    throw AddressConnector.bindError(address, failed);
                }
            }
            if (sockets.isEmpty()) {
                throw new IOException("could not bind on any address out of " + addresses);
            }
            completed = true;
            return sockets;
        } finally {
            if (!completed) {
                sockets.forEach(BaseEventLoop::closeQuietly);
            }
        }
    }

    private static void configure(LoopSocket socket, ServerOptions options) throws IOException {
        // Set either way: the JDK turns SO_REUSEADDR on by itself for server channels.
        socket.setOption(StandardSocketOptions.SO_REUSEADDR, options.reuseAddress());
        if (options.reusePort()) {
            try {
                socket.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            } catch (UnsupportedOperationException unsupported) {
                throw new IllegalArgumentException("reuse_port not supported by socket module", unsupported);
            }
        }
    }
}
