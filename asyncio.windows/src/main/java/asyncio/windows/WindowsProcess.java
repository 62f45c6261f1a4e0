package asyncio.windows;

import static asyncio.windows.ffi.ProcessApi.*;
import static asyncio.windows.ffi.WinApi.INVALID_HANDLE_VALUE;

import asyncio.api.subprocess.Stdio;
import asyncio.api.subprocess.SubprocessOptions;
import asyncio.spi.proactor.ProactorProcess;
import asyncio.spi.proactor.ProactorSocket;
import asyncio.spi.process.CannotRunProgram;
import asyncio.windows.ffi.ProcessLayouts;
import asyncio.windows.ffi.Win32Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A child of the Windows loop, started as {@code windows_utils.Popen} starts one: each piped
 * stream is a named pipe with a name of its own, whose parent end ({@code CreateNamedPipeW},
 * FILE_FLAG_OVERLAPPED) the port reads and writes and whose child end ({@code CreateFileW}, not
 * overlapped, inheritable) becomes the child's stdin, stdout or stderr through
 * {@code STARTUPINFOEXW} with STARTF_USESTDHANDLES; then {@code CreateProcessW} with the command
 * line {@link CommandLine} quotes, when given the {@link EnvironmentBlock}, and the
 * {@link InheritedHandles} list, so that the child inherits these three handles and no other
 * inheritable handle of the JVM. The child's ends
 * are closed in the parent right after, so the child's exit is EOF on the parent's ends. Its exit
 * is waited for by the port ({@link ExitWaiters}); its handle is closed by {@link #close}.
 */
final class WindowsProcess implements ProactorProcess {
    private static final int SIGKILL = 9;
    private static final int SIGTERM = 15;
    private static final int ENOENT = 2;
    private static final int EACCES = 13;
    private static final int EINVAL = 22;
    private static final int PIPE_BUFFER = 8192;
    private static final AtomicLong PIPES = new AtomicLong();
    private final Win32Processes processes;
    private final long process;
    private final long pid;
    private final WindowsSocket[] pipes;
    private final PipeHandle[] pipeObjects;
    private boolean closed;
    private int exitCode = Integer.MIN_VALUE;

    private WindowsProcess(Win32Processes processes, long process, long pid, WindowsSocket[] pipes,
                           PipeHandle[] pipeObjects) {
        this.processes = processes;
        this.process = process;
        this.pid = pid;
        this.pipes = pipes;
        this.pipeObjects = pipeObjects;
    }

    /** Starts {@code args} (or a shell command, {@link CommandLine#shell}); throws as CannotRunProgram words it. */
    static WindowsProcess spawn(IocpCompletionPort port, Win32Processes processes, List<String> args,
                                SubprocessOptions options) throws IOException {
        return new Spawn(port, processes).run(args, options);
    }

    /** The handles of one spawn, so that a failure anywhere closes exactly what was opened. */
    private static final class Spawn {
        private final IocpCompletionPort port;
        private final Win32Processes processes;
        private final ByteBuffer inheritable = direct(ProcessLayouts.SECURITY_ATTRIBUTES_SIZE);
        private final long[] parentEnds = {0, 0, 0};
        private final long[] childEnds = {0, 0, 0};
        /** Whether childEnds[i] is ours to close (stderr=STDOUT shares stdout's). */
        private final boolean[] owned = new boolean[3];

        Spawn(IocpCompletionPort port, Win32Processes processes) {
            this.port = port;
            this.processes = processes;
            inheritable.putInt(ProcessLayouts.SECURITY_ATTRIBUTES_LENGTH, ProcessLayouts.SECURITY_ATTRIBUTES_SIZE);
            inheritable.putInt(ProcessLayouts.SECURITY_ATTRIBUTES_INHERIT, 1);
        }

        WindowsProcess run(List<String> args, SubprocessOptions options) throws IOException {
            WindowsSocket[] sockets = new WindowsSocket[3];
            PipeHandle[] objects = new PipeHandle[3];
            try {
                stdio(0, options.stdin());
                stdio(1, options.stdout());
                if (options.stderr() == Stdio.STDOUT) {
                    childEnds[2] = childEnds[1];
                } else {
                    stdio(2, options.stderr());
                }
                long[] started = create(args, options);
                closeChildEnds();
                for (int fd = 0; fd < 3; fd++) {
                    if (parentEnds[fd] != 0) {
                        objects[fd] = new PipeHandle(processes, parentEnds[fd]);
                        parentEnds[fd] = 0; // the PipeHandle closes it from now on
                        sockets[fd] = WindowsSocket.adopt(port, objects[fd], objects[fd].handle, 0, 0);
                    }
                }
                return new WindowsProcess(processes, started[0], started[1], sockets, objects);
            } catch (IOException | RuntimeException | Error failed) {
                closeChildEnds();
                for (int fd = 0; fd < 3; fd++) {
                    closeQuietly(parentEnds[fd]);
                    if (objects[fd] != null) {
                        objects[fd].close();
                    }
                }
                throw failed;
            }
        }

        /** The child's end of stream {@code fd}, and for a pipe the parent's. */
        private void stdio(int fd, Stdio where) throws IOException {
            owned[fd] = true;
            if (where.isPipe()) {
                pipe(fd);
            } else if (where == Stdio.INHERIT) {
                owned[fd] = inheritStandard(fd);
            } else {
                String path = where == Stdio.DEVNULL ? "NUL" : where.path().toString();
                boolean input = fd == 0;
                childEnds[fd] = open(path, input ? GENERIC_READ : GENERIC_WRITE, input || where == Stdio.DEVNULL
                        ? OPEN_EXISTING : CREATE_ALWAYS, 0, "CreateFileW(" + path + ")");
            }
        }

        /**
         * A named pipe: the parent's end first (CreateNamedPipeW, overlapped, the only instance),
         * then the child's (CreateFileW, inheritable), then ConnectNamedPipe, which answers
         * ERROR_PIPE_CONNECTED since the child's end is already open.
         */
        private void pipe(int fd) throws IOException {
            String name = "\\\\.\\pipe\\asyncio-java-" + ProcessHandle.current().pid() + "-"
                    + PIPES.incrementAndGet() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
            ByteBuffer wideName = wide(name);
            boolean stdin = fd == 0;
            long parent = processes.CreateNamedPipeW(IocpCompletionPort.address(wideName),
                    (stdin ? PIPE_ACCESS_OUTBOUND : PIPE_ACCESS_INBOUND) | FILE_FLAG_OVERLAPPED
                            | FILE_FLAG_FIRST_PIPE_INSTANCE,
                    PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS,
                    1, PIPE_BUFFER, PIPE_BUFFER, NMPWAIT_WAIT_FOREVER, 0);
            if (parent == INVALID_HANDLE_VALUE) {
                throw WinErrors.exception(processes.lastError(), "CreateNamedPipeW");
            }
            parentEnds[fd] = parent;
            childEnds[fd] = open(name, stdin ? GENERIC_READ : GENERIC_WRITE, OPEN_EXISTING, 0, "CreateFileW(pipe)");
            // The handle is overlapped, so ConnectNamedPipe takes an OVERLAPPED; the port does not
            // know the handle yet, so nothing is posted for it.
            ByteBuffer overlapped = direct(asyncio.windows.ffi.Offsets.OVERLAPPED_SIZE);
            if (processes.ConnectNamedPipe(parent, IocpCompletionPort.address(overlapped)) == 0) {
                int error = processes.lastError();
                if (error != ERROR_PIPE_CONNECTED) {
                    throw WinErrors.exception(error, "ConnectNamedPipe");
                }
            }
        }

        private long open(String path, int access, int disposition, int flags, String call) throws IOException {
            ByteBuffer wideName = wide(path);
            long handle = processes.CreateFileW(IocpCompletionPort.address(wideName), access,
                    FILE_SHARE_READ | FILE_SHARE_WRITE, IocpCompletionPort.address(inheritable), disposition,
                    flags == 0 ? FILE_ATTRIBUTE_NORMAL : flags, 0);
            if (handle == INVALID_HANDLE_VALUE) {
                throw WinErrors.exception(processes.lastError(), call);
            }
            return handle;
        }

        /** The parent's own stream, duplicated inheritable (none: the child gets none either). True if a copy was made. */
        private boolean inheritStandard(int fd) throws IOException {
            long standard = processes.GetStdHandle(STD_INPUT_HANDLE - fd);
            if (standard == 0 || standard == INVALID_HANDLE_VALUE) {
                childEnds[fd] = standard;
                return false;
            }
            long self = processes.GetCurrentProcess();
            ByteBuffer copy = direct(8);
            if (processes.DuplicateHandle(self, standard, self, IocpCompletionPort.address(copy), 0, 1,
                    DUPLICATE_SAME_ACCESS) == 0) {
                throw WinErrors.exception(processes.lastError(), "DuplicateHandle");
            }
            childEnds[fd] = copy.getLong(0);
            return true;
        }

        /**
         * CreateProcessW, inheriting only the child's ends (the list is deleted and freed right
         * after); returns {process handle, pid}. The thread handle is closed at once.
         */
        private long[] create(List<String> args, SubprocessOptions options) throws IOException {
            ByteBuffer information = direct(ProcessLayouts.PROCESS_INFORMATION_SIZE);
            String application = CommandLine.application(args);
            ByteBuffer applicationName = application == null ? null : wide(application);
            ByteBuffer commandLine = wide(CommandLine.of(args)); // writable: CreateProcessW may change it
            ByteBuffer environment = options.env() == null ? null : EnvironmentBlock.of(options.env());
            Path cwd = options.cwd();
            ByteBuffer directory = cwd == null ? null : wide(cwd.toString());
            int flags = environment == null ? 0 : CREATE_UNICODE_ENVIRONMENT;
            try (InheritedHandles inherited = InheritedHandles.of(processes, childEnds)) {
                ByteBuffer startup = startupInfo(inherited);
                int ok = processes.CreateProcessW(addressOf(applicationName), addressOf(commandLine), 0, 0,
                        inherited == null ? 0 : 1, inherited == null ? flags : flags | EXTENDED_STARTUPINFO_PRESENT,
                        addressOf(environment), addressOf(directory), IocpCompletionPort.address(startup),
                        IocpCompletionPort.address(information));
                if (ok == 0) {
                    int error = processes.lastError();
                    throw CannotRunProgram.of(args.get(0), cwd, errno(error), strerror(error), null);
                }
            }
            processes.CloseHandle(information.getLong(ProcessLayouts.PROCESS_INFORMATION_THREAD));
            return new long[] {information.getLong(ProcessLayouts.PROCESS_INFORMATION_PROCESS),
                Integer.toUnsignedLong(information.getInt(ProcessLayouts.PROCESS_INFORMATION_PROCESS_ID))};
        }

        /** A STARTUPINFOEXW with the child's three handles; its cb says STARTUPINFOW when no list goes with it. */
        private ByteBuffer startupInfo(InheritedHandles inherited) {
            ByteBuffer startup = direct(ProcessLayouts.STARTUPINFOEXW_SIZE);
            startup.putInt(ProcessLayouts.STARTUPINFOW_CB,
                    inherited == null ? ProcessLayouts.STARTUPINFOW_SIZE : ProcessLayouts.STARTUPINFOEXW_SIZE);
            startup.putInt(ProcessLayouts.STARTUPINFOW_FLAGS, STARTF_USESTDHANDLES);
            startup.putLong(ProcessLayouts.STARTUPINFOW_STD_INPUT, childEnds[0]);
            startup.putLong(ProcessLayouts.STARTUPINFOW_STD_OUTPUT, childEnds[1]);
            startup.putLong(ProcessLayouts.STARTUPINFOW_STD_ERROR, childEnds[2]);
            if (inherited != null) {
                startup.putLong(ProcessLayouts.STARTUPINFOEXW_ATTRIBUTE_LIST, inherited.attributeList());
            }
            return startup;
        }

        private void closeChildEnds() {
            for (int fd = 0; fd < 3; fd++) {
                if (owned[fd]) {
                    closeQuietly(childEnds[fd]);
                }
                owned[fd] = false;
                childEnds[fd] = 0;
            }
        }

        private void closeQuietly(long handle) {
            if (handle != 0 && handle != INVALID_HANDLE_VALUE) {
                processes.CloseHandle(handle);
            }
        }
    }

    /** The errno Python's OSError carries for a Windows error of CreateProcess (winerror -> errno, as CPython maps them). */
    static int errno(int error) {
        return switch (error) {
            case ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND -> ENOENT;
            case ERROR_ACCESS_DENIED -> EACCES;
            default -> EINVAL; // as CPython's winerror table maps the codes it does not name
        };
    }

    /** Windows' words for the errors a spawn commonly meets (FormatMessage's), else WinErrors'. */
    static String strerror(int error) {
        return switch (error) {
            case ERROR_FILE_NOT_FOUND -> "The system cannot find the file specified";
            case ERROR_PATH_NOT_FOUND -> "The system cannot find the path specified";
            case ERROR_ACCESS_DENIED -> "Access is denied";
            default -> WinErrors.describe(error);
        };
    }

    long processHandle() {
        return process;
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public ProactorSocket pipe(int fd) {
        return pipes[fd];
    }

    @Override
    public Object pipeObject(int fd) {
        return pipeObjects[fd];
    }

    /**
     * As {@code Popen.send_signal} on Windows: TERM and KILL are TerminateProcess (exit code 1),
     * CTRL_C_EVENT and CTRL_BREAK_EVENT go to the child's console process group through
     * GenerateConsoleCtrlEvent (the child must lead one: CREATE_NEW_PROCESS_GROUP), anything else
     * is refused as CPython refuses it.
     */
    @Override
    public void sendSignal(int signal) {
        if (closed) {
            return;
        }
        switch (signal) {
            case SIGTERM, SIGKILL -> terminate();
            case CTRL_C_EVENT, CTRL_BREAK_EVENT -> {
                if (processes.GenerateConsoleCtrlEvent(signal, (int) pid) == 0) {
                    throw new UncheckedIOException(WinErrors.exception(processes.lastError(), "GenerateConsoleCtrlEvent"));
                }
            }
            default -> throw new IllegalArgumentException("Unsupported signal: " + signal);
        }
    }

    /** TerminateProcess; refused for a child that has exited already, which is no error (as Popen.terminate). */
    private void terminate() {
        if (processes.TerminateProcess(process, 1) != 0) {
            return;
        }
        int error = processes.lastError();
        if (exitCodeNow() == STILL_ACTIVE) {
            throw new UncheckedIOException(WinErrors.exception(error, "TerminateProcess"));
        }
    }

    private int exitCodeNow() {
        ByteBuffer code = direct(4);
        if (processes.GetExitCodeProcess(process, IocpCompletionPort.address(code)) == 0) {
            throw new UncheckedIOException(WinErrors.exception(processes.lastError(), "GetExitCodeProcess"));
        }
        return code.getInt(0);
    }

    /** GetExitCodeProcess, read once the exit was seen (Windows has no death by signal: a kill exits with 1). */
    @Override
    public int returncode() {
        if (exitCode == Integer.MIN_VALUE) {
            exitCode = exitCodeNow();
        }
        return exitCode;
    }

    @Override
    public ProcessHandle handle() {
        return ProcessHandle.of(pid).orElse(null);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            processes.CloseHandle(process);
        }
    }

    @Override
    public String toString() {
        return "<WindowsProcess pid=" + pid + (closed ? " closed" : "") + ">";
    }

    /**
     * The parent's end of a child's pipe as the application sees it ({@code getExtraInfo("pipe")},
     * asyncio's {@code PipeHandle}); closing it closes the handle, which aborts its operations.
     */
    static final class PipeHandle implements Channel {
        private final Win32Processes processes;
        final long handle;
        private boolean open = true;

        PipeHandle(Win32Processes processes, long handle) {
            this.processes = processes;
            this.handle = handle;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            if (open) {
                open = false;
                processes.CloseHandle(handle);
            }
        }

        @Override
        public String toString() {
            return "<PipeHandle handle=" + handle + (open ? "" : " closed") + ">";
        }
    }

    static ByteBuffer direct(int size) {
        return IocpCompletionPort.direct(size);
    }

    /** A NUL-terminated UTF-16LE copy of {@code text} in native memory. */
    static ByteBuffer wide(String text) {
        ByteBuffer buffer = direct(2 * text.length() + 2);
        for (int i = 0; i < text.length(); i++) {
            buffer.putChar(2 * i, text.charAt(i));
        }
        buffer.putChar(2 * text.length(), '\0');
        return buffer;
    }

    private static long addressOf(ByteBuffer buffer) {
        return buffer == null ? 0 : IocpCompletionPort.address(buffer);
    }
}
