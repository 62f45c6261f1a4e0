package asyncio.api.sync;

import asyncio.api.Future;
import java.util.ArrayDeque;

/** Helpers over a FIFO of waiter futures, shared by the primitives of this package. */
final class Waiters {
    private Waiters() {
    }

    /** Whether {@code waiters} is null, empty, or holds only cancelled futures. */
    static boolean allCancelled(ArrayDeque<? extends Future<?>> waiters) {
        if (waiters != null) {
            for (Future<?> waiter : waiters) {
                if (!waiter.cancelled()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Appends " waiters:N" to a repr when there are waiters. */
    static String describe(String state, ArrayDeque<?> waiters) {
        return waiters == null || waiters.isEmpty() ? state : state + ", waiters:" + waiters.size();
    }

    /** The repr asyncio gives a primitive: the object with its state in brackets. */
    static String repr(String identity, String state) {
        return "<" + identity + " [" + state + "]>";
    }
}
