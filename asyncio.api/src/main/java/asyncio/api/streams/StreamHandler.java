package asyncio.api.streams;

/**
 * What a stream server runs for each connection, as its own task. Mirrors the
 * {@code client_connected_cb} of {@code asyncio.start_server()}.
 */
@FunctionalInterface
public interface StreamHandler {
    /** Serves one connection. */
    void handle(StreamReader reader, StreamWriter writer) throws Exception;
}
