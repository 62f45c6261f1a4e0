package asyncio.api;

/**
 * Raised when an operation exceeds its deadline ({@code waitFor}, {@code timeout}).
 * Mirrors {@code asyncio.TimeoutError} (the builtin {@code TimeoutError}); unchecked, unlike
 * {@link java.util.concurrent.TimeoutException}.
 */
public class TimeoutError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A timeout without a message. */
    public TimeoutError() {
        super();
    }

    /** A timeout with the given message. */
    public TimeoutError(String message) {
        super(message);
    }
}
