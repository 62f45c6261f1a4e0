package asyncio.spi;

/**
 * One open transport as {@link EventLoopMXBean#getTransports()} shows it (a JMX composite), and
 * what the transport JFR events carry: its kind, addresses, protocol and the bytes it moved.
 */
public final class TransportInfo {
    private final String id;
    private final String kind;
    private final String sockname;
    private final String peername;
    private final String protocol;
    private final long bytesReceived;
    private final long bytesSent;
    private final boolean closing;

    /** A transport's description; an address the transport has not (a pipe's) is the empty string. */
    public TransportInfo(String id, String kind, String sockname, String peername, String protocol,
                         long bytesReceived, long bytesSent, boolean closing) {
        this.id = id;
        this.kind = kind;
        this.sockname = sockname;
        this.peername = peername;
        this.protocol = protocol;
        this.bytesReceived = bytesReceived;
        this.bytesSent = bytesSent;
        this.closing = closing;
    }

    /** The transport's identity, {@code 0x} and its identity hash. */
    public String getId() {
        return id;
    }

    /** {@code stream}, {@code datagram}, {@code read pipe} or {@code write pipe}. */
    public String getKind() {
        return kind;
    }

    /** The local address. Mirrors {@code get_extra_info('sockname')}. */
    public String getSockname() {
        return sockname;
    }

    /** The peer's address. Mirrors {@code get_extra_info('peername')}. */
    public String getPeername() {
        return peername;
    }

    /** The class of the transport's protocol. Mirrors {@code get_protocol()}. */
    public String getProtocol() {
        return protocol;
    }

    /** The bytes received since the transport opened (datagram payloads for a datagram transport). */
    public long getBytesReceived() {
        return bytesReceived;
    }

    /** The bytes the system took from this transport since it opened (not those still buffered). */
    public long getBytesSent() {
        return bytesSent;
    }

    /** Whether the transport is closing. Mirrors {@code is_closing()}. */
    public boolean isClosing() {
        return closing;
    }

    /**
     * Describes {@code transport} with its own addresses, protocol and closing state, and the kind
     * and byte counts its loop keeps: what an {@link InspectableTransport#describe()} returns.
     */
    public static TransportInfo of(asyncio.api.transports.BaseTransport transport, String kind, long bytesReceived,
                            long bytesSent) {
        Object protocol = transport.getProtocol();
        return new TransportInfo(EventLoopMonitor.idOf(transport), kind, text(transport.getExtraInfo("sockname")),
                text(transport.getExtraInfo("peername")), protocol == null ? "" : protocol.getClass().getName(),
                bytesReceived, bytesSent, transport.isClosing());
    }

    private static String text(Object address) {
        return address == null ? "" : String.valueOf(address);
    }

    @Override
    public String toString() {
        return kind + " " + id + " " + sockname + " -> " + peername + " received " + bytesReceived + " sent " + bytesSent;
    }
}
