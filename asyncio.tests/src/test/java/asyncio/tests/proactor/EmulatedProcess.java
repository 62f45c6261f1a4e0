package asyncio.tests.proactor;

import asyncio.api.subprocess.ProcessLookupError;
import asyncio.api.subprocess.Stdio;
import asyncio.api.subprocess.SubprocessOptions;
import asyncio.epoll.ffi.Native;
import asyncio.spi.proactor.ProactorProcess;
import asyncio.spi.proactor.ProactorSocket;
import asyncio.spi.process.CannotRunProgram;
import java.io.File;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.util.List;
import java.util.Map;

/**
 * A child of the emulated proactor loop, standing in for {@code CreateProcessW} with overlapped
 * named pipes: started with {@link ProcessBuilder}, each piped stream an NIO pipe whose child end
 * the JDK opens through {@code /proc/self/fd} (so the parent's end is a selectable channel the
 * emulated port reads and writes). The exit is the JDK's {@link Process#onExit()}, which the port
 * turns into a completion, as a Windows wait callback posts one. Linux only (as the emulation).
 */
final class EmulatedProcess implements ProactorProcess {
    private static final int SIGKILL = 9;
    private static final int SIGTERM = 15;
    private static final MethodHandle GET_FD = fdGetter();

    private final Process process;
    private final ProactorSocket[] pipes = new ProactorSocket[3];
    private final Object[] pipeObjects = new Object[3];
    private int lastSignal;

    private EmulatedProcess(Process process) {
        this.process = process;
    }

    private static MethodHandle fdGetter() {
        try {
            Class<?> selChImpl = Class.forName("sun.nio.ch.SelChImpl");
            return MethodHandles.lookup().findVirtual(selChImpl, "getFDVal", MethodType.methodType(int.class))
                    .asType(MethodType.methodType(int.class, SelectableChannel.class));
        } catch (ReflectiveOperationException failed) {
            throw new IllegalStateException("the emulated proactor needs --add-exports java.base/sun.nio.ch", failed);
        }
    }

    /** The path under which the child's end of {@code channel} is opened again (a pipe reopened by name). */
    private static File reopenable(SelectableChannel channel) {
        try {
            return new File("/proc/self/fd/" + (int) GET_FD.invokeExact(channel));
        } catch (Throwable failed) {
            throw new IllegalStateException("cannot read the descriptor of " + channel, failed);
        }
    }

    static EmulatedProcess start(EmulatedCompletionPort port, List<String> args, SubprocessOptions options)
            throws IOException {
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
        Pipe in = options.stdin().isPipe() ? Pipe.open() : null;
        Pipe out = options.stdout().isPipe() ? Pipe.open() : null;
        Pipe err = options.stderr().isPipe() ? Pipe.open() : null;
        try {
            builder.redirectInput(in != null ? ProcessBuilder.Redirect.from(reopenable(in.source()))
                    : input(options.stdin()));
            builder.redirectOutput(out != null ? ProcessBuilder.Redirect.appendTo(reopenable(out.sink()))
                    : output(options.stdout()));
            if (options.stderr() == Stdio.STDOUT) {
                builder.redirectErrorStream(true);
            } else {
                builder.redirectError(err != null ? ProcessBuilder.Redirect.appendTo(reopenable(err.sink()))
                        : output(options.stderr()));
            }
            EmulatedProcess child;
            try {
                child = new EmulatedProcess(builder.start());
            } catch (IOException failed) {
                throw CannotRunProgram.fromProcessBuilder(args.get(0), options.cwd(), failed);
            }
            // The child has its own ends now; the parent keeps only its side of each pipe.
            child.adopt(port, 0, in == null ? null : in.sink(), in == null ? null : in.source());
            child.adopt(port, 1, out == null ? null : out.source(), out == null ? null : out.sink());
            child.adopt(port, 2, err == null ? null : err.source(), err == null ? null : err.sink());
            return child;
        } catch (IOException | RuntimeException | Error failed) {
            for (Pipe pipe : new Pipe[] {in, out, err}) {
                if (pipe != null) {
                    closeQuietly(pipe.source());
                    closeQuietly(pipe.sink());
                }
            }
            throw failed;
        }
    }

    private void adopt(EmulatedCompletionPort port, int fd, SelectableChannel ours, SelectableChannel childs)
            throws IOException {
        if (ours == null) {
            return;
        }
        childs.close();
        ours.configureBlocking(false);
        pipes[fd] = new EmulatedSocket(port, ours);
        pipeObjects[fd] = ours;
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // Failing already: the first error is the one reported.
        }
    }

    private static ProcessBuilder.Redirect input(Stdio where) {
        if (where == Stdio.INHERIT) {
            return ProcessBuilder.Redirect.INHERIT;
        }
        return ProcessBuilder.Redirect.from(where == Stdio.DEVNULL ? new File("/dev/null") : where.path().toFile());
    }

    private static ProcessBuilder.Redirect output(Stdio where) {
        if (where == Stdio.INHERIT) {
            return ProcessBuilder.Redirect.INHERIT;
        }
        return where == Stdio.DEVNULL ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(where.path().toFile());
    }

    Process process() {
        return process;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public ProactorSocket pipe(int fd) {
        return pipes[fd];
    }

    @Override
    public Object pipeObject(int fd) {
        return pipeObjects[fd];
    }

    @Override
    public void sendSignal(int signal) {
        if (!process.isAlive()) {
            return;  // exited and reaped by the JDK; the port has not told the loop yet
        }
        lastSignal = signal;
        switch (signal) {
            case SIGTERM -> process.destroy();
            case SIGKILL -> process.destroyForcibly();
            default -> {
                if (Native.libc().kill((int) process.pid(), signal) != 0) {
                    throw new ProcessLookupError("kill(" + process.pid() + ", " + signal + ") failed");
                }
            }
        }
    }

    /** The JDK reports death by signal N as 128 + N: when we sent N, it is reported as asyncio does (-N). */
    @Override
    public int returncode() {
        int status = process.exitValue();
        return lastSignal != 0 && status == 128 + lastSignal ? -lastSignal : status;
    }

    @Override
    public ProcessHandle handle() {
        return process.toHandle();
    }

    @Override
    public void close() {
        // A Process holds no handle of its own once its streams (unused here: all redirected) are gone.
    }
}
