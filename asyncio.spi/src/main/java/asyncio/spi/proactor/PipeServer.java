package asyncio.spi.proactor;

/**
 * What {@link ProactorEventLoop#startServingPipe} gives back: asyncio's {@code PipeServer} on
 * Windows. The server keeps one unconnected instance of the named pipe waiting for a client and
 * makes the next one each time a client takes it; {@link #close()} closes the waiting instance
 * (clients are refused from then on), not the connections already made.
 */
public interface PipeServer extends AutoCloseable {
    /** The pipe's name ({@code \\.\pipe\...}), or null once closed. */
    String address();

    /** Whether {@link #close()} ran. */
    boolean isClosed();

    /** Stops serving: the waiting instance is closed, its ConnectNamedPipe aborted. Idempotent. */
    @Override
    void close();
}
