package asyncio.api.transports;

import java.nio.ByteBuffer;

/**
 * A stream protocol that lends the transport its own buffer, so data is read straight into it
 * with no copy. Mirrors {@code asyncio.BufferedProtocol}.
 */
public interface BufferedProtocol extends BaseProtocol {
    /**
     * Returns the buffer to read into (from its position to its limit; it must have room).
     * {@code sizeHint} is a wish, -1 for none. Mirrors {@code get_buffer()}.
     */
    ByteBuffer getBuffer(int sizeHint);

    /** {@code bytes} bytes were written into the buffer, starting at its position. Mirrors {@code buffer_updated()}. */
    void bufferUpdated(int bytes);

    /** The peer closed its write side; return true to keep the transport open. Mirrors {@code eof_received()}. */
    default boolean eofReceived() {
        return false;
    }
}
