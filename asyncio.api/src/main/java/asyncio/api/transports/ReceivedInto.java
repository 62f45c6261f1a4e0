package asyncio.api.transports;

import java.net.SocketAddress;

/**
 * How many bytes of a datagram were stored in the caller's buffer, and its sender. Mirrors the
 * {@code (nbytes, address)} tuple of {@code loop.sock_recvfrom_into()}.
 */
public record ReceivedInto(int count, SocketAddress address) {
}
