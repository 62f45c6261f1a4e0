package asyncio.api.transports;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

/** A transport for datagrams (UDP). Mirrors {@code asyncio.DatagramTransport}. */
public interface DatagramTransport extends BaseTransport {
    /**
     * Sends the bytes between {@code data}'s position and limit as one datagram to
     * {@code address} (null: the endpoint's remote address) and consumes them. An empty datagram
     * is sent too. Never blocks: what the kernel does not take now is copied and queued. An
     * endpoint created with a remote address refuses any other address. Mirrors {@code sendto()}.
     * (The selector loop cannot send an empty datagram on a connected endpoint, as NIO skips empty
     * writes; {@code errorReceived} hears so.)
     */
    void sendto(ByteBuffer data, SocketAddress address);

    /** Sends {@code data} to the endpoint's remote address. */
    default void sendto(ByteBuffer data) {
        sendto(data, null);
    }

    /** Sends {@code data} as one datagram to {@code address}. */
    default void sendto(byte[] data, SocketAddress address) {
        sendto(ByteBuffer.wrap(data), address);
    }

    /** Closes at once, dropping queued datagrams; {@code connectionLost(null)} follows. Mirrors {@code abort()}. */
    void abort();

    /** Bytes queued for sending, counting 8 bytes of header per datagram. Mirrors {@code get_write_buffer_size()}. */
    int getWriteBufferSize();

    /** The low and high marks. Mirrors {@code get_write_buffer_limits()}. */
    WriteBufferLimits getWriteBufferLimits();

    /**
     * Sets the marks; null picks asyncio's defaults (high 64 KiB, or 4 x low; low = high / 4).
     * Requires {@code high >= low >= 0}. Mirrors {@code set_write_buffer_limits()}.
     */
    void setWriteBufferLimits(Integer high, Integer low);
}
