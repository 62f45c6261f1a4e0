package asyncio.api.transports;

import asyncio.api.EventLoop;
import asyncio.api.Future;
import java.util.List;

/**
 * Listening sockets and the connections they accepted. Mirrors {@code asyncio.Server}.
 * {@code async with server:} is a try-with-resources block followed by
 * {@code server.waitClosed().await()} when the caller wants to wait for the connections too.
 */
public interface Server extends AutoCloseable {
    /**
     * Stops listening and closes the listening sockets; accepted connections stay open.
     * Mirrors {@code Server.close()}; idempotent.
     */
    @Override
    void close();

    /** Closes every accepted connection (buffered data is sent first). Mirrors {@code Server.close_clients()}. */
    void closeClients();

    /** Aborts every accepted connection. Mirrors {@code Server.abort_clients()}. */
    void abortClients();

    /** The loop this server runs on. Mirrors {@code Server.get_loop()}. */
    EventLoop getLoop();

    /** Whether the server accepts connections. Mirrors {@code Server.is_serving()}. */
    boolean isServing();

    /** Starts accepting if not yet; completes one iteration later. Mirrors {@code Server.start_serving()}. */
    Future<Void> startServing();

    /**
     * Accepts until the returned future is cancelled (cancelling the awaiting task does that),
     * then closes the server. Mirrors {@code Server.serve_forever()}.
     */
    Future<Void> serveForever();

    /**
     * Completes when the server is closed and every accepted connection has ended.
     * Mirrors {@code Server.wait_closed()}.
     */
    Future<Void> waitClosed();

    /**
     * The listening sockets, as views that allow no I/O; a new list on each call, empty once the
     * server is closed, with the same {@link TransportSocket} for a socket on every call.
     * Mirrors {@code Server.sockets}.
     */
    List<TransportSocket> sockets();
}
