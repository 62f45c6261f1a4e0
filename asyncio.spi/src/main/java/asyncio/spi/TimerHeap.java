package asyncio.spi;

import java.util.Arrays;
import java.util.function.Predicate;

/**
 * The loop's timers in due order: earliest {@code when} first, equal times in scheduling order
 * ({@code sequence}). Mirrors the {@code heapq} list of {@code asyncio.base_events}.
 *
 * <p>A binary heap whose keys live in primitive arrays beside the timers, not in the timer
 * objects: a sift compares {@code whens[i]} and {@code sequences[i]} without dereferencing a timer,
 * so with a million timers a comparison touches two arrays rather than two random heap objects.
 * That made draining 1M timers 2.8× faster than a {@code PriorityQueue} of timers (docs/performance.md).
 * Not thread-safe: only the loop thread uses it.
 */
final class TimerHeap<T> {
    private static final int INITIAL_CAPACITY = 16;
    private static final int SHRINK_ABOVE = 1024;

    private double[] whens = new double[INITIAL_CAPACITY];
    private long[] sequences = new long[INITIAL_CAPACITY];
    private Object[] timers = new Object[INITIAL_CAPACITY];
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Adds {@code timer}, due at {@code when} (not NaN); {@code sequence} must grow with each call. */
    void add(double when, long sequence, T timer) {
        if (size == timers.length) {
            resize(size * 2);
        }
        // -0.0 would compare below 0.0 here but equal in asyncio; both are long past anyway.
        siftUp(size++, when + 0.0, sequence, timer);
    }

    /** The earliest timer, or null when empty. */
    @SuppressWarnings("unchecked")
    T peek() {
        return (T) timers[0];
    }

    /** When the earliest timer is due; only when not empty. */
    double peekWhen() {
        return whens[0];
    }

    /** Removes and returns the earliest timer; only when not empty. */
    @SuppressWarnings("unchecked")
    T poll() {
        T first = (T) timers[0];
        int last = --size;
        Object moved = timers[last];
        timers[last] = null;
        if (last > 0) {
            siftDown(0, whens[last], sequences[last], moved);
        }
        return first;
    }

    /**
     * Removes every timer {@code doomed} accepts and rebuilds the heap in linear time, releasing
     * array space the survivors no longer need: what keeps memory bounded by live timers.
     */
    @SuppressWarnings("unchecked")
    void removeIf(Predicate<? super T> doomed) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            Object timer = timers[i];
            if (!doomed.test((T) timer)) {
                whens[kept] = whens[i];
                sequences[kept] = sequences[i];
                timers[kept++] = timer;
            }
        }
        Arrays.fill(timers, kept, size, null);
        size = kept;
        // Small arrays are kept: a loop that schedules and cancels in bursts would regrow them each time.
        if (timers.length > SHRINK_ABOVE && size < timers.length / 4) {
            resize(Math.max(SHRINK_ABOVE, size * 2));
        }
        for (int i = (size >>> 1) - 1; i >= 0; i--) {
            siftDown(i, whens[i], sequences[i], timers[i]);
        }
    }

    void clear() {
        Arrays.fill(timers, 0, size, null);
        size = 0;
    }

    private void resize(int capacity) {
        whens = Arrays.copyOf(whens, capacity);
        sequences = Arrays.copyOf(sequences, capacity);
        timers = Arrays.copyOf(timers, capacity);
    }

    private static boolean before(double when, long sequence, double otherWhen, long otherSequence) {
        return when < otherWhen || (when == otherWhen && sequence < otherSequence);
    }

    // Both sifts move a hole rather than swapping, and write the entry once where it lands.

    private void siftUp(int hole, double when, long sequence, Object timer) {
        while (hole > 0) {
            int parent = (hole - 1) >>> 1;
            if (!before(when, sequence, whens[parent], sequences[parent])) {
                break;
            }
            put(hole, whens[parent], sequences[parent], timers[parent]);
            hole = parent;
        }
        put(hole, when, sequence, timer);
    }

    private void siftDown(int hole, double when, long sequence, Object timer) {
        int half = size >>> 1;
        while (hole < half) {
            int child = 2 * hole + 1;
            int right = child + 1;
            if (right < size && before(whens[right], sequences[right], whens[child], sequences[child])) {
                child = right;
            }
            if (!before(whens[child], sequences[child], when, sequence)) {
                break;
            }
            put(hole, whens[child], sequences[child], timers[child]);
            hole = child;
        }
        put(hole, when, sequence, timer);
    }

    private void put(int index, double when, long sequence, Object timer) {
        whens[index] = when;
        sequences[index] = sequence;
        timers[index] = timer;
    }
}
