package asyncio.spi.proactor;

import asyncio.api.transports.DatagramEndpoint;
import asyncio.api.transports.DatagramOptions;
import asyncio.api.transports.DatagramProtocol;
import asyncio.spi.BaseEventLoop;
import asyncio.spi.Resolver;
import asyncio.spi.TransportWiring;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.util.function.Supplier;

/** Opens datagram endpoints on a completion-based loop. Mirrors {@code create_datagram_endpoint} (INET and INET6; UNIX where the loop has it). */
final class ProactorDatagrams {
    private ProactorDatagrams() {
    }

    static <P extends DatagramProtocol> DatagramEndpoint<P> open(ProactorEventLoop loop, Supplier<? extends P> factory,
                                                                 SocketAddress local, SocketAddress remote,
                                                                 DatagramOptions options) throws IOException {
        ProactorSocket socket;
        SocketAddress peer = null;
        SocketAddress defaultTarget = null;
        if (options.sock() != null) {
            socket = loop.adopt(options.sock());
            peer = socket.remoteAddress();
        } else if (isUnix(local, remote, options)) {
            socket = openUnix(loop, local, remote);
            peer = remote;
        } else {
            InetSocketAddress localResolved = resolve(loop, local, options.family());
            InetSocketAddress remoteResolved = resolve(loop, remote, options.family());
            ProtocolFamily family = options.family() != null ? options.family()
                    : localResolved != null ? Resolver.family(localResolved.getAddress())
                    : Resolver.family(remoteResolved.getAddress());
            if (family == StandardProtocolFamily.UNIX) {
                throw new UnsupportedOperationException("Unix datagram sockets are not supported by the proactor loop");
            }
            socket = loop.openDatagramSocket(family);
            try {
                if (options.reusePort()) {
                    socket.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                }
                if (options.allowBroadcast()) {
                    socket.setOption(StandardSocketOptions.SO_BROADCAST, true);
                }
                if (localResolved != null) {
                    socket.bind(localResolved);
                }
                if (remoteResolved != null && options.allowBroadcast()) {
                    // As asyncio: a broadcast socket stays unconnected; the remote address is only the default target.
                    defaultTarget = remoteResolved;
                } else if (remoteResolved != null) {
                    socket.connectDatagram(remoteResolved);
                    peer = remoteResolved;
                }
            } catch (IOException | RuntimeException failed) {
                ProactorEventLoop.closeQuietly(socket);
                throw failed;
            }
        }
        ProactorSocket wired = socket;
        SocketAddress connectedTo = peer;
        SocketAddress target = defaultTarget;
        return TransportWiring.wire(loop, wired, false, factory,
                (protocol, waiter) -> new ProactorDatagramTransport(loop, wired, protocol, connectedTo, target, waiter),
                (transport, protocol) -> new DatagramEndpoint<>(transport, protocol));
    }

    private static boolean isUnix(SocketAddress local, SocketAddress remote, DatagramOptions options) {
        return local instanceof UnixDomainSocketAddress || remote instanceof UnixDomainSocketAddress
                || options.family() == StandardProtocolFamily.UNIX;
    }

    /** A Unix datagram socket (only a loop whose port has them gets here), bound and connected as asked. */
    private static ProactorSocket openUnix(ProactorEventLoop loop, SocketAddress local, SocketAddress remote)
            throws IOException {
        if (local instanceof UnixDomainSocketAddress unix) {
            // As create_datagram_endpoint: a socket file left by an earlier process would make the bind fail.
            BaseEventLoop.removeStaleSocketFile(unix.getPath());
        }
        ProactorSocket socket = loop.openDatagramSocket(StandardProtocolFamily.UNIX);
        try {
            if (local != null) {
                socket.bind(local);
            }
            if (remote != null) {
                socket.connectDatagram(remote);
            }
        } catch (IOException | RuntimeException failed) {
            ProactorEventLoop.closeQuietly(socket);
            throw failed;
        }
        return socket;
    }

    private static InetSocketAddress resolve(ProactorEventLoop loop, SocketAddress address, ProtocolFamily family)
            throws IOException {
        if (address == null) {
            return null;
        }
        if (!(address instanceof InetSocketAddress inet)) {
            throw new UnsupportedOperationException("the proactor loop takes IP addresses only, got " + address);
        }
        if (!inet.isUnresolved()) {
            return inet;
        }
        var resolved = Resolver.resolve(loop, inet.getHostString(), inet.getPort(), family).await();
        if (resolved.isEmpty()) {
            throw new IOException("getaddrinfo() returned empty list");
        }
        return resolved.get(0);
    }
}
