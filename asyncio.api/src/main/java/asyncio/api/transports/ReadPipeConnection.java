package asyncio.api.transports;

/**
 * The read end of a pipe wired to its protocol, as {@code connectReadPipe} pairs them. Mirrors
 * the {@code (transport, protocol)} tuple.
 *
 * @param <P> the protocol's type
 */
public record ReadPipeConnection<P extends Protocol>(ReadTransport transport, P protocol) {
}
