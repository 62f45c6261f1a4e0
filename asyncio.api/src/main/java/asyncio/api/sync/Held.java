package asyncio.api.sync;

/**
 * What {@code acquire()} returns, so that a primitive can be held by a try-with-resources block:
 * {@code close()} releases it. The Java spelling of {@code async with lock:}. A primitive hands
 * out one shared instance (no allocation per acquire), so each {@code close()} is one more
 * {@code release()}: close it once.
 */
@FunctionalInterface
public interface Held extends AutoCloseable {
    /** Releases what was acquired; mirrors the {@code __aexit__} of asyncio's lock context manager. */
    @Override
    void close();
}
