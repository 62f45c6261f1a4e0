package asyncio.spi.readiness;

/**
 * A socket's registration with its loop's poller: which readiness the loop watches for. A
 * listener is called only for what is watched at the moment the call would happen.
 */
public interface Readiness {
    /** Starts or stops watching for readability. */
    void watchRead(boolean on);

    /** Starts or stops watching for writability. */
    void watchWrite(boolean on);

    /** Whether readability is watched. */
    boolean watchingRead();

    /** Whether writability is watched. */
    boolean watchingWrite();

    /** Stops watching for good; idempotent. Call before closing the socket. */
    void cancel();
}
