package asyncio.api.transports;

/**
 * The write end of a pipe wired to its protocol, as {@code connectWritePipe} pairs them. Mirrors
 * the {@code (transport, protocol)} tuple.
 *
 * @param <P> the protocol's type
 */
public record WritePipeConnection<P extends BaseProtocol>(WriteTransport transport, P protocol) {
}
