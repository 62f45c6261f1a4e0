package asyncio.epoll;

import asyncio.api.subprocess.Stdio;
import asyncio.api.subprocess.SubprocessOptions;
import asyncio.epoll.ffi.LibC;
import asyncio.epoll.ffi.Native;
import asyncio.spi.process.CannotRunProgram;
import asyncio.spi.process.PipeEnd;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts children for one epoll loop without a thread per child: {@code posix_spawnp} (glibc's is
 * a {@code clone(CLONE_VM | CLONE_VFORK)} + exec, as the JDK's own launcher, so it is safe from a
 * JVM thread), the child's stdio from {@code pipe2(O_CLOEXEC)} ends, {@code /dev/null} or files
 * opened by the parent and {@code dup2}'ed onto 0, 1 and 2; every other descriptor closed in the
 * child ({@code addclosefrom_np}: the JVM opens many without {@code O_CLOEXEC}, and an inherited
 * pipe end would keep another child's pipe from ever reaching EOF, so this is Python's
 * {@code close_fds=True}); the signal mask emptied and SIGPIPE and SIGXFSZ set back to default
 * (Python's {@code restore_signals=True}). The exit is a pidfd in the epoll set.
 * Where the C library or kernel lacks a piece ({@link #unsupportedReason()}) the loop falls back
 * to {@link ProcessBuilder}. Used by one thread at a time: the epoll loop's, or under
 * {@link NativeChildren}'s lock (the uring loop spawns off its thread).
 */
final class ChildSpawner {
    private static final int PIPE_SCRATCH = 64 * 1024;
    // Layout of the control buffer: the opaque glibc structures get more room than they need
    // (posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336, sigset_t 128 on 64-bit Linux).
    private static final int ACTIONS = 0;
    private static final int ATTRIBUTES = 256;
    private static final int SIGMASK = 1024;
    private static final int SIGDEFAULT = SIGMASK + 128;
    private static final int FDS = SIGDEFAULT + 128;
    private static final int SIGINFO = FDS + 8;
    private static final int CONTROL_SIZE = SIGINFO + Native.SIGINFO_SIZE;
    /** In place of the envp offset: the child inherits the C environ as it is at the spawn. */
    private static final long INHERIT_ENVIRON = -1;

    private static volatile String unsupported;
    private static volatile boolean probed;
    private static volatile boolean chdirSupported;
    private static volatile boolean pidfdOpenWrapped;

    private final LibC libc;
    private final Charset encoding = platformEncoding();
    private final ByteBuffer control = Native.allocate(CONTROL_SIZE);
    private final long controlAddress = Native.address(control);
    private final ByteBuffer scratch = Native.allocate(PIPE_SCRATCH);
    private final long scratchAddress = Native.address(scratch);

    ChildSpawner(LibC libc) {
        this.libc = libc;
    }

    /** Why this system cannot spawn children this way (then the loop uses ProcessBuilder), or null when it can. */
    static String unsupportedReason(LibC libc) {
        if (!probed) {
            synchronized (ChildSpawner.class) {
                if (!probed) {
                    unsupported = probe(libc);
                    probed = true;
                }
            }
        }
        return unsupported;
    }

    private static String probe(LibC libc) {
        ByteBuffer actions = Native.allocate(256);
        long address = Native.address(actions);
        ByteBuffer root = Native.allocate(2).put(0, (byte) '/');
        if (libc.posix_spawn_file_actions_init(address) != 0) {
            return "posix_spawn_file_actions_init failed";
        }
        try {
            if (libc.posix_spawn_file_actions_addclosefrom_np(address, 3) != 0) {
                return "posix_spawn_file_actions_addclosefrom_np failed";
            }
        } catch (UnsatisfiedLinkError missing) {
            return "the C library has no posix_spawn_file_actions_addclosefrom_np (glibc 2.34+)";
        } finally {
            try {
                chdirSupported = libc.posix_spawn_file_actions_addchdir_np(address, Native.address(root)) == 0;
            } catch (UnsatisfiedLinkError missing) {
                chdirSupported = false;
            }
            libc.posix_spawn_file_actions_destroy(address);
        }
        int self = libc.getpid();
        int pidfd;
        try {
            pidfd = libc.pidfd_open(self, 0);
            pidfdOpenWrapped = true;
        } catch (UnsatisfiedLinkError missing) {
            pidfd = (int) libc.syscall(Native.SYS_PIDFD_OPEN, self, 0);
        }
        if (pidfd < 0) {
            return "pidfd_open failed (Linux 5.3+): " + libc.strerror(Native.errno());
        }
        libc.close(pidfd);
        return null;
    }

    /**
     * Starts {@code args} as {@code options} say, or returns null when this system or these
     * options need the ProcessBuilder path (a working directory without {@code addchdir_np}).
     * Failures are ProcessBuilder's: an IOException "Cannot run program ...", nothing left open.
     */
    SpawnedChild spawn(List<String> args, SubprocessOptions options) throws IOException {
        if (unsupportedReason(libc) != null || (options.cwd() != null && !chdirSupported)) {
            return null;
        }
        Path cwd = options.cwd();
        List<Integer> parentEnds = new ArrayList<>(3);
        List<Integer> childSide = new ArrayList<>(4);
        PipeEnd[] pipes = new PipeEnd[3];
        int[] childFds = {-1, -1, -1};
        boolean started = false;
        try {
            ByteBuffer strings = encode(args, options.env(), cwd);
            childFds[0] = stdio(0, options.stdin(), pipes, parentEnds, childSide);
            childFds[1] = stdio(1, options.stdout(), pipes, parentEnds, childSide);
            childFds[2] = options.stderr() == Stdio.STDOUT ? -1 : stdio(2, options.stderr(), pipes, parentEnds, childSide);
            int pid = launch(strings, childFds, options, cwd != null);
            PidDescriptor exit = watchExit(pid);
            started = true;
            return new SpawnedChild(libc, pid, exit, pipes, control.slice(SIGINFO, Native.SIGINFO_SIZE)
                    .order(control.order()), controlAddress + SIGINFO);
        } catch (SpawnFailed failed) {
            throw CannotRunProgram.of(args.get(0), cwd, failed.errno, libc.strerror(failed.errno), null);
        } catch (IOException failed) {
            throw new IOException("Cannot run program \"" + args.get(0) + "\""
                    + (cwd == null ? "" : " (in directory \"" + cwd + "\")") + ": " + failed.getMessage(), failed);
        } finally {
            // The child has its own copies now (or never will): the parent keeps only its pipe ends.
            closeAll(childSide);
            if (!started) {
                closeAll(parentEnds);
            }
        }
    }

    /** The descriptor the child gets as {@code target}, or -1 to inherit the parent's; opens what it needs. */
    private int stdio(int target, Stdio where, PipeEnd[] pipes, List<Integer> parentEnds, List<Integer> childSide)
            throws IOException {
        if (where == Stdio.INHERIT) {
            return -1;
        }
        if (where.isPipe()) {
            if (libc.pipe2(controlAddress + FDS, Native.O_CLOEXEC) != 0) {
                throw new IOException("pipe2 failed: " + libc.strerror(Native.errno()));
            }
            int readEnd = control.getInt(FDS);
            int writeEnd = control.getInt(FDS + 4);
            int parentEnd = target == 0 ? writeEnd : readEnd;
            parentEnds.add(parentEnd);
            childSide.add(target == 0 ? readEnd : writeEnd);
            // Only the parent's end: O_NONBLOCK belongs to the open file, and each end is its own.
            int flags = libc.fcntl(parentEnd, Native.F_GETFL, 0);
            if (flags < 0 || libc.fcntl(parentEnd, Native.F_SETFL, flags | Native.O_NONBLOCK) < 0) {
                throw new IOException("fcntl(O_NONBLOCK) failed: " + libc.strerror(Native.errno()));
            }
            pipes[target] = new NativePipeEnd(libc, parentEnd, scratch, scratchAddress);
            return target == 0 ? readEnd : writeEnd;
        }
        String path = where == Stdio.DEVNULL ? "/dev/null" : where.path().toString();
        int mode = target == 0 ? Native.O_RDONLY : where == Stdio.DEVNULL ? Native.O_WRONLY
                : Native.O_WRONLY | Native.O_CREAT | Native.O_TRUNC;
        ByteBuffer name = cString(path);
        int fd = libc.open(Native.address(name), mode | Native.O_CLOEXEC, 0666);
        if (fd < 0) {
            // The words of FileInputStream/FileOutputStream, which ProcessBuilder uses for redirects.
            throw new FileNotFoundException(path + " (" + libc.strerror(Native.errno()) + ")");
        }
        childSide.add(fd);
        return fd;
    }

    private int launch(ByteBuffer strings, int[] childFds, SubprocessOptions options, boolean chdir) throws IOException {
        long actions = controlAddress + ACTIONS;
        long attributes = controlAddress + ATTRIBUTES;
        check(libc.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
        try {
            check(libc.posix_spawnattr_init(attributes), "posix_spawnattr_init");
            try {
                for (int target = 0; target < 3; target++) {
                    if (childFds[target] >= 0) {
                        check(libc.posix_spawn_file_actions_adddup2(actions, childFds[target], target), "adddup2");
                    }
                }
                if (options.stderr() == Stdio.STDOUT) {
                    check(libc.posix_spawn_file_actions_adddup2(actions, 1, 2), "adddup2");
                }
                closeDescriptors(actions, options);
                if (chdir) {
                    check(libc.posix_spawn_file_actions_addchdir_np(actions, Native.address(strings) + strings.getLong(0)),
                            "addchdir_np");
                }
                libc.sigemptyset(controlAddress + SIGMASK);
                libc.sigemptyset(controlAddress + SIGDEFAULT);
                libc.sigaddset(controlAddress + SIGDEFAULT, Native.SIGPIPE);
                libc.sigaddset(controlAddress + SIGDEFAULT, Native.SIGXFSZ);
                check(libc.posix_spawnattr_setsigmask(attributes, controlAddress + SIGMASK), "setsigmask");
                check(libc.posix_spawnattr_setsigdefault(attributes, controlAddress + SIGDEFAULT), "setsigdefault");
                short flags = Native.POSIX_SPAWN_SETSIGMASK | Native.POSIX_SPAWN_SETSIGDEF;
                if (options.startNewSession()) {
                    flags |= Native.POSIX_SPAWN_SETSID; // start_new_session: setsid() in the child (glibc 2.26+)
                }
                check(libc.posix_spawnattr_setflags(attributes, flags), "setflags");
                long base = Native.address(strings);
                long argv = base + strings.getLong(8);
                long envp = strings.getLong(16) == INHERIT_ENVIRON ? inheritedEnviron() : base + strings.getLong(16);
                int[] pid = new int[1];
                int error = libc.posix_spawnp(pid, strings.getLong(24) + base, actions, attributes, argv, envp);
                if (error != 0) {
                    throw new SpawnFailed(error);
                }
                return pid[0];
            } finally {
                libc.posix_spawnattr_destroy(attributes);
            }
        } finally {
            libc.posix_spawn_file_actions_destroy(actions);
        }
    }

    /**
     * close_fds: closes every descriptor above 2 in the child but the passed ones, which a dup2
     * onto themselves strips of close-on-exec (glibc 2.29+). A single closefrom cannot skip the
     * passed descriptors, so the range below the highest one is closed one by one (glibc ignores
     * closing a descriptor that is not open).
     */
    private void closeDescriptors(long actions, SubprocessOptions options) throws IOException {
        if (!options.closeFds()) {
            return;
        }
        int[] passed = options.passFds();
        java.util.Arrays.sort(passed);
        int next = 3;
        for (int fd : passed) {
            for (; next < fd; next++) {
                check(libc.posix_spawn_file_actions_addclose(actions, next), "addclose");
            }
            next = fd + 1;
        }
        check(libc.posix_spawn_file_actions_addclosefrom_np(actions, next), "addclosefrom_np");
        for (int fd : passed) {
            check(libc.posix_spawn_file_actions_adddup2(actions, fd, fd), "adddup2");
        }
    }

    /** The C environ now: setenv may have moved its array since the strings were encoded. */
    private static long inheritedEnviron() {
        return Posix.environ();
    }

    /** posix_spawnp refused the program itself, with {@code errno}: the caller words it as every loop does. */
    private static final class SpawnFailed extends IOException {
        private static final long serialVersionUID = 1L;
        private final int errno;

        SpawnFailed(int errno) {
            super("errno " + errno);
            this.errno = errno;
        }
    }

    private void check(int error, String what) throws IOException {
        if (error != 0) {
            throw new IOException(what + " failed: " + libc.strerror(error));
        }
    }

    /** A pidfd for the new child; if none can be had, the child is killed and reaped rather than left unwatched. */
    private PidDescriptor watchExit(int pid) throws IOException {
        int pidfd = pidfdOpenWrapped ? libc.pidfd_open(pid, 0) : (int) libc.syscall(Native.SYS_PIDFD_OPEN, pid, 0);
        if (pidfd >= 0) {
            return new PidDescriptor(libc, pidfd);
        }
        IOException failed = new IOException("pidfd_open(" + pid + ") failed: " + libc.strerror(Native.errno()));
        libc.kill(pid, Native.SIGKILL);
        while (libc.waitid(Native.P_PID, pid, controlAddress + SIGINFO, Native.WEXITED) < 0
                && Native.errno() == Native.EINTR) {
            // a signal interrupted the wait for a child just killed: wait again
        }
        throw failed;
    }

    /**
     * The strings the child gets, NUL-terminated, with the pointer arrays argv and envp, in one
     * direct buffer: a header of four offsets (cwd, argv, envp, argv[0])
     * and then the data. The pointers are absolute, so the buffer must stay put: it is direct.
     */
    private ByteBuffer encode(List<String> args, Map<String, String> env, Path cwd) throws IOException {
        List<byte[]> argBytes = new ArrayList<>(args.size());
        for (String arg : args) {
            argBytes.add(bytes(arg));
        }
        List<byte[]> envBytes = new ArrayList<>();
        // No environment given: the process's C environ, passed as is at the spawn (as Python passes
        // os.environ), so a variable native code set after start-up reaches the child.
        boolean inherit = env == null;
        Map<String, String> environment = inherit ? Map.of() : env;
        for (Map.Entry<String, String> variable : environment.entrySet()) {
            envBytes.add(bytes(variable.getKey() + "=" + variable.getValue()));
        }
        byte[] cwdBytes = cwd == null ? new byte[0] : bytes(cwd.toString());
        int header = 32;
        int argvSize = (argBytes.size() + 1) * 8;
        int envpSize = (envBytes.size() + 1) * 8;
        int textSize = cwdBytes.length + 1;
        for (byte[] arg : argBytes) {
            textSize += arg.length + 1;
        }
        for (byte[] variable : envBytes) {
            textSize += variable.length + 1;
        }
        ByteBuffer buffer = Native.allocate(header + argvSize + envpSize + textSize);
        long base = Native.address(buffer);
        int argv = header;
        int envp = argv + argvSize;
        int text = envp + envpSize;
        buffer.putLong(0, text);
        buffer.putLong(8, argv);
        buffer.putLong(16, inherit ? INHERIT_ENVIRON : envp);
        text = putString(buffer, text, cwdBytes);
        buffer.putLong(24, text);
        for (int i = 0; i < argBytes.size(); i++) {
            buffer.putLong(argv + 8 * i, base + text);
            text = putString(buffer, text, argBytes.get(i));
        }
        buffer.putLong(argv + 8 * argBytes.size(), 0);
        for (int i = 0; i < envBytes.size(); i++) {
            buffer.putLong(envp + 8 * i, base + text);
            text = putString(buffer, text, envBytes.get(i));
        }
        buffer.putLong(envp + 8 * envBytes.size(), 0);
        return buffer;
    }

    private byte[] bytes(String text) throws IOException {
        if (text.indexOf('\u0000') >= 0) {
            throw new IOException("invalid null character in command");
        }
        return text.getBytes(encoding);
    }

    private static int putString(ByteBuffer buffer, int at, byte[] text) {
        buffer.put(at, text);
        buffer.put(at + text.length, (byte) 0);
        return at + text.length + 1;
    }

    private ByteBuffer cString(String text) throws IOException {
        byte[] encoded = bytes(text);
        ByteBuffer buffer = Native.allocate(encoded.length + 1);
        putString(buffer, 0, encoded);
        return buffer;
    }

    private void closeAll(List<Integer> fds) {
        for (int fd : fds) {
            libc.close(fd);
        }
    }

    /** The encoding the JDK uses for command lines and file names (what ProcessBuilder would send). */
    private static Charset platformEncoding() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException unknown) {
            return StandardCharsets.UTF_8;
        }
    }
}
