/**
 * Queues for producer and consumer tasks of one event loop: {@link asyncio.api.queues.Queue}
 * (FIFO), {@link asyncio.api.queues.PriorityQueue} and {@link asyncio.api.queues.LifoQueue}.
 * Mirrors {@code asyncio.queues}: not thread-safe, and each queue binds to the loop that first
 * makes a task wait on it.
 */
package asyncio.api.queues;
