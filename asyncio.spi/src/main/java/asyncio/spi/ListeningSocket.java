package asyncio.spi;

import java.io.IOException;
import java.net.SocketAddress;

/** A non-blocking listening socket as the server logic drives it. */
public interface ListeningSocket extends LoopSocket {
    /** Binds to {@code local} and listens with {@code backlog}. */
    void bind(SocketAddress local, int backlog) throws IOException;

    /** Accepts one pending connection (non-blocking), or returns null when none is waiting. */
    StreamSocket accept() throws IOException;
}
