package asyncio.api.transports;

import java.nio.ByteBuffer;

/** A stream protocol that receives data as it arrives. Mirrors {@code asyncio.Protocol}. */
public interface Protocol extends BaseProtocol {
    /**
     * Bytes arrived. {@code data} is valid only during the call (the loop reuses it): copy what
     * you keep. Mirrors {@code data_received()}.
     */
    default void dataReceived(ByteBuffer data) {
    }

    /**
     * The peer closed its write side. Return true to keep the transport open for writing (a
     * half-closed connection), false to let it close. Mirrors {@code eof_received()}.
     */
    default boolean eofReceived() {
        return false;
    }
}
