package asyncio.api.queues;

/**
 * Raised by {@link Queue#putNowait(Object)} on a full queue. Mirrors {@code asyncio.QueueFull}.
 * A {@link RuntimeException} beside {@code CancelledError}, never above it, so catching it cannot
 * catch a cancellation (docs/decisions.md).
 */
public class QueueFull extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An error without a message, as asyncio raises it. */
    public QueueFull() {
        super();
    }
}
