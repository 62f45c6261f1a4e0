package asyncio.spi;

import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.Task;
import asyncio.api.internal.Unclaimed;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.Connection;
import asyncio.api.transports.DatagramEndpoint;
import asyncio.api.transports.DatagramProtocol;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Wires an open socket to a new protocol through a transport and waits until
 * {@code connection_made} ran, as every {@code create_*} call does last whatever the loop: if
 * the transport cannot be made the socket is closed, and if the wait fails the transport is.
 * Mirrors the tail of {@code _create_connection_transport} and of
 * {@code create_datagram_endpoint}.
 */
public final class TransportWiring {
    private TransportWiring() {
    }

    /** Makes the transport for the protocol over the socket; it completes {@code waiter} once connection_made ran. */
    @FunctionalInterface
    public interface Make<P, T> {
        T make(P protocol, Future<Void> waiter) throws IOException;
    }

    /**
     * Returns {@code result(transport, protocol)} once the transport told the protocol it is
     * connected. With {@code tcpNoDelay}, an IP socket gets {@code TCP_NODELAY} first (a given
     * channel may be a Unix socket even where TCP is expected: Nagle is TCP's only).
     */
    public static <P, T extends BaseTransport, R> R wire(EventLoop loop, LoopSocket socket, boolean tcpNoDelay,
                                                         Supplier<? extends P> factory, Make<P, T> make,
                                                         BiFunction<T, P, R> result) throws IOException {
        Future<Void> waiter = loop.createFuture();
        T transport;
        P protocol;
        try {
            if (tcpNoDelay && socket.localAddress() instanceof InetSocketAddress) {
                socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            protocol = factory.get();
            transport = make.make(protocol, waiter);
        } catch (IOException | RuntimeException | Error failed) {
            BaseEventLoop.closeQuietly(socket);
            throw failed;
        }
        try {
            waiter.await();
        } catch (RuntimeException | Error failed) {
            transport.close();
            throw failed;
        }
        return result.apply(transport, protocol);
    }

    /**
     * {@code task} (a create_connection of any form), closing the transport it made if the task
     * awaiting it is cancelled before it takes the connection (see {@link Unclaimed}).
     */
    public static <P extends BaseProtocol> Task<Connection<P>> closedIfDropped(Task<Connection<P>> task) {
        return Unclaimed.closeIfDropped(task, connection -> connection.transport().close());
    }

    /** {@code task} (a create_datagram_endpoint), closing its transport if nobody takes the endpoint. */
    public static <P extends DatagramProtocol> Task<DatagramEndpoint<P>> endpointClosedIfDropped(
            Task<DatagramEndpoint<P>> task) {
        return Unclaimed.closeIfDropped(task, endpoint -> endpoint.transport().close());
    }
}
