package asyncio.spi.proactor;

import java.io.Closeable;

/**
 * A child process a completion-based loop module started ({@link ProactorEventLoop#spawnProcess}):
 * its pipe ends as handles for the port's {@code read}/{@code write}, and what the loop needs
 * to signal it and learn its exit code. Its exit is waited for through
 * {@link CompletionPort#waitForExit}. Mirrors what asyncio's proactor takes from
 * {@code windows_utils.Popen}: overlapped pipe handles and the process handle.
 */
public interface ProactorProcess extends Closeable {
    /** The process id. */
    long pid();

    /**
     * The parent's end of the child's stdin (0), stdout (1) or stderr (2) as a handle for the
     * port, or null when that stream is not a pipe. The pipe transport owns it from then on.
     */
    ProactorSocket pipe(int fd);

    /**
     * The pipe end of {@code fd} as the application sees it in {@code getExtraInfo("pipe")}
     * (a channel, or the handle itself).
     */
    Object pipeObject(int fd);

    /**
     * Sends {@code signal} to a child whose exit has not been seen yet (on Windows, TERM and KILL
     * are TerminateProcess, as {@code Popen.terminate}). Raises
     * {@link asyncio.api.subprocess.ProcessLookupError} for a child that is gone.
     */
    void sendSignal(int signal);

    /** The return code as asyncio reports it (-N for death by signal N); valid once the exit was seen. */
    int returncode();

    /** What {@code getExtraInfo("subprocess")} shows. */
    ProcessHandle handle();

    /** Releases the process handle (CloseHandle); pipes are closed by their transports. */
    @Override
    void close();
}
