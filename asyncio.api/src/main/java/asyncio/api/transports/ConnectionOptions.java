package asyncio.api.transports;

import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;

/**
 * The keyword arguments of {@code loop.create_connection()}, with asyncio's defaults.
 * Setters return {@code this} so options chain.
 */
public final class ConnectionOptions {
    private SocketAddress localAddr;
    private ProtocolFamily family;
    private Double happyEyeballsDelay;
    private Integer interleave;
    private SocketChannel sock;
    private boolean allErrors;

    /** Options with asyncio's defaults. */
    public ConnectionOptions() {
    }

    /** Binds the socket to this local address first. Mirrors {@code local_addr}. */
    public ConnectionOptions localAddr(SocketAddress address) {
        this.localAddr = address;
        return this;
    }

    /** Only addresses of this family ({@code StandardProtocolFamily.INET} or {@code INET6}). Mirrors {@code family}. */
    public ConnectionOptions family(ProtocolFamily value) {
        this.family = value;
        return this;
    }

    /** Enables Happy Eyeballs (RFC 8305) with this delay in seconds between attempts; 0.25 is recommended. */
    public ConnectionOptions happyEyeballsDelay(Double seconds) {
        this.happyEyeballsDelay = seconds;
        return this;
    }

    /** Reorders addresses to alternate families, this many of the first family first. Mirrors {@code interleave}. */
    public ConnectionOptions interleave(Integer count) {
        this.interleave = count;
        return this;
    }

    /** Uses this already connected channel instead of connecting. Mirrors {@code sock}. */
    public ConnectionOptions sock(SocketChannel channel) {
        this.sock = channel;
        return this;
    }

    /** When every attempt fails, raise a group of all errors instead of one. Mirrors {@code all_errors}. */
    public ConnectionOptions allErrors(boolean value) {
        this.allErrors = value;
        return this;
    }

    /** The local address, or null. */
    public SocketAddress localAddr() {
        return localAddr;
    }

    /** The family filter, or null for any. */
    public ProtocolFamily family() {
        return family;
    }

    /** The Happy Eyeballs delay, or null when disabled. */
    public Double happyEyeballsDelay() {
        return happyEyeballsDelay;
    }

    /** The interleave count; 1 when Happy Eyeballs is on and none was given, as in asyncio. */
    public Integer interleave() {
        return interleave == null && happyEyeballsDelay != null ? Integer.valueOf(1) : interleave;
    }

    /** The channel to use, or null. */
    public SocketChannel sock() {
        return sock;
    }

    /** Whether all errors are raised together. */
    public boolean allErrors() {
        return allErrors;
    }
}
