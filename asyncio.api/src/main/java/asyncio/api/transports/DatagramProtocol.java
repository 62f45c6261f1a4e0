package asyncio.api.transports;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

/** A protocol for datagrams (UDP). Mirrors {@code asyncio.DatagramProtocol}. */
public interface DatagramProtocol extends BaseProtocol {
    /**
     * A datagram arrived from {@code address}. {@code data} is valid only during the call (the
     * loop reuses it): copy what you keep. Mirrors {@code datagram_received()}.
     */
    default void datagramReceived(ByteBuffer data, SocketAddress address) {
    }

    /**
     * A send or receive failed without closing the transport, for instance an ICMP "port
     * unreachable" on a connected endpoint. Mirrors {@code error_received()}.
     */
    default void errorReceived(Exception error) {
    }
}
