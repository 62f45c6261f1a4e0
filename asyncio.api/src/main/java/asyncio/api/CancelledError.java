package asyncio.api;

import java.util.concurrent.CancellationException;

/**
 * Raised into a task when it is cancelled, and by {@link Future#result()} of a cancelled future.
 * Mirrors {@code asyncio.CancelledError}; it carries the message given to {@code cancel(msg)}.
 */
public class CancelledError extends CancellationException {
    private static final long serialVersionUID = 1L;

    /** A cancellation without a message. */
    public CancelledError() {
        super();
    }

    /** A cancellation carrying {@code message} (may be null). */
    public CancelledError(String message) {
        super(message);
    }
}
