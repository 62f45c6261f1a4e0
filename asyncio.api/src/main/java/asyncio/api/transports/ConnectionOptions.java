package asyncio.api.transports;

import java.net.ProtocolFamily;
import java.time.Duration;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLContext;

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
    private SSLContext ssl;
    private String serverHostname;
    private boolean checkHostname = true;
    private double sslHandshakeTimeout = 60.0;
    private double sslShutdownTimeout = 30.0;
    private boolean sslHandshakeTimeoutGiven;
    private boolean sslShutdownTimeoutGiven;

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

    /** Speaks TLS with this context. Mirrors {@code ssl=context}. */
    public ConnectionOptions ssl(SSLContext context) {
        this.ssl = context;
        return this;
    }

    /**
     * Speaks TLS with the JDK's default context, verifying the certificate and host name
     * ({@code false}: plain TCP). Mirrors {@code ssl=True}.
     */
    public ConnectionOptions ssl(boolean enabled) {
        try {
            this.ssl = enabled ? SSLContext.getDefault() : null;
        } catch (java.security.NoSuchAlgorithmException unavailable) {
            throw new IllegalStateException("the JDK has no default TLS context", unavailable);
        }
        return this;
    }

    /**
     * The name for SNI and certificate verification; defaults to the host connected to (required
     * when connecting with {@code sock}, and for TLS over a Unix socket). Mirrors {@code server_hostname}.
     */
    public ConnectionOptions serverHostname(String name) {
        this.serverHostname = name;
        return this;
    }

    /** Whether the certificate must match the server host name (on by default, as with asyncio's default context). */
    public ConnectionOptions checkHostname(boolean check) {
        this.checkHostname = check;
        return this;
    }

    /** Seconds the TLS handshake may take before the connection is aborted (60). Mirrors {@code ssl_handshake_timeout}. */
    public ConnectionOptions sslHandshakeTimeout(double seconds) {
        this.sslHandshakeTimeout = positive(seconds, "ssl_handshake_timeout");
        this.sslHandshakeTimeoutGiven = true;
        return this;
    }

    /** Seconds the TLS shutdown may take before the connection is aborted (30). Mirrors {@code ssl_shutdown_timeout}. */
    public ConnectionOptions sslShutdownTimeout(double seconds) {
        this.sslShutdownTimeout = positive(seconds, "ssl_shutdown_timeout");
        this.sslShutdownTimeoutGiven = true;
        return this;
    }

    /** {@link #sslHandshakeTimeout(double)} as a {@link Duration}. Mirrors {@code ssl_handshake_timeout}. */
    public ConnectionOptions sslHandshakeTimeout(Duration timeout) {
        return sslHandshakeTimeout(seconds(timeout));
    }

    /** {@link #sslShutdownTimeout(double)} as a {@link Duration}. Mirrors {@code ssl_shutdown_timeout}. */
    public ConnectionOptions sslShutdownTimeout(Duration timeout) {
        return sslShutdownTimeout(seconds(timeout));
    }

    /** {@link #happyEyeballsDelay(Double)} as a {@link Duration}. Mirrors {@code happy_eyeballs_delay}. */
    public ConnectionOptions happyEyeballsDelay(Duration delay) {
        return happyEyeballsDelay(seconds(delay));
    }

    /** A {@link Duration} in seconds, as asyncio's float timeouts; null is refused (the default is kept by not calling). */
    static double seconds(Duration duration) {
        java.util.Objects.requireNonNull(duration, "duration");
        return duration.getSeconds() + duration.getNano() / 1e9;
    }

    static double positive(double seconds, String name) {
        if (!(seconds > 0)) {
            throw new IllegalArgumentException(name + " should be a positive number, got " + seconds);
        }
        return seconds;
    }

    /** The TLS context, or null for plain TCP. */
    public SSLContext ssl() {
        return ssl;
    }

    /** The TLS server name, or null. */
    public String serverHostname() {
        return serverHostname;
    }

    /** Whether the host name is verified. */
    public boolean checkHostname() {
        return checkHostname;
    }

    /** The handshake timeout in seconds. */
    public double sslHandshakeTimeout() {
        return sslHandshakeTimeout;
    }

    /** The shutdown timeout in seconds. */
    public double sslShutdownTimeout() {
        return sslShutdownTimeout;
    }

    /**
     * The asyncio name of the first TLS-only option given ({@code ssl_handshake_timeout}, then
     * {@code ssl_shutdown_timeout}), or null: loops refuse them without {@code ssl}, as asyncio does.
     */
    public String sslOnlyOptionGiven() {
        return sslHandshakeTimeoutGiven ? "ssl_handshake_timeout" : sslShutdownTimeoutGiven ? "ssl_shutdown_timeout" : null;
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
