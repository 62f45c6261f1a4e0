package asyncio.api.transports;

/** The reading side of a transport. Mirrors {@code asyncio.ReadTransport}. */
public interface ReadTransport extends BaseTransport {
    /** Whether the transport is receiving. Mirrors {@code is_reading()}. */
    boolean isReading();

    /** Stops delivering data until {@link #resumeReading()}; idempotent. Mirrors {@code pause_reading()}. */
    void pauseReading();

    /** Delivers data again; idempotent. Mirrors {@code resume_reading()}. */
    void resumeReading();
}
