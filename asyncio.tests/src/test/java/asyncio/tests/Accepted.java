package asyncio.tests;

import asyncio.api.Asyncio;
import asyncio.api.Future;
import asyncio.api.transports.BaseProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A server's protocol factory that keeps every protocol it made, so a test can await the
 * protocol of the n-th accepted connection. Used on the loop thread only.
 */
final class Accepted<P extends BaseProtocol> implements Supplier<P> {
    private final Supplier<P> factory;
    private final List<P> made = new ArrayList<>();
    private final List<Future<Void>> waiters = new ArrayList<>();

    Accepted(Supplier<P> factory) {
        this.factory = factory;
    }

    @Override
    public P get() {
        P protocol = factory.get();
        made.add(protocol);
        for (Future<Void> waiter : waiters) {
            if (!waiter.done()) {
                waiter.setResult(null);
            }
        }
        waiters.clear();
        return protocol;
    }

    /** The protocol of connection {@code index} (from 0), awaiting its accept. */
    P get(int index) {
        while (made.size() <= index) {
            Future<Void> waiter = Asyncio.getRunningLoop().createFuture();
            waiters.add(waiter);
            Asyncio.waitFor(waiter, RecordingProtocol.PATIENCE);
        }
        return made.get(index);
    }

    /** The first connection's protocol. */
    P first() {
        return get(0);
    }

    /** How many connections were accepted so far. */
    int count() {
        return made.size();
    }
}
