package asyncio.api.transports;

/**
 * What every protocol hears from its transport: connection made and lost, and write-side flow
 * control. Mirrors {@code asyncio.BaseProtocol}; each method has an empty default.
 */
public interface BaseProtocol {
    /** The connection is up; {@code transport} is this protocol's. Mirrors {@code connection_made()}. */
    default void connectionMade(BaseTransport transport) {
    }

    /**
     * The connection is closed: {@code error} is null after a regular close or EOF, else the
     * cause. Called once, last. Mirrors {@code connection_lost()}.
     */
    default void connectionLost(Throwable error) {
    }

    /** The transport's write buffer went over the high-water mark. Mirrors {@code pause_writing()}. */
    default void pauseWriting() {
    }

    /** The write buffer drained to the low-water mark. Mirrors {@code resume_writing()}. */
    default void resumeWriting() {
    }
}
