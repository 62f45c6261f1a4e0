package asyncio.spi.readiness;

import asyncio.api.EventLoop;
import asyncio.api.subprocess.ProcessLookupError;
import asyncio.api.subprocess.Stdio;
import asyncio.api.subprocess.SubprocessOptions;
import asyncio.api.transports.BaseTransport;
import asyncio.spi.process.CannotRunProgram;
import asyncio.spi.process.ChildProcess;
import asyncio.spi.process.ProcessTransport;
import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * A child started with {@link ProcessBuilder}: the portable way, used by every loop that does
 * not spawn children itself. The JDK gives the pipes only as blocking streams, so each pipe has
 * a virtual thread ({@link ProcessReadPipe}, {@link ProcessWritePipe}), and the exit is noticed
 * by the JDK's reaper thread. The JDK reports death by signal N as 128 + N; only a signal sent
 * through this transport can be told from a real exit status of 128 + N.
 */
final class JdkChildProcess implements ChildProcess {
    private static final int SIGKILL = 9;
    private static final int SIGTERM = 15;

    private final EventLoop loop;
    private final Process process;
    private final SubprocessOptions options;
    private ProcessWritePipe stdin;
    private ProcessReadPipe stdout;
    private ProcessReadPipe stderr;
    private int lastSignal;

    private JdkChildProcess(EventLoop loop, Process process, SubprocessOptions options) {
        this.loop = loop;
        this.process = process;
        this.options = options;
    }

    /** Starts {@code args} as {@code options} say. */
    static JdkChildProcess start(EventLoop loop, List<String> args, SubprocessOptions options) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(args);
        if (options.cwd() != null) {
            builder.directory(options.cwd().toFile());
        }
        // Touch environment() only for an env of our own: left alone, the JDK starts the child with
        // the process's C environ as it is now (posix_spawn of its helper with environ, or a
        // vfork/fork that shares it), as Python's child gets os.environ; the first call to
        // environment() instead copies Java's start-up snapshot, blind to setenv/unsetenv since.
        // SubprocessSpawnTest.aChildWithNoEnvironmentOfItsOwnGetsTheCEnviron holds this.
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
        try {
            return new JdkChildProcess(loop, builder.start(), options);
        } catch (IOException failed) {
            throw CannotRunProgram.fromProcessBuilder(args.get(0), options.cwd(), failed);
        }
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

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public BaseTransport[] openPipes(ProcessTransport owner) {
        stdin = options.stdin().isPipe() ? new ProcessWritePipe(loop, process.getOutputStream(), owner) : null;
        stdout = options.stdout().isPipe() ? new ProcessReadPipe(loop, 1, process.getInputStream(), owner) : null;
        stderr = options.stderr().isPipe() ? new ProcessReadPipe(loop, 2, process.getErrorStream(), owner) : null;
        return new BaseTransport[] {stdin, stdout, stderr};
    }

    @Override
    public void start(IntConsumer exited) {
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
                loop.callSoonThreadsafe(() -> {
                    if (stdin != null) {
                        stdin.readerGone();
                    }
                    exited.accept(returncode());
                });
            } catch (IllegalStateException loopClosed) {
                // Nobody is left to tell.
            }
        });
    }

    private int returncode() {
        int status = process.exitValue();
        // The JDK reports death by signal N as 128 + N: when we sent N, report it as asyncio does (-N).
        return lastSignal != 0 && status == 128 + lastSignal ? -lastSignal : status;
    }

    @Override
    public void sendSignal(int signal) {
        if (!process.isAlive()) {
            return;  // exited, the JDK reaped it, and the loop has not heard yet: like Popen.send_signal
        }
        lastSignal = signal;
        switch (signal) {
            case SIGTERM -> process.destroy();
            case SIGKILL -> process.destroyForcibly();
            default -> {
                if (!((ReadinessEventLoop) loop).killProcess(process.pid(), signal)) {
                    signalWithKill(signal);
                }
            }
        }
    }

    private void signalWithKill(int signal) {
        // The JDK can only send TERM and KILL itself; where the loop has no kill(2), kill(1) sends any other.
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
    public void killWithLoop() {
        if (!process.isAlive()) {
            return;
        }
        // Closing our ends ends the pipe threads; the loop cannot take their last callbacks.
        ReadinessEventLoop.closeQuietly(process.getOutputStream());
        ReadinessEventLoop.closeQuietly(process.getInputStream());
        ReadinessEventLoop.closeQuietly(process.getErrorStream());
        process.destroyForcibly();
    }

    @Override
    public ProcessHandle handle() {
        return process.toHandle();
    }
}
