package asyncio.spi.proactor;

import asyncio.api.subprocess.ProcessLookupError;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.Protocol;
import asyncio.spi.process.ChildProcess;
import asyncio.spi.process.ProcessTransport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.IntConsumer;

/**
 * A child on a completion-based loop: its pipes are the proactor pipe transports over the
 * handles the loop module gave, and its exit is one {@link CompletionPort#waitForExit} operation,
 * so no thread reads a pipe or waits for the exit. As asyncio's {@code _WindowsSubprocessTransport}
 * over {@code base_subprocess}: each pipe transport has a small protocol that forwards to the
 * process transport ({@code ReadSubprocessPipeProto}, {@code WriteSubprocessPipeProto}).
 */
final class ProactorChildProcess implements ChildProcess {
    private static final int SIGKILL = 9;

    private final ProactorEventLoop loop;
    private final ProactorProcess process;
    private ProcessTransport owner;
    private ProactorWritePipeTransport stdin;
    private final BaseTransport[] pipes = new BaseTransport[3];
    private Operation exitWait;
    private boolean exited;

    ProactorChildProcess(ProactorEventLoop loop, ProactorProcess process) {
        this.loop = loop;
        this.process = process;
    }

    /** A child nobody will talk to (its caller was cancelled, or the loop closed): kill it, let go of everything. */
    static void discard(ProactorProcess process) {
        try {
            process.sendSignal(SIGKILL);
        } catch (RuntimeException gone) {
            // Already gone: nothing to kill.
        }
        for (int fd = 0; fd <= 2; fd++) {
            ProactorEventLoop.closeQuietly(process.pipe(fd));
        }
        process.close();
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public BaseTransport[] openPipes(ProcessTransport transport) {
        owner = transport;
        ProactorSocket in = process.pipe(0);
        if (in != null) {
            stdin = new ProactorWritePipeTransport(loop, in, process.pipeObject(0), new WriteProto(), null);
            // The stream protocol replaces the pipe's own: the loss reaches the process this way.
            stdin.lossListener = error -> owner.pipeConnectionLost(0, error);
            pipes[0] = stdin;
        }
        for (int fd = 1; fd <= 2; fd++) {
            ProactorSocket out = process.pipe(fd);
            if (out != null) {
                pipes[fd] = new ProactorReadPipeTransport(loop, out, process.pipeObject(fd), new ReadProto(fd), null);
            }
        }
        return pipes;
    }

    @Override
    public void start(IntConsumer onExit) {
        exitWait = loop.port().waitForExit(process, new Completion<>() {
            @Override
            public void completed(Void result) {
                exitWait = null;
                exited = true;
                int code = process.returncode();
                process.close();
                if (stdin != null) {
                    // No reader is left: as asyncio's write pipe learns from its pending read.
                    stdin.readerGone();
                }
                onExit.accept(code);
            }

            @Override
            public void failed(IOException error) {
                exitWait = null;
                throw new IllegalStateException("cannot wait for the exit of child " + process.pid(), error);
            }

            @Override
            public void cancelled() {
                exitWait = null;
            }
        });
    }

    @Override
    public void sendSignal(int signal) {
        if (exited) {
            return;
        }
        process.sendSignal(signal);
    }

    /** The loop closes with the child running: kill it, stop waiting, close its pipes without a warning each, release the handle. */
    @Override
    public void killWithLoop() {
        if (exited) {
            return;
        }
        exited = true;
        try {
            process.sendSignal(SIGKILL);
        } catch (ProcessLookupError | IllegalArgumentException gone) {
            // Already gone: nothing to kill.
        }
        if (exitWait != null) {
            exitWait.cancel();
        }
        for (BaseTransport pipe : pipes) {
            if (pipe instanceof ProactorTransport open && !open.lost) {
                // The process transport warned once for the child and its pipes.
                open.releasedWithLoop();
            }
        }
        process.close();
    }

    @Override
    public ProcessHandle handle() {
        return process.handle();
    }

    @Override
    public String toString() {
        return "<ProactorChildProcess pid=" + process.pid() + (exited ? " exited" : "") + ">";
    }

    /** The protocol of the stdin pipe until the application sets its own: flow control goes to the process's protocol. */
    private final class WriteProto implements BaseProtocol {
        @Override
        public void pauseWriting() {
            owner.getProtocol().pauseWriting();
        }

        @Override
        public void resumeWriting() {
            owner.getProtocol().resumeWriting();
        }
    }

    /** What the stdout or stderr pipe reads goes to the process transport, tagged with its fd. */
    private final class ReadProto implements Protocol {
        private final int fd;

        ReadProto(int fd) {
            this.fd = fd;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            owner.pipeDataReceived(fd, data);
        }

        @Override
        public boolean eofReceived() {
            return false;
        }

        @Override
        public void connectionLost(Throwable error) {
            owner.pipeConnectionLost(fd, error);
        }
    }
}
