package asyncio.api.transports;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * A datagram and its sender, as {@code sockRecvfrom} returns them; {@code data} is the caller's
 * to keep. Mirrors the {@code (bytes, address)} tuple of {@code loop.sock_recvfrom()}.
 */
public record ReceivedDatagram(ByteBuffer data, SocketAddress address) {
}
