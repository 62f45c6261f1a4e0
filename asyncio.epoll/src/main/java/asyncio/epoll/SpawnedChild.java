package asyncio.epoll;

import asyncio.api.subprocess.ProcessLookupError;
import asyncio.epoll.ffi.LibC;
import asyncio.epoll.ffi.Native;
import asyncio.spi.LoopSocket;
import asyncio.spi.process.PipeEnd;
import asyncio.spi.process.SpawnedProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A child {@link ChildSpawner} started: its pid, a pidfd the epoll set watches for its exit, and
 * the parent's pipe ends. It is reaped with {@code waitid(P_PID, pid, WEXITED | WNOHANG)} once the
 * pidfd is readable; until then the pid stays a zombie and cannot be reused, so {@code kill(pid)}
 * reaches this child and no other.
 */
final class SpawnedChild implements SpawnedProcess {
    private static final Logger LOG = LoggerFactory.getLogger("asyncio");

    private final LibC libc;
    private final int pid;
    private final PidDescriptor exit;
    private final PipeEnd[] pipes;
    /** {@code siginfo_t} for waitid, shared by the loop's children (loop thread only). */
    private final ByteBuffer info;
    private final long infoAddress;
    private final ProcessHandle handle;
    private boolean reaped;

    SpawnedChild(LibC libc, int pid, PidDescriptor exit, PipeEnd[] pipes, ByteBuffer info, long infoAddress) {
        this.libc = libc;
        this.pid = pid;
        this.exit = exit;
        this.pipes = pipes;
        this.info = info;
        this.infoAddress = infoAddress;
        this.handle = ProcessHandle.of(pid).orElse(null);
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public PipeEnd pipe(int fd) {
        return fd >= 0 && fd < pipes.length ? pipes[fd] : null;
    }

    @Override
    public LoopSocket exitDescriptor() {
        return exit;
    }

    @Override
    public Integer reap() throws IOException {
        if (reaped) {
            throw new IllegalStateException("pid " + pid + " was reaped already");
        }
        // With WNOHANG and nothing to report, Linux leaves si_pid as it was: 0 means "still running".
        info.putInt(Native.SIGINFO_PID_OFFSET, 0);
        int result;
        do {
            result = libc.waitid(Native.P_PID, pid, infoAddress, Native.WEXITED | Native.WNOHANG);
        } while (result < 0 && Native.errno() == Native.EINTR);
        if (result < 0) {
            int errno = Native.errno();
            if (errno != Native.ECHILD) {
                throw new IOException("waitid(" + pid + ") failed: " + libc.strerror(errno));
            }
            // Someone else reaped it (a waitpid(-1) elsewhere in the process): the status is lost.
            // asyncio's child watchers report 255 then, with the same warning.
            LOG.warn("Unknown child process pid {}, will report returncode 255", pid);
            reaped = true;
            return 255;
        }
        if (info.getInt(Native.SIGINFO_PID_OFFSET) == 0) {
            return null;
        }
        reaped = true;
        int status = info.getInt(Native.SIGINFO_STATUS_OFFSET);
        // CLD_EXITED carries the exit status; CLD_KILLED and CLD_DUMPED the signal: asyncio's -N.
        return info.getInt(Native.SIGINFO_CODE_OFFSET) == Native.CLD_EXITED ? status : -status;
    }

    @Override
    public void killAndReap() throws IOException {
        if (reaped) {
            return;
        }
        // The pid is still ours (not reaped), so this cannot reach anyone else; SIGKILL cannot be
        // ignored, so the blocking wait below ends as soon as the kernel has torn the child down.
        libc.kill(pid, Native.SIGKILL);
        int result;
        do {
            result = libc.waitid(Native.P_PID, pid, infoAddress, Native.WEXITED);
        } while (result < 0 && Native.errno() == Native.EINTR);
        reaped = true;
        if (result < 0 && Native.errno() != Native.ECHILD) {
            throw new IOException("waitid(" + pid + ") failed: " + libc.strerror(Native.errno()));
        }
    }

    @Override
    public void sendSignal(int signal) {
        if (reaped) {
            throw new ProcessLookupError("the process " + pid + " is gone");
        }
        if (libc.kill(pid, signal) == 0) {
            return;
        }
        int errno = Native.errno();
        if (errno == Native.ESRCH) {
            throw new ProcessLookupError("the process " + pid + " is gone");
        }
        if (errno == Native.EINVAL) {
            throw new IllegalArgumentException("invalid signal number " + signal);
        }
        throw new UncheckedIOException(new IOException("kill(" + pid + ", " + signal + ") failed: " + libc.strerror(errno)));
    }

    @Override
    public ProcessHandle handle() {
        return handle;
    }

    @Override
    public String toString() {
        return "<SpawnedChild pid=" + pid + (reaped ? " reaped" : "") + ">";
    }
}
