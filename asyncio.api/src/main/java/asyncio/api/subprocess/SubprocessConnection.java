package asyncio.api.subprocess;

/** A child's transport and its protocol. Mirrors the tuple of {@code loop.subprocess_exec()}. */
public record SubprocessConnection<P extends SubprocessProtocol>(SubprocessTransport transport, P protocol) {
}
