package asyncio.spi.process;

import asyncio.api.transports.BaseTransport;
import java.util.function.IntConsumer;

/**
 * How {@link ProcessTransport} reaches its child, whichever way it was started: the JDK's
 * {@link ProcessBuilder} ({@code asyncio.spi.readiness.JdkChildProcess}), or a loop module's own spawn
 * ({@code asyncio.spi.readiness.SpawnedChildProcess}). The transport keeps asyncio's callback order and state; this
 * seam holds only what differs: the pipe transports, how the exit is noticed, how signals go.
 */
public interface ChildProcess {
    /** The process id. */
    long pid();

    /** Makes the transports of the child's pipes, indexed by fd (0, 1, 2; null where not a pipe), reporting to {@code owner}. */
    BaseTransport[] openPipes(ProcessTransport owner);

    /**
     * Starts the pipes (if they do not start themselves) and the exit watch; {@code exited} is
     * called once, on the loop thread, with asyncio's return code (-N for death by signal N).
     */
    void start(IntConsumer exited);

    /** Sends {@code signal} to a child whose exit has not been noticed yet. */
    void sendSignal(int signal);

    /**
     * The loop closed with the child running and its transport open: kill it and let go of the
     * pipes without any callback (the loop runs nothing more).
     */
    void killWithLoop();

    /** What {@code getExtraInfo("subprocess")} shows. */
    ProcessHandle handle();
}
