package asyncio.api;

/**
 * A coroutine: sequential code that runs inside a {@link Task} and may suspend at
 * {@link Asyncio#await(Future)}. The Java twin of an {@code async def} function body.
 *
 * @param <T> the type of the value the coroutine returns
 */
@FunctionalInterface
public interface Coroutine<T> {
    /** Runs the coroutine's body; checked exceptions propagate unchanged to whoever awaits the task. */
    T call() throws Exception;
}
