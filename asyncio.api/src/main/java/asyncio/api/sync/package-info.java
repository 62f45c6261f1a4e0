/**
 * Synchronization primitives for tasks of one event loop: {@link asyncio.api.sync.Lock},
 * {@link asyncio.api.sync.Event}, {@link asyncio.api.sync.Condition},
 * {@link asyncio.api.sync.Semaphore}, {@link asyncio.api.sync.BoundedSemaphore} and
 * {@link asyncio.api.sync.Barrier}. Mirrors {@code asyncio.locks}: not thread-safe, and each
 * primitive binds to the loop that first makes a task wait on it.
 *
 * <p>Java's {@code Object} reserves {@code wait()} and {@code notifyAll()}, so the Python
 * {@code wait()} of {@code Event}, {@code Condition} and {@code Barrier} is spelled {@code await()}
 * here, and {@code Condition.notify_all()} is {@code notifyAllWaiters()}.
 */
package asyncio.api.sync;
