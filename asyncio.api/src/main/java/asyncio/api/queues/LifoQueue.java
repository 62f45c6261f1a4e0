package asyncio.api.queues;

import java.util.ArrayDeque;
import java.util.Collections;

/**
 * A {@link Queue} that returns the most recently put item first. Mirrors {@code asyncio.LifoQueue}.
 *
 * @param <T> the type of the items
 */
public class LifoQueue<T> extends Queue<T> {
    /** An unbounded stack. Mirrors {@code asyncio.LifoQueue()}. */
    public LifoQueue() {
        this(0);
    }

    /** A stack of at most {@code maxsize} items. Mirrors {@code asyncio.LifoQueue(maxsize)}. */
    public LifoQueue(int maxsize) {
        super(maxsize, Collections.asLifoQueue(new ArrayDeque<>()));
    }
}
