package asyncio.api.queues;

/** Raised by {@link Queue#putNowait(Object)} on a full queue. Mirrors {@code asyncio.QueueFull}. */
public class QueueFull extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** An error without a message, as asyncio raises it. */
    public QueueFull() {
        super();
    }
}
