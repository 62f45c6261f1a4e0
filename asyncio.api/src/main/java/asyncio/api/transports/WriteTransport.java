package asyncio.api.transports;

import java.nio.ByteBuffer;
import java.util.List;

/** The writing side of a transport. Mirrors {@code asyncio.WriteTransport}. */
public interface WriteTransport extends BaseTransport {
    /**
     * Sends the bytes between {@code data}'s position and limit and consumes them (the position
     * moves to the limit). Never blocks: what the kernel does not take now is copied to the
     * transport's buffer, so the caller may reuse {@code data} at once. Mirrors {@code write()}.
     */
    void write(ByteBuffer data);

    /** Sends {@code data}. */
    default void write(byte[] data) {
        write(ByteBuffer.wrap(data));
    }

    /** Sends several buffers with one gathering write where possible. Mirrors {@code writelines()}. */
    void writelines(List<ByteBuffer> data);

    /** Closes the write side after buffered data is sent (half-close). Mirrors {@code write_eof()}. */
    void writeEof();

    /** Whether {@link #writeEof()} is supported. Mirrors {@code can_write_eof()}. */
    boolean canWriteEof();

    /** Closes at once, dropping buffered data; {@code connectionLost(null)} follows. Mirrors {@code abort()}. */
    void abort();

    /** Bytes waiting in the write buffer. Mirrors {@code get_write_buffer_size()}. */
    int getWriteBufferSize();

    /** The low and high marks. Mirrors {@code get_write_buffer_limits()}. */
    WriteBufferLimits getWriteBufferLimits();

    /**
     * Sets the marks; null picks asyncio's defaults (high 64 KiB, or 4 x low; low = high / 4).
     * Requires {@code high >= low >= 0}. Mirrors {@code set_write_buffer_limits()}.
     */
    void setWriteBufferLimits(Integer high, Integer low);
}
