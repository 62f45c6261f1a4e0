package asyncio.api;

/**
 * Ctrl-C (SIGINT) ended {@link Asyncio#run} or {@link Runner#run}: the main task was cancelled
 * and did not absorb the cancellation. Mirrors Python's {@code KeyboardInterrupt}, a base
 * exception: raised in a task, it is stored as the task's exception and also propagates out of
 * {@link EventLoop#runUntilComplete} and {@link EventLoop#runForever}; a {@link TaskGroup}
 * re-raises it as it is, not inside a {@link TaskGroupException}.
 */
public final class KeyboardInterrupt extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An interrupt without a message. Mirrors {@code KeyboardInterrupt()}. */
    public KeyboardInterrupt() {
        super();
    }

    /** An interrupt carrying {@code message}. Mirrors {@code KeyboardInterrupt(message)}. */
    public KeyboardInterrupt(String message) {
        super(message);
    }

    /** An interrupt caused by {@code cancelled}. */
    public KeyboardInterrupt(CancelledError cancelled) {
        super("interrupted by SIGINT", cancelled);
    }
}
