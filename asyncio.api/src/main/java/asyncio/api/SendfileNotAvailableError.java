package asyncio.api;

/**
 * The sendfile system call cannot serve this socket and file (the file has no descriptor, the
 * loop has no native path), and the caller turned the fallback off. Mirrors
 * {@code asyncio.SendfileNotAvailableError}, a {@code RuntimeError}.
 */
public class SendfileNotAvailableError extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** An error with the given message. */
    public SendfileNotAvailableError(String message) {
        super(message);
    }

    /** An error with the given message and the failure that made sendfile impossible. */
    public SendfileNotAvailableError(String message, Throwable cause) {
        super(message, cause);
    }
}
