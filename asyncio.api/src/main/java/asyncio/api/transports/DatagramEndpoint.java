package asyncio.api.transports;

/**
 * A datagram transport and its protocol, as {@code createDatagramEndpoint} pairs them. Mirrors
 * the {@code (transport, protocol)} tuple.
 *
 * @param <P> the protocol's type
 */
public record DatagramEndpoint<P extends DatagramProtocol>(DatagramTransport transport, P protocol) {
}
