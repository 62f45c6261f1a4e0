package asyncio.api.queues;

/**
 * Raised when putting on a shut-down queue, or getting from one that is shut down and empty.
 * Mirrors {@code asyncio.QueueShutDown}. A {@link RuntimeException} beside {@code CancelledError},
 * never above it, so catching it cannot catch a cancellation (docs/decisions.md).
 */
public class QueueShutDown extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An error without a message, as asyncio raises it. */
    public QueueShutDown() {
        super();
    }
}
