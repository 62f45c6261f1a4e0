package asyncio.spi;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/** A non-blocking stream socket (TCP or Unix) as the transport logic drives it. */
public interface StreamSocket extends LoopSocket {
    /** Binds before connecting. */
    void bind(SocketAddress local) throws IOException;

    /** Starts connecting; true when connected at once, false when {@link #finishConnect()} must follow writability. */
    boolean connect(SocketAddress remote) throws IOException;

    /** Completes a pending connect once writable; throws the connect's error (refused, unreachable...). */
    void finishConnect() throws IOException;

    /** The peer's address, or null if not connected. */
    SocketAddress remoteAddress() throws IOException;

    /** Reads into {@code target} from its position; returns bytes read, 0 if none now, -1 at EOF. */
    int read(ByteBuffer target) throws IOException;

    /** Writes from {@code source}'s position; returns bytes written (0 if the kernel is full). */
    int write(ByteBuffer source) throws IOException;

    /** Gathering write of {@code sources[offset .. offset+length)}; returns bytes written. */
    long write(ByteBuffer[] sources, int offset, int length) throws IOException;

    /** Closes the write side (half-close). */
    void shutdownOutput() throws IOException;
}
