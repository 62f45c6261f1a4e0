package asyncio.api.transports;

import java.net.ProtocolFamily;
import java.nio.channels.DatagramChannel;

/**
 * The keyword arguments of {@code loop.create_datagram_endpoint()}, with asyncio's defaults.
 * Setters return {@code this} so options chain.
 */
public final class DatagramOptions {
    private ProtocolFamily family;
    private boolean reusePort;
    private boolean allowBroadcast;
    private DatagramChannel sock;

    /** Options with asyncio's defaults. */
    public DatagramOptions() {
    }

    /**
     * Only addresses of this family; needed when neither a local nor a remote address is given.
     * Mirrors {@code family}.
     */
    public DatagramOptions family(ProtocolFamily value) {
        this.family = value;
        return this;
    }

    /** SO_REUSEPORT, so several endpoints can share the port. Mirrors {@code reuse_port}. */
    public DatagramOptions reusePort(boolean value) {
        this.reusePort = value;
        return this;
    }

    /**
     * SO_BROADCAST; the socket then stays unconnected even with a remote address, which becomes
     * the default destination. Mirrors {@code allow_broadcast}.
     */
    public DatagramOptions allowBroadcast(boolean value) {
        this.allowBroadcast = value;
        return this;
    }

    /** Uses this channel instead of opening one; no other option may be set. Mirrors {@code sock}. */
    public DatagramOptions sock(DatagramChannel channel) {
        this.sock = channel;
        return this;
    }

    /** The family, or null for the one the addresses have. */
    public ProtocolFamily family() {
        return family;
    }

    /** Whether SO_REUSEPORT is set. */
    public boolean reusePort() {
        return reusePort;
    }

    /** Whether SO_BROADCAST is set. */
    public boolean allowBroadcast() {
        return allowBroadcast;
    }

    /** The channel to use, or null. */
    public DatagramChannel sock() {
        return sock;
    }
}
