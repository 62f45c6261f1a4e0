package asyncio.api;

import java.util.Set;

/**
 * The two sets {@link Asyncio#wait} returns: the futures that are done and those still pending.
 * Mirrors the {@code (done, pending)} tuple of {@code asyncio.wait()}.
 *
 * @param <T> the type of the futures' results
 */
public record WaitResult<T>(Set<Future<T>> done, Set<Future<T>> pending) {
}
