package asyncio.api.transports;

/** What every transport offers. Mirrors {@code asyncio.BaseTransport}. */
public interface BaseTransport {
    /**
     * Closes the transport: buffered data is still sent, then the protocol's
     * {@code connectionLost(null)} is called. Mirrors {@code close()}; idempotent.
     */
    void close();

    /** Whether the transport is closing or closed. Mirrors {@code is_closing()}. */
    boolean isClosing();

    /**
     * Information about the transport: {@code peername}, {@code sockname}, {@code socket} (a
     * {@link TransportSocket}, the same object on every call), and for TLS and pipes their own
     * keys; {@code defaultValue} when unknown. Mirrors {@code get_extra_info()}.
     */
    Object getExtraInfo(String name, Object defaultValue);

    /** {@link #getExtraInfo(String, Object)} with a null default. */
    default Object getExtraInfo(String name) {
        return getExtraInfo(name, null);
    }

    /** Switches to another protocol. Mirrors {@code set_protocol()}. */
    void setProtocol(BaseProtocol protocol);

    /** The current protocol. Mirrors {@code get_protocol()}. */
    BaseProtocol getProtocol();
}
