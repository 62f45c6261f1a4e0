package asyncio.api.queues;

import java.util.NoSuchElementException;

/** Raised by {@link Queue#getNowait()} on an empty queue. Mirrors {@code asyncio.QueueEmpty}. */
public class QueueEmpty extends NoSuchElementException {
    private static final long serialVersionUID = 1L;

    /** An error without a message, as asyncio raises it. */
    public QueueEmpty() {
        super();
    }
}
