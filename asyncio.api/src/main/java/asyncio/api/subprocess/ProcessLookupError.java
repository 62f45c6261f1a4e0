package asyncio.api.subprocess;

/** The process is gone (its transport was closed). Mirrors Python's {@code ProcessLookupError}. */
public class ProcessLookupError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An error with the given message. */
    public ProcessLookupError(String message) {
        super(message);
    }
}
