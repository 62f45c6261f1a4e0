package asyncio.api.streams;

/** The reader and writer of one stream connection. Mirrors the {@code (reader, writer)} tuple of {@code open_connection()}. */
public record StreamConnection(StreamReader reader, StreamWriter writer) {
}
