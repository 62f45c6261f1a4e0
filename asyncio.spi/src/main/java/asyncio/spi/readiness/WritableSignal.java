package asyncio.spi.readiness;

import asyncio.api.Future;

/**
 * Tells a sendfile transfer when its socket can take more: the next writability as a future,
 * and a {@link #close()} that stops watching.
 */
interface WritableSignal extends AutoCloseable {
    /** A future done at the socket's next writability (or when it is closed under the transfer). */
    Future<Void> next();

    /** Stops watching; idempotent. */
    @Override
    void close();
}
