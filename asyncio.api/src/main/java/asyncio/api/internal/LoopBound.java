package asyncio.api.internal;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;

/**
 * The loop a synchronization primitive or queue belongs to, bound on first use rather than at
 * construction, so that one can be created before any loop runs. Mirrors
 * {@code asyncio.mixins._LoopBoundMixin}.
 */
public final class LoopBound {
    private volatile EventLoop loop;

    /**
     * The running loop, binding {@code owner} to it on the first call; raises
     * {@link IllegalStateException} if no loop runs or {@code owner} is bound to another loop.
     */
    public EventLoop loop(Object owner) {
        EventLoop running = Asyncio.getRunningLoop();
        EventLoop bound = loop;
        if (bound == null) {
            // Two threads may race to bind a primitive created outside any loop: the first one wins.
            synchronized (this) {
                if (loop == null) {
                    loop = running;
                }
                bound = loop;
            }
        }
        if (bound != running) {
            throw new IllegalStateException(owner + " is bound to a different event loop");
        }
        return running;
    }
}
