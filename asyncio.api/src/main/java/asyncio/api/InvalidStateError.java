package asyncio.api;

/** Raised when a future is used in a state that forbids the call. Mirrors {@code asyncio.InvalidStateError}. */
public class InvalidStateError extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** An error with the given message. */
    public InvalidStateError(String message) {
        super(message);
    }
}
