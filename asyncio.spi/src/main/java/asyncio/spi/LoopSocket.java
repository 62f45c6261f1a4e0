package asyncio.spi;

import java.io.Closeable;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;

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

    /** What {@code getExtraInfo("socket")} returns: the channel, or a descriptor wrapper. */
    Object channel();

    /** Closes the socket; idempotent. */
    @Override
    void close() throws IOException;
}
