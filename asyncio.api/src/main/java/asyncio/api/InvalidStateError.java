package asyncio.api;

/**
 * Raised when a future is used in a state that forbids the call. Mirrors {@code asyncio.InvalidStateError}.
 * A {@link RuntimeException} beside {@link CancelledError}, never above it, so catching it cannot
 * catch a cancellation (docs/decisions.md).
 */
public class InvalidStateError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An error with the given message. */
    public InvalidStateError(String message) {
        super(message);
    }
}
