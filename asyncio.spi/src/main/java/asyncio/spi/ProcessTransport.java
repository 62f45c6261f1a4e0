package asyncio.spi;

import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.subprocess.ProcessLookupError;
import asyncio.api.subprocess.Stdio;
import asyncio.api.subprocess.SubprocessOptions;
import asyncio.api.subprocess.SubprocessProtocol;
import asyncio.api.subprocess.SubprocessTransport;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.BaseTransport;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A child process started with {@link ProcessBuilder}, its pipes as transports, and asyncio's
 * order of callbacks: {@code connectionMade}, pipe data, {@code processExited} and
 * {@code pipeConnectionLost} as they happen, and {@code connectionLost} only once the child has
 * exited and every pipe is closed. Mirrors {@code asyncio.base_subprocess.BaseSubprocessTransport}.
 */
final class ProcessTransport implements SubprocessTransport {
    private static final int SIGKILL = 9;
    private static final int SIGTERM = 15;

    private final EventLoop loop;
    private final SubprocessProtocol protocol;
    private final Process process;
    private final ProcessWritePipe stdin;
    private final ProcessReadPipe stdout;
    private final ProcessReadPipe stderr;
    private final List<Integer> openPipes = new ArrayList<>();
    private final List<Future<Integer>> exitWaiters = new ArrayList<>();
    private Integer returncode;
    private int lastSignal;
    private boolean closed;
    private boolean finished;

    private ProcessTransport(EventLoop loop, SubprocessProtocol protocol, Process process, SubprocessOptions options) {
        this.loop = loop;
        this.protocol = protocol;
        this.process = process;
        this.stdin = options.stdin().isPipe() ? new ProcessWritePipe(loop, process.getOutputStream(), this) : null;
        this.stdout = options.stdout().isPipe() ? new ProcessReadPipe(loop, 1, process.getInputStream(), this) : null;
        boolean separateStderr = options.stderr().isPipe();
        this.stderr = separateStderr ? new ProcessReadPipe(loop, 2, process.getErrorStream(), this) : null;
        if (stdin != null) {
            openPipes.add(0);
        }
        if (stdout != null) {
            openPipes.add(1);
        }
        if (stderr != null) {
            openPipes.add(2);
        }
    }

    /** Starts {@code args} and schedules {@code connectionMade}; {@code waiter} completes right after it. */
    static ProcessTransport start(EventLoop loop, SubprocessProtocol protocol, List<String> args,
                                  SubprocessOptions options, Future<Void> waiter) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(args);
        if (options.cwd() != null) {
            builder.directory(options.cwd().toFile());
        }
        if (options.env() != null) {
            Map<String, String> environment = builder.environment();
            environment.clear();
            environment.putAll(options.env());
        }
        builder.redirectInput(input(options.stdin()));
        builder.redirectOutput(output(options.stdout()));
        if (options.stderr() == Stdio.STDOUT) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectError(output(options.stderr()));
        }
        ProcessTransport transport = new ProcessTransport(loop, protocol, builder.start(), options);
        loop.callSoon(() -> transport.connect(waiter));
        return transport;
    }

    private static ProcessBuilder.Redirect input(Stdio where) {
        if (where.isPipe()) {
            return ProcessBuilder.Redirect.PIPE;
        }
        if (where == Stdio.INHERIT) {
            return ProcessBuilder.Redirect.INHERIT;
        }
        return ProcessBuilder.Redirect.from(where == Stdio.DEVNULL ? nullDevice() : where.path().toFile());
    }

    private static ProcessBuilder.Redirect output(Stdio where) {
        if (where.isPipe()) {
            return ProcessBuilder.Redirect.PIPE;
        }
        if (where == Stdio.INHERIT) {
            return ProcessBuilder.Redirect.INHERIT;
        }
        return where == Stdio.DEVNULL ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(where.path().toFile());
    }

    private static File nullDevice() {
        return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private void connect(Future<Void> waiter) {
        try {
            protocol.connectionMade(this);
        } finally {
            // Pipes start after connectionMade, so no data or exit can be reported before it.
            if (stdin != null) {
                stdin.start();
            }
            if (stdout != null) {
                stdout.start();
            }
            if (stderr != null) {
                stderr.start();
            }
            process.onExit().thenRun(() -> {
                try {
                    loop.callSoonThreadsafe(this::processExited);
                } catch (IllegalStateException loopClosed) {
                    // Nobody is left to tell.
                }
            });
            if (waiter != null && !waiter.done()) {
                waiter.setResult(null);
            }
        }
    }

    // --- from the pipes ---

    void pipeDataReceived(int fd, ByteBuffer data) {
        protocol.pipeDataReceived(fd, data);
    }

    void pipeConnectionLost(int fd, Throwable error) {
        openPipes.remove(Integer.valueOf(fd));
        loop.callSoon(() -> protocol.pipeConnectionLost(fd, error));
        tryFinish();
    }

    private void processExited() {
        ((ReadinessEventLoop) loop).processReleased(this);
        int status = process.exitValue();
        // The JDK reports death by signal N as 128 + N: when we sent N, report it as asyncio does (-N).
        returncode = lastSignal != 0 && status == 128 + lastSignal ? -lastSignal : status;
        loop.callSoon(protocol::processExited);
        tryFinish();
        for (Future<Integer> waiter : exitWaiters) {
            if (!waiter.cancelled() && !waiter.done()) {
                waiter.setResult(returncode);
            }
        }
        exitWaiters.clear();
    }

    private void tryFinish() {
        if (finished || returncode == null || !openPipes.isEmpty()) {
            return;
        }
        finished = true;
        loop.callSoon(() -> protocol.connectionLost(null));
    }

    /** Completes with the return code once the child has exited. Mirrors {@code _wait()}. */
    Future<Integer> exitFuture() {
        Future<Integer> waiter = loop.createFuture();
        if (returncode != null) {
            waiter.setResult(returncode);
        } else {
            exitWaiters.add(waiter);
        }
        return waiter;
    }

    // --- SubprocessTransport ---

    @Override
    public long getPid() {
        return process.pid();
    }

    @Override
    public BaseTransport getPipeTransport(int fd) {
        return switch (fd) {
            case 0 -> stdin;
            case 1 -> stdout;
            case 2 -> stderr;
            default -> null;
        };
    }

    @Override
    public Integer getReturncode() {
        return returncode;
    }

    @Override
    public void sendSignal(int signal) {
        if (closed && returncode == null && !process.isAlive()) {
            throw new ProcessLookupError("the process is gone");
        }
        if (returncode != null || !process.isAlive()) {
            return;
        }
        lastSignal = signal;
        switch (signal) {
            case SIGTERM -> process.destroy();
            case SIGKILL -> process.destroyForcibly();
            default -> signalWithKill(signal);
        }
    }

    private void signalWithKill(int signal) {
        // The JDK can only send TERM and KILL itself; kill(1) sends any other.
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new ProcessLookupError("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException failed) {
            throw new ProcessLookupError("cannot run kill: " + failed.getMessage());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new ProcessLookupError("interrupted while signalling " + process.pid());
        }
    }

    @Override
    public void terminate() {
        sendSignal(SIGTERM);
    }

    @Override
    public void kill() {
        sendSignal(SIGKILL);
    }

    /** Closes the pipes and kills a child still running. Mirrors {@code close()}. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ((ReadinessEventLoop) loop).processReleased(this);
        if (stdin != null) {
            stdin.close();
        }
        if (stdout != null) {
            stdout.close();
        }
        if (stderr != null) {
            stderr.close();
        }
        if (returncode == null && process.isAlive()) {
            lastSignal = SIGKILL;
            process.destroyForcibly();
        }
    }

    @Override
    public boolean isClosing() {
        return closed;
    }

    @Override
    public Object getExtraInfo(String name, Object defaultValue) {
        return "subprocess".equals(name) ? process : defaultValue;
    }

    @Override
    public void setProtocol(BaseProtocol newProtocol) {
        throw new UnsupportedOperationException("the protocol of a subprocess transport is fixed");
    }

    @Override
    public BaseProtocol getProtocol() {
        return protocol;
    }

    @Override
    public String toString() {
        return "<ProcessTransport pid=" + process.pid() + (returncode != null ? " returncode=" + returncode : " running")
                + (closed ? " closed" : "") + ">";
    }
}
