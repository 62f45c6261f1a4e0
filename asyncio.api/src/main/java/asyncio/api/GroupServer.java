package asyncio.api;

import java.net.SocketAddress;
import java.util.List;

/**
 * A listening port served by every loop of an {@link EventLoopGroup}. asyncio has no such type:
 * it is the N {@code Server}s of N processes started with {@code reuse_port=True}, or Netty's
 * server channel whose child channels are spread over an {@code EventLoopGroup}.
 */
public interface GroupServer extends AutoCloseable {
    /** The port listened on (with port 0, the one the system chose). */
    int port();

    /** The addresses listened on, one per listening socket. */
    List<SocketAddress> addresses();

    /** Whether each loop listens on a socket of its own ({@code reuse_port}), rather than taking sockets from an acceptor. */
    boolean reusePort();

    /**
     * Stops listening, closes every connection the port gave (each transport flushes what it
     * holds first, as {@code Server.close_clients()}), and returns once they are all closed. Blocks
     * the calling thread, which must not be a loop of the group. Mirrors {@code server.close()},
     * {@code server.close_clients()} and {@code await server.wait_closed()} on every loop. Idempotent.
     */
    @Override
    void close();
}
