package asyncio.spi.proactor;

import asyncio.api.CancelledError;
import asyncio.api.Future;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.Connection;
import asyncio.api.transports.ConnectionOptions;
import asyncio.spi.AddressConnector;
import asyncio.spi.TransportWiring;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.util.function.Supplier;

/**
 * Opens client connections on a completion-based loop: {@link AddressConnector} picks the address
 * and this class supplies how a socket connects (a connect submitted to the port), then wires the
 * first socket that connects. Mirrors
 * {@code BaseEventLoop.create_connection} over {@code IocpProactor.connect}.
 */
final class ProactorConnector {
    private ProactorConnector() {
    }

    static <P extends BaseProtocol> Connection<P> connect(ProactorEventLoop loop, Supplier<? extends P> factory,
                                                          String host, int port, ConnectionOptions options)
            throws IOException {
        if (host == null && options.sock() == null) {
            throw new IllegalArgumentException("host and port was not specified and no sock specified");
        }
        ProactorSocket socket = options.sock() != null ? loop.adopt(options.sock())
                : AddressConnector.connect(loop, host, port, options, new AddressConnector.Dialer<>() {
                    @Override
                    public ProactorSocket open(ProtocolFamily family) throws IOException {
                        return loop.openStreamSocket(family);
                    }

                    @Override
                    public void bind(ProactorSocket socket, SocketAddress local) throws IOException {
                        socket.bind(local);
                    }

                    @Override
                    public void connect(ProactorSocket socket, InetSocketAddress address) throws IOException {
                        ProactorConnector.connect(loop, socket, address);
                    }
                });
        return wire(loop, socket, factory, true);
    }

    /** Wraps a connected socket in a transport with a new protocol; returns once {@code connectionMade} ran. */
    static <P extends BaseProtocol> Connection<P> wire(ProactorEventLoop loop, ProactorSocket socket,
                                                       Supplier<? extends P> factory, boolean tcp) throws IOException {
        return TransportWiring.wire(loop, socket, tcp, factory,
                (protocol, waiter) -> new ProactorSocketTransport(loop, socket, protocol, waiter, null), Connection::new);
    }

    /**
     * Connects through the port and waits for the completion. A cancelled wait cancels the
     * operation; the caller closes the socket, which aborts it if the cancel came too late.
     */
    static void connect(ProactorEventLoop loop, ProactorSocket socket, SocketAddress address) throws IOException {
        Future<Void> connected = loop.createFuture();
        Operation operation = loop.port().connect(socket, address, new Completion<>() {
            @Override
            public void completed(Void result) {
                if (!connected.done()) {
                    connected.setResult(null);
                }
            }

            @Override
            public void failed(IOException error) {
                if (!connected.done()) {
                    connected.setException(AddressConnector.connectFailed(address, error));
                }
            }

            @Override
            public void cancelled() {
                if (!connected.done()) {
                    connected.cancel();
                }
            }
        });
        try {
            connected.await();
        } catch (CancelledError cancelled) {
            operation.cancel();
            throw cancelled;
        }
    }
}
