package asyncio.api.streams;

/**
 * A separator was not found within the reader's limit. {@link #consumed()} is how many bytes
 * would have to be consumed. Mirrors {@code asyncio.LimitOverrunError}.
 */
public class LimitOverrunError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int consumed;

    /** An overrun after {@code consumed} bytes. */
    public LimitOverrunError(String message, int consumed) {
        super(message);
        this.consumed = consumed;
    }

    /** The bytes to consume. Mirrors {@code consumed}. */
    public int consumed() {
        return consumed;
    }
}
