package asyncio.spi;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/** A non-blocking datagram socket (UDP) as the datagram transport logic drives it. */
public interface DatagramSocket extends LoopSocket {
    /** Binds to {@code local}. */
    void bind(SocketAddress local) throws IOException;

    /** Connects to {@code remote}: sends go there, only its datagrams arrive, and ICMP errors are reported. */
    void connect(SocketAddress remote) throws IOException;

    /** The connected peer's address, or null. */
    SocketAddress remoteAddress() throws IOException;

    /**
     * Receives one datagram into {@code target} from its position (the rest of a longer datagram
     * is lost); returns its sender, or null when none is waiting.
     */
    SocketAddress receive(ByteBuffer target) throws IOException;

    /**
     * Sends {@code source} (position to limit, an empty one too) as one datagram to the connected
     * peer; true when sent, false when the kernel has no room now (nothing consumed).
     */
    boolean send(ByteBuffer source) throws IOException;

    /** Like {@link #send(ByteBuffer)}, to {@code target} on an unconnected socket. */
    boolean sendTo(ByteBuffer source, SocketAddress target) throws IOException;
}
