package asyncio.api;

/**
 * Ctrl-C (SIGINT) ended {@link Asyncio#run} or {@link Runner#run}: the main task was cancelled
 * and did not absorb the cancellation. Mirrors Python's {@code KeyboardInterrupt}.
 */
public final class KeyboardInterrupt extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An interrupt caused by {@code cancelled}. */
    public KeyboardInterrupt(CancelledError cancelled) {
        super("interrupted by SIGINT", cancelled);
    }
}
