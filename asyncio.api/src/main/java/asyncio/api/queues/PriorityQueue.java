package asyncio.api.queues;

import java.util.Comparator;

/**
 * A {@link Queue} that returns the smallest item first: in natural order (items must be
 * {@link Comparable}) or by a {@link Comparator}. Mirrors {@code asyncio.PriorityQueue}; like its
 * heap, it does not keep equal items in insertion order.
 *
 * @param <T> the type of the items
 */
public class PriorityQueue<T> extends Queue<T> {
    /** An unbounded queue in natural order. Mirrors {@code asyncio.PriorityQueue()}. */
    public PriorityQueue() {
        this(0, null);
    }

    /** A queue of at most {@code maxsize} items in natural order. Mirrors {@code asyncio.PriorityQueue(maxsize)}. */
    public PriorityQueue(int maxsize) {
        this(maxsize, null);
    }

    /** An unbounded queue ordered by {@code comparator}. */
    public PriorityQueue(Comparator<? super T> comparator) {
        this(0, comparator);
    }

    /** A queue of at most {@code maxsize} items ordered by {@code comparator} (null: natural order). */
    public PriorityQueue(int maxsize, Comparator<? super T> comparator) {
        super(maxsize, new java.util.PriorityQueue<>(comparator));
    }
}
