package asyncio.api.subprocess;

import asyncio.api.transports.BaseTransport;

/** A running child process and its pipes. Mirrors {@code asyncio.SubprocessTransport}. */
public interface SubprocessTransport extends BaseTransport {
    /** The child's process id. Mirrors {@code get_pid()}. */
    long getPid();

    /**
     * The transport of pipe {@code fd} (0: stdin, a write transport; 1, 2: read transports), or
     * null when that stream is not a pipe. Mirrors {@code get_pipe_transport()}.
     */
    BaseTransport getPipeTransport(int fd);

    /**
     * The exit status once the child ended, else null: negative for a signal the child died of.
     * Mirrors {@code get_returncode()}.
     */
    Integer getReturncode();

    /** Sends signal number {@code signal} to the child. Mirrors {@code send_signal()}. */
    void sendSignal(int signal);

    /** Sends SIGTERM. Mirrors {@code terminate()}. */
    void terminate();

    /** Sends SIGKILL. Mirrors {@code kill()}. */
    void kill();
}
