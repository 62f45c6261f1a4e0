package asyncio.spi.readiness;

import asyncio.api.transports.DatagramEndpoint;
import asyncio.api.transports.DatagramOptions;
import asyncio.api.transports.DatagramProtocol;
import asyncio.spi.BaseEventLoop;
import asyncio.spi.DatagramSocket;
import asyncio.spi.Resolver;
import asyncio.spi.TransportWiring;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Opens datagram endpoints: resolves the local and remote addresses, pairs them by address
 * family, and tries each family until a socket binds and connects. Mirrors
 * {@code BaseEventLoop.create_datagram_endpoint}.
 */
final class DatagramConnector {
    private DatagramConnector() {
    }

    /** Whether the endpoint asked for is a Unix datagram one (an address or the family says so). */
    static boolean isUnix(SocketAddress local, SocketAddress remote, DatagramOptions options) {
        return local instanceof UnixDomainSocketAddress || remote instanceof UnixDomainSocketAddress
                || options.family() == StandardProtocolFamily.UNIX;
    }

    static <P extends DatagramProtocol> DatagramEndpoint<P> open(ReadinessEventLoop loop, Supplier<? extends P> factory,
                                                                 SocketAddress local, SocketAddress remote,
                                                                 DatagramOptions options) throws IOException {
        DatagramSocket socket;
        SocketAddress connectedTo = null;
        if (options.sock() != null) {
            socket = loop.adopt(options.sock());
        } else {
            Opened opened = openSomewhere(loop, local, remote, options);
            socket = opened.socket();
            connectedTo = opened.remote();
        }
        return wire(loop, socket, factory, connectedTo);
    }

    private record Opened(DatagramSocket socket, SocketAddress remote) {
    }

    private static <P extends DatagramProtocol> DatagramEndpoint<P> wire(ReadinessEventLoop loop, DatagramSocket socket,
                                                                         Supplier<? extends P> factory,
                                                                         SocketAddress remote) throws IOException {
        return TransportWiring.wire(loop, socket, false, factory,
                (protocol, waiter) -> new DatagramSocketTransport(loop, socket, protocol, remote, waiter),
                (transport, protocol) -> new DatagramEndpoint<>(transport, protocol));
    }

    private static Opened openSomewhere(ReadinessEventLoop loop, SocketAddress local, SocketAddress remote,
                                        DatagramOptions options) throws IOException {
        if (local instanceof UnixDomainSocketAddress unix) {
            // As create_datagram_endpoint: a socket file left by an earlier process would make the bind fail.
            ReadinessEventLoop.removeStaleSocketFile(unix.getPath());
        }
        List<IOException> errors = new ArrayList<>();
        for (Map.Entry<ProtocolFamily, SocketAddress[]> pair : pairByFamily(loop, local, remote, options).entrySet()) {
            SocketAddress[] addresses = pair.getValue();
            DatagramSocket socket = null;
            try {
                socket = loop.openDatagramSocket(pair.getKey());
                configure(socket, options);
                if (local != null) {
                    socket.bind(addresses[0]);
                }
                if (remote != null && !options.allowBroadcast()) {
                    socket.connect(addresses[1]);
                }
                return new Opened(socket, remote == null ? null : addresses[1]);
            } catch (IOException failed) {
                ReadinessEventLoop.closeQuietly(socket);
                errors.add(failed);
            } catch (RuntimeException | Error failed) {
                ReadinessEventLoop.closeQuietly(socket);
                throw failed;
            }
        }
        throw errors.get(0);
    }

    private static void configure(DatagramSocket socket, DatagramOptions options) throws IOException {
        if (options.reusePort()) {
            try {
                socket.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            } catch (UnsupportedOperationException unsupported) {
                throw new IllegalArgumentException("reuse_port not supported by socket module", unsupported);
            }
        }
        if (options.allowBroadcast()) {
            socket.setOption(StandardSocketOptions.SO_BROADCAST, true);
        }
    }

    /**
     * The (local, remote) address pair of each family both given addresses resolve to, in the
     * order families first appear. As in asyncio, a later address of a family replaces an earlier one.
     */
    private static Map<ProtocolFamily, SocketAddress[]> pairByFamily(ReadinessEventLoop loop, SocketAddress local,
                                                                     SocketAddress remote, DatagramOptions options)
            throws IOException {
        Map<ProtocolFamily, SocketAddress[]> pairs = new LinkedHashMap<>();
        if (local == null && remote == null) {
            pairs.put(options.family(), new SocketAddress[2]);
            return pairs;
        }
        if (isUnix(local, remote, options)) {
            pairs.put(StandardProtocolFamily.UNIX, new SocketAddress[] {local, remote});
            return pairs;
        }
        SocketAddress[] given = {local, remote};
        for (int index = 0; index < 2; index++) {
            if (given[index] == null) {
                continue;
            }
            List<InetSocketAddress> resolved = resolve(loop, given[index], options.family());
            if (resolved.isEmpty()) {
                throw new IOException("getaddrinfo() returned empty list");
            }
            for (InetSocketAddress address : resolved) {
                pairs.computeIfAbsent(Resolver.family(address.getAddress()), key -> new SocketAddress[2])[index] = address;
            }
        }
        pairs.values().removeIf(pair -> local != null && pair[0] == null || remote != null && pair[1] == null);
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("can not get address information");
        }
        return pairs;
    }

    private static List<InetSocketAddress> resolve(ReadinessEventLoop loop, SocketAddress address, ProtocolFamily family) {
        if (!(address instanceof InetSocketAddress inet)) {
            throw new IllegalArgumentException("an InetSocketAddress or a UnixDomainSocketAddress is expected, got " + address);
        }
        if (!inet.isUnresolved()) {
            return family == null || Resolver.family(inet.getAddress()) == family ? List.of(inet) : List.of();
        }
        return Resolver.resolve(loop, inet.getHostString(), inet.getPort(), family).await();
    }
}
