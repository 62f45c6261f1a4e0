package asyncio.api.streams;

/**
 * The stream ended before the requested bytes (or separator) arrived; {@link #partial()} holds
 * what was read. Mirrors {@code asyncio.IncompleteReadError}.
 */
public class IncompleteReadError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final byte[] partial;
    private final Integer expected;

    /** {@code expected} is null when a separator, not a count, was awaited. */
    public IncompleteReadError(byte[] partial, Integer expected) {
        super(partial.length + " bytes read on a total of " + (expected == null ? "undefined" : expected)
                + " expected bytes");
        this.partial = partial;
        this.expected = expected;
    }

    /** The bytes read before the end of the stream. Mirrors {@code partial}. */
    public byte[] partial() {
        return partial.clone();
    }

    /** How many bytes were expected, or null. Mirrors {@code expected}. */
    public Integer expected() {
        return expected;
    }
}
