package asyncio.windows;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.BooleanSupplier;

/** Drives an {@link IocpCompletionPort} by hand (poll, then dispatch) until a test's condition holds. */
final class PortRuns {
    private PortRuns() {
    }

    /** A few rounds: enough where the fake completes every operation at once. */
    static void rounds(IocpCompletionPort port, BooleanSupplier done) {
        for (int round = 0; round < 10 && !done.getAsBoolean(); round++) {
            pollAndDispatch(port);
        }
        assertTrue(done.getAsBoolean(), "the completions came");
    }

    /**
     * Until {@code done}, at least once (as the C programs' drain waits once); between rounds it
     * waits, bounded, for a post from a waiter thread rather than spinning.
     */
    static void waiting(IocpCompletionPort port, FakeWinsock winsock, BooleanSupplier done) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        do {
            pollAndDispatch(port);
            if (!done.getAsBoolean()) {
                synchronized (winsock) {
                    try {
                        winsock.wait(50); // notified by any call through the synchronized Win32, the post included
                    } catch (InterruptedException interrupted) {
                        throw new AssertionError(interrupted);
                    }
                }
            }
        } while (!done.getAsBoolean() && System.nanoTime() < deadline);
        assertTrue(done.getAsBoolean(), "the completions came");
    }

    private static void pollAndDispatch(IocpCompletionPort port) {
        port.poll(0);
        port.dispatch((completion, failure) -> {
            throw failure;
        });
    }
}
