package asyncio.spi;

import java.io.Closeable;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.SocketOption;
import java.nio.channels.Channel;

/**
 * A non-blocking socket owned by a readiness loop, whatever it is underneath: a NIO channel for
 * the selector loop, a raw descriptor for the epoll loop. The shared transport logic sees only
 * this seam, so it is written once.
 */
public interface LoopSocket extends Closeable {
    /** Sets a socket option. */
    <T> void setOption(SocketOption<T> option, T value) throws IOException;

    /** Reads a socket option. */
    <T> T getOption(SocketOption<T> option) throws IOException;

    /** The local address, or null if unbound. */
    SocketAddress localAddress() throws IOException;

    /**
     * The peer's address, or null if not connected. A listening socket has none, hence the
     * default; connected kinds of socket override it.
     */
    default SocketAddress remoteAddress() throws IOException {
        return null;
    }

    /**
     * Whether the socket is still open, for {@code TransportSocket.isOpen()}. The default asks
     * the NIO channel when {@link #channel()} is one, and otherwise whether the local address
     * can still be read (a closed descriptor cannot answer). An implementation over raw
     * descriptors should override it with its own state, since a closed descriptor's number may
     * already belong to another socket.
     */
    default boolean isOpen() {
        if (channel() instanceof Channel nio) {
            return nio.isOpen();
        }
        try {
            localAddress();
            return true;
        } catch (IOException closed) {
            return false;
        }
    }

    /**
     * The object this socket wraps: the NIO channel, or a descriptor wrapper. The poller uses it
     * to watch the socket, and {@code TransportSocket.channel()} shows it when it is a
     * {@link Channel}.
     */
    Object channel();

    /**
     * The descriptor number while open, else -1. The default reads it from the NIO channel when
     * the JDK lets this module see it ({@link NioDescriptors}); a socket over a raw descriptor
     * overrides it.
     */
    default int fileno() {
        return isOpen() && channel() instanceof java.nio.channels.SelectableChannel nio ? NioDescriptors.fdOf(nio) : -1;
    }

    /**
     * The address family. The default reads it from the bound address, as NIO channels do not
     * tell theirs; a socket over a raw descriptor overrides it with the one it was opened with.
     */
    default ProtocolFamily family() throws IOException {
        SocketAddress local = localAddress();
        if (local instanceof UnixDomainSocketAddress) {
            return StandardProtocolFamily.UNIX;
        }
        if (local instanceof InetSocketAddress inet) {
            return inet.getAddress() instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
        }
        throw new IOException("the socket is not bound: its family is unknown");
    }

    /** Closes the socket; idempotent. */
    @Override
    void close() throws IOException;
}
