package asyncio.api.sync;

/**
 * What {@link Lock}, {@link Semaphore}, {@link BoundedSemaphore} and {@link Condition} share: the
 * {@code acquire}/{@code release} pair behind their {@code async with} protocol, so code can take
 * any of them. Mirrors asyncio's {@code _ContextManagerMixin}; {@code async with prim:} is
 * {@code try (var held = prim.acquire()) { ... }}.
 */
public interface Acquirable {
    /** Waits until acquired; {@code close()} of the result releases. Mirrors {@code acquire()}. */
    Held acquire();

    /** Releases once. Mirrors {@code release()}. */
    void release();

    /** Whether {@link #acquire()} would wait now. Mirrors {@code locked()}. */
    boolean locked();
}
