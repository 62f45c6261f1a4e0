package asyncio.spi.proactor;

import asyncio.spi.LoopSocket;
import java.io.IOException;
import java.net.SocketAddress;

/**
 * An OS socket as a completion-based loop holds it: what can be done at once (bind, listen,
 * options, half-close, close); reads, writes, accepts and connects go through the
 * {@link CompletionPort}. Closing it aborts its pending operations, whose completions still arrive.
 */
public interface ProactorSocket extends LoopSocket {
    /** Binds to {@code local}. */
    void bind(SocketAddress local) throws IOException;

    /** Binds to {@code local} and listens with {@code backlog}: a socket for {@link CompletionPort#accept}. */
    void listen(SocketAddress local, int backlog) throws IOException;

    /** Sets the peer of a datagram socket at once (no handshake): sends go there, only its datagrams arrive. */
    void connectDatagram(SocketAddress remote) throws IOException;

    /** Closes the write side of a stream socket (half-close). */
    void shutdownOutput() throws IOException;
}
