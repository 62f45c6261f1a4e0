package asyncio.spi.readiness;

import asyncio.api.Future;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.Connection;
import asyncio.api.transports.ConnectionOptions;
import asyncio.spi.AddressConnector;
import asyncio.spi.BaseEventLoop;
import asyncio.spi.StreamSocket;
import asyncio.spi.TransportWiring;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.util.function.Supplier;

/**
 * Opens client connections on a readiness loop: {@link AddressConnector} picks the address and
 * this class supplies how a socket connects (waiting for writability), then wires the winning
 * socket to a protocol. Mirrors
 * {@code BaseEventLoop.create_connection} with {@code _connect_sock} and {@code staggered_race}.
 */
final class Connector {
    private Connector() {
    }

    static <P extends BaseProtocol> Connection<P> connect(ReadinessEventLoop loop, Supplier<? extends P> factory, String host,
                                                          int port, ConnectionOptions options) throws IOException {
        if (host == null && options.sock() == null) {
            throw new IllegalArgumentException("host and port was not specified and no sock specified");
        }
        StreamSocket socket = options.sock() != null ? loop.adopt(options.sock())
                : AddressConnector.connect(loop, host, port, options, new AddressConnector.Dialer<>() {
                    @Override
                    public StreamSocket open(ProtocolFamily family) throws IOException {
                        return loop.openStreamSocket(family);
                    }

                    @Override
                    public void bind(StreamSocket socket, SocketAddress local) throws IOException {
                        socket.bind(local);
                    }

                    @Override
                    public void connect(StreamSocket socket, InetSocketAddress address) throws IOException {
                        sockConnect(loop, socket, address);
                    }
                });
        return wire(loop, socket, factory, true);
    }

    /** Wraps a connected socket in a transport with a new protocol; returns once {@code connectionMade} ran. */
    static <P extends BaseProtocol> Connection<P> wire(ReadinessEventLoop loop, StreamSocket socket, Supplier<? extends P> factory,
                                                       boolean tcp) throws IOException {
        return TransportWiring.wire(loop, socket, tcp, factory,
                (protocol, waiter) -> new SocketTransport(loop, socket, protocol, waiter, null), Connection::new);
    }

    /** Connects without blocking the loop. Mirrors {@code loop.sock_connect()}. */
    static void sockConnect(ReadinessEventLoop loop, StreamSocket socket, SocketAddress address) throws IOException {
        try {
            if (socket.connect(address)) {
                return;
            }
        } catch (IOException failed) {
            throw AddressConnector.connectFailed(address, failed);
        }
        Future<Void> connected = loop.createFuture();
        Readiness readiness = loop.register(socket, new ReadyListener() {
            @Override
            public void readable() {
            }

            @Override
            public void writable() {
                if (connected.done()) {
                    return;
                }
                try {
                    socket.finishConnect();
                    connected.setResult(null);
                } catch (IOException failed) {
                    connected.setException(AddressConnector.connectFailed(address, failed));
                }
            }
        });
        readiness.watchWrite(true);
        try {
            connected.await();
        } finally {
            readiness.watchWrite(false);
        }
    }
}
