package asyncio.api.internal;

/**
 * A loop that tells, on its own thread, each time one of its transports has let go of its socket
 * (the moment its MXBean stops listing it). asyncio has no such callback: only the protocol hears
 * {@code connection_lost}, and a group's acceptor must not wrap the user's protocol to hear it.
 */
public interface TransportReleases {
    /** From now on, {@code listener} runs each time a transport of this loop let go of its socket; loop thread only. */
    void addReleaseListener(Runnable listener);

    /** Stops {@code listener}; loop thread only. */
    void removeReleaseListener(Runnable listener);
}
