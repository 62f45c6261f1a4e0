package asyncio.api;

/**
 * Decides which event loop a thread gets. Mirrors {@code asyncio.AbstractEventLoopPolicy}; the
 * default implementation is found with {@link java.util.ServiceLoader}.
 */
public interface EventLoopPolicy {
    /** Returns the loop set for the calling thread; raises {@link IllegalStateException} when none is set (as in 3.14). */
    EventLoop getEventLoop();

    /** Sets the calling thread's current loop ({@code null} clears it). */
    void setEventLoop(EventLoop loop);

    /** Creates a new loop of the kind this policy chose. */
    EventLoop newEventLoop();
}
