package asyncio.spi.readiness;

/** What a socket registered with a readiness loop does when the poller reports it. */
public interface ReadyListener {
    /** The socket can be read (or accepted from, or has an error or EOF to report). */
    void readable();

    /** The socket can be written (or a pending connect finished). */
    void writable();
}
