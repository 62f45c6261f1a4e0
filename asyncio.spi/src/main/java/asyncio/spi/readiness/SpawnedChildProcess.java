package asyncio.spi.readiness;

import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.Protocol;
import asyncio.spi.process.ChildProcess;
import asyncio.spi.process.PipeEnd;
import asyncio.spi.process.ProcessTransport;
import asyncio.spi.process.SpawnedProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.function.IntConsumer;

/**
 * A child a loop module spawned itself ({@link SpawnedProcess}): its pipes are the loop's own
 * pipe transports over the raw pipe ends, and its exit is a readable descriptor in the poller.
 * No thread is involved. As in asyncio, each pipe transport has a small protocol that forwards
 * to the process transport ({@code ReadSubprocessPipeProto}, {@code WriteSubprocessPipeProto}).
 */
final class SpawnedChildProcess implements ChildProcess, ReadyListener {
    private final ReadinessEventLoop loop;
    private final SpawnedProcess spawned;
    private ProcessTransport owner;
    private final BaseTransport[] pipes = new BaseTransport[3];
    private Readiness exitWatch;
    private IntConsumer exited;
    private boolean released;

    SpawnedChildProcess(ReadinessEventLoop loop, SpawnedProcess spawned) {
        this.loop = loop;
        this.spawned = spawned;
    }

    @Override
    public long pid() {
        return spawned.pid();
    }

    @Override
    public BaseTransport[] openPipes(ProcessTransport transport) {
        owner = transport;
        try {
            PipeEnd in = spawned.pipe(0);
            if (in != null) {
                pipes[0] = new WritePipeTransport(loop, in, in, in.reportsReaderGone(), new WriteProto(), null,
                        error -> owner.pipeConnectionLost(0, error));
            }
            for (int fd = 1; fd <= 2; fd++) {
                PipeEnd out = spawned.pipe(fd);
                if (out != null) {
                    pipes[fd] = new ReadPipeTransport(loop, out, out, new ReadProto(fd), null);
                }
            }
        } catch (IOException failed) {
            // The poller refused a pipe: nobody will talk to this child, so close its pipes, kill
            // it, and let the exit watch reap it rather than leave a zombie.
            for (int fd = 0; fd <= 2; fd++) {
                if (pipes[fd] != null) {
                    ((ReadinessTransport) pipes[fd]).abort();
                } else {
                    ReadinessEventLoop.closeQuietly(spawned.pipe(fd));
                }
            }
            try {
                spawned.sendSignal(9);
                start(code -> { });
            } catch (RuntimeException alsoFailed) {
                failed.addSuppressed(alsoFailed);
                release();
            }
            throw new UncheckedIOException(failed);
        }
        return pipes;
    }

    @Override
    public void start(IntConsumer onExit) {
        exited = onExit;
        try {
            exitWatch = loop.register(spawned.exitDescriptor(), this);
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
        loop.adoptChild(this);
        exitWatch.watchRead(true);
    }

    /** The exit descriptor is readable: the child has exited (level-triggered, so a spurious wake-up just waits on). */
    @Override
    public void readable() {
        Integer code;
        try {
            code = spawned.reap();
        } catch (IOException failed) {
            // Cannot happen short of a kernel refusing waitid; stop watching rather than spin.
            release();
            throw new UncheckedIOException(failed);
        }
        if (code != null) {
            release();
            exited.accept(code);
        }
    }

    @Override
    public void writable() {
    }

    /** Stops watching and closes the exit descriptor: after the reap, or when the loop closes first. */
    void release() {
        if (released) {
            return;
        }
        released = true;
        if (exitWatch != null) {
            exitWatch.cancel();
        }
        ReadinessEventLoop.closeQuietly(spawned.exitDescriptor());
        loop.forgetChild(this);
    }

    /**
     * The loop closes before this child's exit was seen: kill and reap it now (asyncio's child
     * watchers reap every child too), then release its exit descriptor. Waiting for a killed
     * child is short, and it is the only way not to leave a zombie behind for the JVM's lifetime.
     */
    void reapWithLoop() {
        try {
            spawned.killAndReap();
        } catch (IOException | RuntimeException failed) {
            ReadinessTransport.LOG.warn("cannot reap child {} as its loop closes", spawned.pid(), failed);
        }
        release();
    }

    @Override
    public void sendSignal(int signal) {
        spawned.sendSignal(signal);
    }

    /**
     * Kills the child and closes its pipe ends (without a warning each: the process transport
     * warns once); the loop then reaps it with its other children ({@link #reapWithLoop()}).
     */
    @Override
    public void killWithLoop() {
        try {
            spawned.sendSignal(9);
        } catch (RuntimeException gone) {
            // Already gone: nothing to kill.
        }
        for (BaseTransport pipe : pipes) {
            if (pipe instanceof ReadinessTransport transport) {
                transport.releasedWithLoop();
            }
        }
    }

    @Override
    public ProcessHandle handle() {
        return spawned.handle();
    }

    @Override
    public String toString() {
        return "<SpawnedChildProcess pid=" + spawned.pid() + (released ? " reaped" : "") + ">";
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
