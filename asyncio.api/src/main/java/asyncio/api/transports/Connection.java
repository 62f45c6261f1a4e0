package asyncio.api.transports;

/**
 * A connected transport and its protocol, as {@code createConnection} and {@code createServer}
 * pair them. Mirrors the {@code (transport, protocol)} tuple.
 *
 * @param <P> the protocol's type
 */
public record Connection<P extends BaseProtocol>(Transport transport, P protocol) {
}
