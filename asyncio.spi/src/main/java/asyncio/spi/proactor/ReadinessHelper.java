package asyncio.spi.proactor;

import java.nio.channels.SelectableChannel;

/**
 * An optional facility of a {@link CompletionPort}: readiness of the application's own channels,
 * so the proactor loop can offer {@code addReader}/{@code addWriter}, which asyncio's proactor
 * refuses with {@code NotImplementedError}. A completion kernel reports finished operations, not
 * readiness, so a port supplies this beside its completions: on Windows, {@code WSAPoll} on a
 * helper thread posting a completion per ready socket (docs/decisions.md); in the suite's
 * emulation, the port's selector.
 *
 * <p>Level-triggered: while a watched channel is ready for an operation it watches, each
 * {@link CompletionPort#dispatch(java.util.function.BiConsumer)} calls its listener once, on the loop thread, in completion order
 * with the port's other completions. Every method is called on the loop thread.
 */
public interface ReadinessHelper {
    /**
     * Watches {@code channel} for {@code ops} (a mask of {@link java.nio.channels.SelectionKey#OP_READ}
     * and {@link java.nio.channels.SelectionKey#OP_WRITE}, replacing the previous mask; 0 stops
     * watching and forgets the channel), calling {@code listener} with the ready subset.
     */
    void watch(SelectableChannel channel, int ops, Listener listener);

    /** Told which watched operations a channel is ready for. */
    @FunctionalInterface
    interface Listener {
        /** Runs on the loop thread with the ready subset of the watched mask (never empty). */
        void ready(int readyOps);
    }
}
