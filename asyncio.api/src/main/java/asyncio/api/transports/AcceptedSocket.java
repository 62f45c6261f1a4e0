package asyncio.api.transports;

import java.net.SocketAddress;
import java.nio.channels.SocketChannel;

/**
 * A connection accepted by {@code sockAccept}: the new non-blocking channel and the peer's
 * address. Mirrors the {@code (conn, address)} tuple of {@code loop.sock_accept()}.
 */
public record AcceptedSocket(SocketChannel channel, SocketAddress address) {
}
