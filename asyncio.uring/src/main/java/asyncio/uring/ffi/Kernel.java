package asyncio.uring.ffi;

import com.kenai.jffi.MemoryIO;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/**
 * The loaded C library and the io_uring ABI (linux/io_uring.h): syscall numbers, opcodes, flags and
 * the offsets of the structures the loop lays out. Loading happens once, on first use;
 * {@link #loadFailure()} says why it failed, for the provider's probe.
 */
public final class Kernel {
    // syscall numbers: shared by every architecture since 5.1 (asm-generic/unistd.h)
    public static final long SYS_IO_URING_SETUP = 425;
    public static final long SYS_IO_URING_ENTER = 426;
    public static final long SYS_IO_URING_REGISTER = 427;

    // mmap
    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_POPULATE = 0x8000;
    public static final long MAP_FAILED = -1;
    public static final long IORING_OFF_SQ_RING = 0L;
    public static final long IORING_OFF_CQ_RING = 0x8000000L;
    public static final long IORING_OFF_SQES = 0x10000000L;

    // io_uring_params: 120 bytes; sq_off at 40 (40 bytes), cq_off at 80 (40 bytes)
    public static final int PARAMS_SIZE = 120;
    public static final int PARAMS_SQ_ENTRIES = 0;
    public static final int PARAMS_CQ_ENTRIES = 4;
    public static final int PARAMS_FLAGS = 8;
    public static final int PARAMS_FEATURES = 20;
    public static final int PARAMS_SQ_OFF = 40;
    public static final int PARAMS_CQ_OFF = 80;
    // io_sqring_offsets: head, tail, ring_mask, ring_entries, flags, dropped, array (u32 each)
    public static final int SQ_OFF_HEAD = 0;
    public static final int SQ_OFF_TAIL = 4;
    public static final int SQ_OFF_RING_MASK = 8;
    public static final int SQ_OFF_RING_ENTRIES = 12;
    public static final int SQ_OFF_FLAGS = 16;
    public static final int SQ_OFF_ARRAY = 24;
    // io_cqring_offsets: head, tail, ring_mask, ring_entries, overflow, cqes (u32 each)
    public static final int CQ_OFF_HEAD = 0;
    public static final int CQ_OFF_TAIL = 4;
    public static final int CQ_OFF_RING_MASK = 8;
    public static final int CQ_OFF_RING_ENTRIES = 12;
    public static final int CQ_OFF_OVERFLOW = 16;
    public static final int CQ_OFF_CQES = 20;

    public static final int IORING_FEAT_SINGLE_MMAP = 1;
    public static final int IORING_FEAT_NODROP = 1 << 1;
    public static final int IORING_FEAT_EXT_ARG = 1 << 8;
    public static final int IORING_SETUP_CLAMP = 1 << 4;
    /** Completions wait for the task's next entry into the kernel instead of interrupting it (5.19). */
    public static final int IORING_SETUP_COOP_TASKRUN = 1 << 8;
    /** With COOP_TASKRUN: the kernel sets IORING_SQ_TASKRUN in the ring's flags while such work waits (5.19). */
    public static final int IORING_SETUP_TASKRUN_FLAG = 1 << 9;
    /** Submission ring flag: completions are waiting to be run by an io_uring_enter. */
    public static final int IORING_SQ_TASKRUN = 1 << 2;
    /** sqe.ioprio of IORING_OP_RECV/SEND: wait for readiness before trying the transfer (5.19). */
    public static final int IORING_RECVSEND_POLL_FIRST = 1;

    // io_uring_enter flags
    public static final int IORING_ENTER_GETEVENTS = 1;
    public static final int IORING_ENTER_EXT_ARG = 1 << 3;
    /** Size of struct io_uring_getevents_arg. */
    public static final int GETEVENTS_ARG_SIZE = 24;

    // struct io_uring_sqe (64 bytes) field offsets
    public static final int SQE_SIZE = 64;
    public static final int SQE_OPCODE = 0;
    public static final int SQE_FLAGS = 1;
    public static final int SQE_IOPRIO = 2;
    public static final int SQE_FD = 4;
    public static final int SQE_OFF = 8;
    public static final int SQE_ADDR = 16;
    public static final int SQE_LEN = 24;
    public static final int SQE_OP_FLAGS = 28;
    public static final int SQE_USER_DATA = 32;
    // struct io_uring_cqe (16 bytes)
    public static final int CQE_SIZE = 16;
    public static final int CQE_USER_DATA = 0;
    public static final int CQE_RES = 8;
    public static final int CQE_FLAGS = 12;

    // opcodes (enum io_uring_op)
    public static final int IORING_OP_NOP = 0;
    public static final int IORING_OP_POLL_ADD = 6;
    public static final int IORING_OP_SENDMSG = 9;
    public static final int IORING_OP_RECVMSG = 10;
    public static final int IORING_OP_TIMEOUT = 11;
    public static final int IORING_OP_ACCEPT = 13;
    public static final int IORING_OP_ASYNC_CANCEL = 14;
    public static final int IORING_OP_CONNECT = 16;
    public static final int IORING_OP_READ = 22;
    public static final int IORING_OP_WRITE = 23;
    public static final int IORING_OP_SEND = 26;
    public static final int IORING_OP_RECV = 27;
    public static final int IORING_OP_LAST_NEEDED = IORING_OP_RECV;

    // io_uring_register: IORING_REGISTER_PROBE, struct io_uring_probe (16 bytes + 8 per op)
    public static final int IORING_REGISTER_PROBE = 8;
    public static final int PROBE_HEADER_SIZE = 16;
    public static final int PROBE_OP_SIZE = 8;
    public static final int PROBE_OPS_LEN = 1;
    public static final int IO_URING_OP_SUPPORTED = 1;

    // poll bits, socket calls
    public static final int POLLIN = 0x001;
    public static final int POLLOUT = 0x004;
    public static final int MSG_NOSIGNAL = 0x4000;
    public static final int SHUT_RDWR = 2;
    public static final int EFD_CLOEXEC = 0x80000;

    // errno values (asm-generic/errno.h)
    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int EBUSY = 16;
    public static final int EINVAL = 22;
    public static final int EPIPE = 32;
    public static final int ENOSYS = 38;
    public static final int ETIME = 62;
    public static final int ECONNRESET = 104;
    public static final int ECANCELED = 125;
    public static final int EALREADY = 114;
    public static final int ENOENT = 2;

    private static final class Loaded {
        static final UringLibC LIBC;
        static final Runtime RUNTIME;
        static final Throwable FAILURE;

        static {
            UringLibC libc = null;
            Runtime runtime = null;
            Throwable failure = null;
            try {
                libc = LibraryLoader.create(UringLibC.class).load("c");
                runtime = Runtime.getRuntime(libc);
            } catch (Throwable failed) {
                // LinkageError (jffi's native part missing) as well as UnsatisfiedLinkError: "cannot run here".
                failure = failed;
            }
            LIBC = libc;
            RUNTIME = runtime;
            FAILURE = failure;
        }
    }

    private Kernel() {
    }

    /** Why the C library could not be bound, or null when it was. */
    public static Throwable loadFailure() {
        return Loaded.FAILURE;
    }

    /** The bound C library; throws if it could not be loaded (check {@link #loadFailure()} first). */
    public static UringLibC libc() {
        UringLibC libc = Loaded.LIBC;
        if (libc == null) {
            throw new IllegalStateException("the C library could not be bound through jnr-ffi", Loaded.FAILURE);
        }
        return libc;
    }

    /** errno of this thread's last bound call. */
    public static int errno() {
        return LastError.getLastError(Loaded.RUNTIME);
    }

    /** The text of {@code errno}. */
    public static String strerror(int errno) {
        return libc().strerror(errno);
    }

    /** A direct buffer of {@code size} bytes in native byte order. */
    public static ByteBuffer allocate(int size) {
        return ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
    }

    /** The native address of a direct buffer's first byte (not its position). */
    public static long address(ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer");
        }
        // jffi reads the buffer's own address field: no object per call (this runs per operation).
        return MemoryIO.getInstance().getDirectBufferAddress(direct);
    }
}
