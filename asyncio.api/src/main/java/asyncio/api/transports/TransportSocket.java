package asyncio.api.transports;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.Channel;
import java.util.Optional;

/**
 * A view of the socket under a transport or a server, for inspecting and tuning it: what
 * {@code getExtraInfo("socket")} and {@link Server#sockets()} return. Mirrors
 * {@code asyncio.trsock.TransportSocket}.
 *
 * <p>It offers no I/O and no close on purpose: the transport owns the socket, and a read, write
 * or close behind its back would break its state (buffered data, flow control, the protocol's
 * callbacks). Every loop returns this view, whether its sockets are NIO channels (the selector
 * loop) or raw descriptors (the epoll loop). Once the owner has closed the socket,
 * {@link #isOpen()} is false and the other methods that touch the socket throw
 * {@link java.nio.channels.ClosedChannelException}. Use it on the loop's thread.
 */
public interface TransportSocket {
    /** The address the socket is bound to. Mirrors {@code getsockname()}. */
    SocketAddress localAddress() throws IOException;

    /**
     * The connected peer's address, or null when the socket is not connected (a listening socket,
     * an unconnected datagram socket). Mirrors {@code getpeername()}, which raises instead of
     * returning null.
     */
    SocketAddress remoteAddress() throws IOException;

    /**
     * Reads a socket option, e.g. {@code StandardSocketOptions.TCP_NODELAY}.
     * Mirrors {@code getsockopt()}.
     *
     * @throws UnsupportedOperationException if the socket does not support the option
     */
    <T> T getOption(SocketOption<T> option) throws IOException;

    /**
     * Sets a socket option, e.g. {@code StandardSocketOptions.SO_KEEPALIVE}.
     * Mirrors {@code setsockopt()}.
     *
     * @throws UnsupportedOperationException if the socket does not support the option
     * @throws IllegalArgumentException if the value is not valid for the option
     */
    <T> void setOption(SocketOption<T> option, T value) throws IOException;

    /**
     * The socket's file descriptor, or -1 once it is closed. On the epoll loop it is always known;
     * on the selector loop it is read from NIO's internal {@code sun.nio.ch.SelChImpl}, which needs
     * {@code --add-exports java.base/sun.nio.ch=asyncio.spi} ({@code =ALL-UNNAMED} on the class path);
     * without that flag it is -1 there too. For inspection (e.g. {@code /proc/self/fd}), not I/O.
     * Mirrors {@code TransportSocket.fileno()}.
     */
    int fileno();

    /**
     * The address family: {@code StandardProtocolFamily.INET}, {@code INET6} or {@code UNIX}.
     * Mirrors {@code TransportSocket.family}. The epoll loop reports the family the socket was
     * opened with; the selector loop reads it from the bound address, as NIO tells no other way
     * (a dual-stack IPv6 socket bound to an IPv4-mapped address then reads as INET).
     */
    ProtocolFamily family() throws IOException;

    /** Whether the socket is still open: false once its transport or server has closed it. */
    boolean isOpen();

    /**
     * The NIO channel under the socket when the loop has one: always on the selector loop (for
     * a socket the application handed in with {@code sock}, that very channel); empty on a loop
     * over raw descriptors that keeps no channel. The channel still belongs to the transport: use it
     * to inspect, not for I/O or closing. Java's stand-in for {@code fileno()}, which NIO does
     * not expose.
     */
    Optional<Channel> channel();
}
