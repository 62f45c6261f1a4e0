package asyncio.api.sync;

/**
 * Raised by {@link Barrier#await()} when the barrier is broken or reset while a task waits, or was
 * broken before it came. Mirrors {@code asyncio.BrokenBarrierError}. A
 * {@link RuntimeException} beside {@code CancelledError}, never above it, so catching it cannot
 * catch a cancellation (docs/decisions.md).
 */
public class BrokenBarrierError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An error with the given message. */
    public BrokenBarrierError(String message) {
        super(message);
    }
}
