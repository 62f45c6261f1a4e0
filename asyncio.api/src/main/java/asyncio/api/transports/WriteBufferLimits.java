package asyncio.api.transports;

/** A transport's flow-control marks in bytes. Mirrors the tuple of {@code get_write_buffer_limits()}. */
public record WriteBufferLimits(int low, int high) {
}
