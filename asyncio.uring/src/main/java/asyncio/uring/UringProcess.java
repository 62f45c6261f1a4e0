package asyncio.uring;

import asyncio.spi.proactor.Completion;
import asyncio.spi.proactor.Operation;
import asyncio.spi.proactor.ProactorProcess;
import asyncio.spi.proactor.ProactorSocket;
import asyncio.spi.process.PipeEnd;
import asyncio.spi.process.SpawnedProcess;
import asyncio.uring.ffi.Kernel;
import java.io.IOException;

/**
 * A child of the io_uring loop, started as the epoll loop starts its children
 * ({@code asyncio.epoll.NativeChildren}: {@code posix_spawnp}, {@code pipe2} ends, a pidfd). The
 * ring reads and writes its pipe ends (IORING_OP_READ/WRITE) and polls its pidfd
 * (IORING_OP_POLL_ADD), so its exit completes on the loop thread with no thread waiting for it;
 * the child is then reaped with {@code waitid}. Until the reap its pid stays a zombie, so a signal
 * cannot reach another process.
 */
final class UringProcess implements ProactorProcess {
    private final UringCompletionPort port;
    private final SpawnedProcess child;
    private final UringSocket[] pipes = new UringSocket[3];
    /** The pidfd as a socket of the ring, once waited on. */
    private UringSocket exit;
    private Integer returncode;
    private boolean closed;

    UringProcess(UringCompletionPort port, SpawnedProcess child) {
        this.port = port;
        this.child = child;
    }

    @Override
    public long pid() {
        return child.pid();
    }

    @Override
    public ProactorSocket pipe(int fd) {
        if (fd < 0 || fd > 2) {
            return null;
        }
        PipeEnd end = child.pipe(fd);
        if (pipes[fd] == null && end != null) {
            pipes[fd] = new UringSocket(port, end);
        }
        return pipes[fd];
    }

    /** The raw pipe end, as the epoll loop shows it in {@code getExtraInfo("pipe")}. */
    @Override
    public Object pipeObject(int fd) {
        return fd >= 0 && fd <= 2 ? child.pipe(fd) : null;
    }

    @Override
    public void sendSignal(int signal) {
        child.sendSignal(signal);
    }

    @Override
    public int returncode() {
        if (returncode == null) {
            throw new IllegalStateException("pid " + pid() + " has not been seen to exit");
        }
        return returncode;
    }

    @Override
    public ProcessHandle handle() {
        return child.handle();
    }

    /** Completes once the pidfd is readable and the child has been reaped (loop thread). */
    Operation waitForExit(Completion<Void> completion) {
        if (exit == null) {
            exit = new UringSocket(port, child.exitDescriptor());
        }
        return new ExitWait(completion).start();
    }

    /**
     * Reaps a child that is still running (a discarded one, or the loop closing first): it has
     * been sent SIGKILL, so the wait is short, and no zombie outlives the loop. Then closes the pidfd.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (returncode == null) {
            try {
                child.killAndReap();
            } catch (IOException ignored) {
                // Nothing more can be done for a child waitid refuses; the pidfd is closed below all the same.
            }
        }
        try {
            if (exit != null) {
                exit.close();
            } else {
                child.exitDescriptor().close();
            }
        } catch (IOException ignored) {
            // closing a pidfd does not fail in a way that matters here
        }
    }

    @Override
    public String toString() {
        return "<UringProcess pid=" + pid() + (returncode != null ? " returncode=" + returncode : "") + ">";
    }

    /** One wait for the exit: polls the pidfd until the reap gives a code (readable means exited). */
    private final class ExitWait implements Operation, Completion<Integer> {
        private final Completion<Void> completion;
        private Operation poll;
        private boolean cancelled;

        ExitWait(Completion<Void> completion) {
            this.completion = completion;
        }

        ExitWait start() {
            poll = port.pollFor(exit, Kernel.POLLIN, this);
            return this;
        }

        @Override
        public void completed(Integer events) {
            Integer code;
            try {
                code = child.reap();
            } catch (IOException failed) {
                completion.failed(failed);
                return;
            }
            if (code != null) {
                returncode = code;
                completion.completed(null);
            } else if (cancelled) {
                completion.cancelled();
            } else {
                start();
            }
        }

        @Override
        public void failed(IOException error) {
            completion.failed(error);
        }

        @Override
        public void cancelled() {
            completion.cancelled();
        }

        @Override
        public void cancel() {
            cancelled = true;
            poll.cancel();
        }
    }
}
