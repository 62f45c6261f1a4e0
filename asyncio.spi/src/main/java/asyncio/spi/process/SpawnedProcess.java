package asyncio.spi.process;

import asyncio.spi.LoopSocket;
import asyncio.spi.readiness.ReadinessEventLoop;
import java.io.IOException;

/**
 * A child process a loop module started itself (with {@code posix_spawn}, say), handed to the
 * shared subprocess transport through {@link ReadinessEventLoop#spawnProcess}: its pipe ends,
 * a descriptor that becomes readable when it exits (a pidfd), and the system calls to reap and
 * signal it. The transport owns everything here once it has it: it closes the pipe ends with
 * their transports and the exit descriptor once the child is reaped (or the loop closes).
 */
public interface SpawnedProcess {
    /** The process id. */
    long pid();

    /** The parent's end of the child's stdin (0), stdout (1) or stderr (2), or null when that stream is not a pipe. */
    PipeEnd pipe(int fd);

    /** A descriptor the poller watches for reading: readable once the child has exited. */
    LoopSocket exitDescriptor();

    /**
     * Reaps the child if it has exited, without blocking: its return code as asyncio reports
     * it (the exit status, or -N when signal N killed it), or null while it still runs.
     */
    Integer reap() throws IOException;

    /**
     * Sends signal {@code signal}; only called before {@link #reap()} returned a code, so the
     * process id cannot belong to anyone else yet.
     *
     * @throws asyncio.api.subprocess.ProcessLookupError if the child is gone
     * @throws IllegalArgumentException if {@code signal} is not a valid signal number
     */
    void sendSignal(int signal);

    /**
     * The loop closes before it saw this child exit: kill it (it may still run) and wait for its
     * exit, so that no zombie outlives the loop. Does nothing once {@link #reap()} returned a code.
     */
    void killAndReap() throws IOException;

    /** What the transport's {@code getExtraInfo("subprocess")} shows (asyncio shows its {@code Popen}). */
    ProcessHandle handle();
}
