package asyncio.epoll.ffi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * The loaded C library and the Linux constants the loop uses. Loading happens once, on first use;
 * {@link #loadFailure()} says why it failed, for the provider's probe. The constants are the
 * generic Linux values, the same on x86-64 and aarch64 (the architectures jffi ships for).
 */
public final class Native {
    // epoll_ctl operations and event bits (sys/epoll.h)
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;
    public static final int EPOLLIN = 0x001;
    public static final int EPOLLOUT = 0x004;
    public static final int EPOLLERR = 0x008;
    public static final int EPOLLHUP = 0x010;
    public static final int EPOLLRDHUP = 0x2000;
    public static final int EPOLL_CLOEXEC = 0x80000;

    // flags of eventfd, socket, accept4, pipe2 (O_NONBLOCK and O_CLOEXEC underneath)
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;

    // fcntl
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;

    // socket domains and types (sys/socket.h)
    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SHUT_WR = 1;
    /** send/sendmsg flag: report EPIPE instead of raising SIGPIPE when the peer is gone. */
    public static final int MSG_NOSIGNAL = 0x4000;

    // errno values (asm-generic/errno.h)
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int EEXIST = 17;
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int EPIPE = 32;
    public static final int EMSGSIZE = 90;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENETUNREACH = 101;
    public static final int ECONNABORTED = 103;
    public static final int ECONNRESET = 104;
    public static final int EISCONN = 106;
    public static final int ENOTCONN = 107;
    public static final int ETIMEDOUT = 110;
    public static final int ECONNREFUSED = 111;
    public static final int EHOSTUNREACH = 113;
    public static final int EALREADY = 114;
    public static final int EINPROGRESS = 115;

    // child processes (spawn.h, sys/wait.h, signal.h, fcntl.h, asm-generic/unistd.h)
    public static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    public static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    public static final short POSIX_SPAWN_SETSID = 0x80;
    public static final int P_PID = 1;
    public static final int WNOHANG = 1;
    public static final int WEXITED = 4;
    public static final int CLD_EXITED = 1;
    public static final int SIGKILL = 9;
    public static final int SIGPIPE = 13;
    public static final int SIGXFSZ = 25;
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0x40;
    public static final int O_TRUNC = 0x200;
    public static final int ESRCH = 3;
    public static final int ECHILD = 10;
    /** The same number on every architecture: syscalls added since 5.1 share one table. */
    public static final long SYS_PIDFD_OPEN = 434;
    /** {@code siginfo_t} is 128 bytes; on 64-bit Linux si_code is at 8, and for SIGCHLD si_pid at 16, si_status at 24. */
    public static final int SIGINFO_SIZE = 128;
    public static final int SIGINFO_CODE_OFFSET = 8;
    public static final int SIGINFO_PID_OFFSET = 16;
    public static final int SIGINFO_STATUS_OFFSET = 24;

    /**
     * Size of {@code struct epoll_event}: packed (12 bytes) on x86-64 for compatibility with
     * 32-bit code, naturally aligned (16 bytes) elsewhere. The 64-bit data follows the 32-bit
     * events at offset 4 or 8.
     */
    public static final int EPOLL_EVENT_SIZE;
    /** Offset of the data field in {@code struct epoll_event}. */
    public static final int EPOLL_EVENT_DATA_OFFSET;

    static {
        boolean packed = "amd64".equals(System.getProperty("os.arch")) || "x86_64".equals(System.getProperty("os.arch"));
        EPOLL_EVENT_SIZE = packed ? 12 : 16;
        EPOLL_EVENT_DATA_OFFSET = packed ? 4 : 8;
    }

    private static final class Loaded {
        static final LibC LIBC;
        static final Runtime RUNTIME;
        static final Throwable FAILURE;

        static {
            LibC libc = null;
            Runtime runtime = null;
            Throwable failure = null;
            try {
                libc = LibraryLoader.create(LibC.class).load("c");
                runtime = Runtime.getRuntime(libc);
            } catch (Throwable failed) {
                // LinkageError (jffi's native part missing for this platform) as well as
                // UnsatisfiedLinkError and friends: all mean "this loop cannot run here".
                failure = failed;
            }
            LIBC = libc;
            RUNTIME = runtime;
            FAILURE = failure;
        }
    }

    private Native() {
    }

    /** Why the C library could not be bound, or null when it was. */
    public static Throwable loadFailure() {
        return Loaded.FAILURE;
    }

    /** The bound C library; throws if it could not be loaded (check {@link #loadFailure()} first). */
    public static LibC libc() {
        LibC libc = Loaded.LIBC;
        if (libc == null) {
            throw new IllegalStateException("the C library could not be bound through jnr-ffi", Loaded.FAILURE);
        }
        return libc;
    }

    /** errno of this thread's last bound call. */
    public static int errno() {
        return LastError.getLastError(Loaded.RUNTIME);
    }

    /** A direct buffer of {@code size} bytes in native byte order, for structures. */
    public static ByteBuffer allocate(int size) {
        return ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
    }

    /** The native address of a direct buffer's first byte (not its position). */
    public static long address(ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer");
        }
        // jnr-ffi's pointer to a buffer starts at the buffer's position, not its first byte.
        Pointer pointer = Pointer.wrap(Loaded.RUNTIME, direct);
        return pointer.address() - direct.position();
    }
}
