package asyncio.api.transports;

/** A bidirectional stream transport (TCP, Unix socket, TLS, pipe pair). Mirrors {@code asyncio.Transport}. */
public interface Transport extends ReadTransport, WriteTransport {
}
