package asyncio.api.transports;

import java.net.ProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import javax.net.ssl.SSLContext;

/**
 * The keyword arguments of {@code loop.create_server()}, with asyncio's defaults (backlog 100,
 * address reuse on, serving at once). Setters return {@code this}.
 */
public final class ServerOptions {
    private ProtocolFamily family;
    private int backlog = 100;
    private boolean reuseAddress = true;
    private boolean reusePort;
    private boolean keepAlive;
    private boolean startServing = true;
    private ServerSocketChannel sock;
    private boolean cleanupSocket = true;
    private SSLContext ssl;
    private double sslHandshakeTimeout = 60.0;
    private double sslShutdownTimeout = 30.0;
    private boolean sslHandshakeTimeoutGiven;
    private boolean sslShutdownTimeoutGiven;

    /** Options with asyncio's defaults. */
    public ServerOptions() {
    }

    /** Only addresses of this family. Mirrors {@code family}. */
    public ServerOptions family(ProtocolFamily value) {
        this.family = value;
        return this;
    }

    /** The listen backlog. Mirrors {@code backlog}. */
    public ServerOptions backlog(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("backlog must be >= 0, got " + value);
        }
        this.backlog = value;
        return this;
    }

    /** SO_REUSEADDR. Mirrors {@code reuse_address}. */
    public ServerOptions reuseAddress(boolean value) {
        this.reuseAddress = value;
        return this;
    }

    /** SO_REUSEPORT. Mirrors {@code reuse_port}. */
    public ServerOptions reusePort(boolean value) {
        this.reusePort = value;
        return this;
    }

    /** SO_KEEPALIVE on accepted connections. Mirrors {@code keep_alive}. */
    public ServerOptions keepAlive(boolean value) {
        this.keepAlive = value;
        return this;
    }

    /** Whether to accept at once; else call {@code startServing()}. Mirrors {@code start_serving}. */
    public ServerOptions startServing(boolean value) {
        this.startServing = value;
        return this;
    }

    /** Serves on this bound channel instead of binding. Mirrors {@code sock}. */
    public ServerOptions sock(ServerSocketChannel channel) {
        this.sock = channel;
        return this;
    }

    /** Unix servers: delete the socket file when the server closes. Mirrors {@code cleanup_socket}. */
    public ServerOptions cleanupSocket(boolean value) {
        this.cleanupSocket = value;
        return this;
    }

    /** Speaks TLS with this context (which holds the server's key and certificate). Mirrors {@code ssl}. */
    public ServerOptions ssl(SSLContext context) {
        this.ssl = context;
        return this;
    }

    /** Seconds each TLS handshake may take (60). Mirrors {@code ssl_handshake_timeout}. */
    public ServerOptions sslHandshakeTimeout(double seconds) {
        this.sslHandshakeTimeout = ConnectionOptions.positive(seconds, "ssl_handshake_timeout");
        this.sslHandshakeTimeoutGiven = true;
        return this;
    }

    /** Seconds each TLS shutdown may take (30). Mirrors {@code ssl_shutdown_timeout}. */
    public ServerOptions sslShutdownTimeout(double seconds) {
        this.sslShutdownTimeout = ConnectionOptions.positive(seconds, "ssl_shutdown_timeout");
        this.sslShutdownTimeoutGiven = true;
        return this;
    }

    /** {@link #sslHandshakeTimeout(double)} as a {@link java.time.Duration}. Mirrors {@code ssl_handshake_timeout}. */
    public ServerOptions sslHandshakeTimeout(java.time.Duration timeout) {
        return sslHandshakeTimeout(ConnectionOptions.seconds(timeout));
    }

    /** {@link #sslShutdownTimeout(double)} as a {@link java.time.Duration}. Mirrors {@code ssl_shutdown_timeout}. */
    public ServerOptions sslShutdownTimeout(java.time.Duration timeout) {
        return sslShutdownTimeout(ConnectionOptions.seconds(timeout));
    }

    /** The TLS context, or null. */
    public SSLContext ssl() {
        return ssl;
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

    /** The family filter, or null. */
    public ProtocolFamily family() {
        return family;
    }

    /** The backlog. */
    public int backlog() {
        return backlog;
    }

    /** Whether SO_REUSEADDR is set. */
    public boolean reuseAddress() {
        return reuseAddress;
    }

    /** Whether SO_REUSEPORT is set. */
    public boolean reusePort() {
        return reusePort;
    }

    /** Whether SO_KEEPALIVE is set on accepted sockets. */
    public boolean keepAlive() {
        return keepAlive;
    }

    /** Whether the server accepts at once. */
    public boolean startServing() {
        return startServing;
    }

    /** The channel to serve on, or null. */
    public ServerSocketChannel sock() {
        return sock;
    }

    /** Whether a Unix server removes its socket file on close. */
    public boolean cleanupSocket() {
        return cleanupSocket;
    }
}
