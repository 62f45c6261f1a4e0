package asyncio.uring;

import static asyncio.uring.ffi.Kernel.*;

import asyncio.uring.ffi.Kernel;
import asyncio.uring.ffi.UringLibC;
import com.kenai.jffi.MemoryIO;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One io_uring instance: its descriptor, its submission and completion rings mapped with
 * {@code mmap}, and the calls that move entries across them. Used on one thread (the loop's).
 *
 * <p>Memory ordering, as the kernel requires (io_uring(7), liburing's barrier.h): the mapped
 * rings are viewed as direct {@link ByteBuffer}s and the indexes the kernel shares are accessed
 * through a {@link VarHandle} ({@code byteBufferViewVarHandle}, which supports atomic access modes
 * on aligned ints of direct buffers): the completion tail is read with {@code getAcquire} (so the
 * entries before it are seen as the kernel wrote them), the completion head is published with
 * {@code setRelease} (the kernel may then overwrite the entries read), the submission tail is
 * published with {@code setRelease} (the kernel sees the entries written before it), and the
 * submission head, which the kernel moves as it consumes entries, is read with {@code getAcquire}.
 * The entries themselves are plain accesses, ordered by those.
 */
final class Ring implements AutoCloseable {
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final UringLibC C = Kernel.libc();
    /** Keeps jnr-ffi off its faulty six-argument stubs (see {@link UringLibC}). */
    private static final int[] OFF_THE_STUBS = new int[1];

    /** Receives one completion: its user data, result (a count or -errno) and flags. */
    interface CompletionSink {
        void complete(long userData, int result, int flags);
    }

    final int fd;
    private final long ringAddress;
    private final long ringLength;
    private final long cqAddress;
    private final long cqLength;
    private final long sqesAddress;
    private final long sqesLength;
    private final ByteBuffer sq;
    private final ByteBuffer cq;
    private final ByteBuffer sqes;
    private final int sqHead;
    private final int sqTail;
    private final int sqMask;
    private final int sqEntries;
    private final int cqHead;
    private final int cqTail;
    private final int cqMask;
    private final int cqes;
    private final int sqFlags;
    /**
     * Set up with IORING_SETUP_COOP_TASKRUN and IORING_SETUP_TASKRUN_FLAG (5.19 and later, which
     * also have IORING_RECVSEND_POLL_FIRST): completions then wait for the loop's next
     * io_uring_enter rather than interrupting the thread while it runs callbacks.
     */
    final boolean cooperative;
    /** The submission tail as this side knows it: entries up to here are written, not all published. */
    private int localSqTail;
    /** The completion head as this side knows it (only this side moves it). */
    private int localCqHead;
    /** The timeout io_uring_enter waits with: struct __kernel_timespec, and the getevents argument. */
    private final ByteBuffer timespec = Kernel.allocate(16);
    private final long[] waitArgument = new long[3];
    private boolean closed;

    private Ring(int fd, ByteBuffer params, long ringAddress, long ringLength, long cqAddress, long cqLength,
                 long sqesAddress, long sqesLength, boolean cooperative) {
        this.fd = fd;
        this.cooperative = cooperative;
        this.ringAddress = ringAddress;
        this.ringLength = ringLength;
        this.cqAddress = cqAddress;
        this.cqLength = cqLength;
        this.sqesAddress = sqesAddress;
        this.sqesLength = sqesLength;
        MemoryIO memory = MemoryIO.getInstance();
        sq = memory.newDirectByteBuffer(ringAddress, (int) ringLength).order(ByteOrder.nativeOrder());
        cq = cqAddress == ringAddress ? sq
                : memory.newDirectByteBuffer(cqAddress, (int) cqLength).order(ByteOrder.nativeOrder());
        sqes = memory.newDirectByteBuffer(sqesAddress, (int) sqesLength).order(ByteOrder.nativeOrder());
        sqHead = params.getInt(PARAMS_SQ_OFF + SQ_OFF_HEAD);
        sqTail = params.getInt(PARAMS_SQ_OFF + SQ_OFF_TAIL);
        sqMask = sq.getInt(params.getInt(PARAMS_SQ_OFF + SQ_OFF_RING_MASK));
        sqEntries = sq.getInt(params.getInt(PARAMS_SQ_OFF + SQ_OFF_RING_ENTRIES));
        cqHead = params.getInt(PARAMS_CQ_OFF + CQ_OFF_HEAD);
        cqTail = params.getInt(PARAMS_CQ_OFF + CQ_OFF_TAIL);
        cqMask = cq.getInt(params.getInt(PARAMS_CQ_OFF + CQ_OFF_RING_MASK));
        cqes = params.getInt(PARAMS_CQ_OFF + CQ_OFF_CQES);
        sqFlags = params.getInt(PARAMS_SQ_OFF + SQ_OFF_FLAGS);
        // The indirection array maps ring slot i to entry i once and for all.
        int array = params.getInt(PARAMS_SQ_OFF + SQ_OFF_ARRAY);
        for (int i = 0; i < sqEntries; i++) {
            sq.putInt(array + 4 * i, i);
        }
        localSqTail = (int) INT.getAcquire(sq, sqTail);
        localCqHead = (int) INT.getAcquire(cq, cqHead);
        timespecAddress = Kernel.address(timespec);
    }

    private final long timespecAddress;

    /** Sets up a ring of {@code entries} submission entries (twice as many completion entries). */
    static Ring open(int entries) throws IOException {
        return open(entries, true);
    }

    /** As {@link #open(int)}; {@code cooperative} false keeps to the 5.11 set-up even where the kernel has more, for tests. */
    static Ring open(int entries, boolean cooperative) throws IOException {
        ByteBuffer params = Kernel.allocate(PARAMS_SIZE);
        int fd = -1;
        if (cooperative) {
            params.putInt(PARAMS_FLAGS, IORING_SETUP_CLAMP | IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG);
            fd = (int) C.syscall(SYS_IO_URING_SETUP, entries, Kernel.address(params));
            // EINVAL: a kernel before 5.19, which knows neither flag; set up without them.
            cooperative = fd >= 0;
        }
        if (fd < 0) {
            params = Kernel.allocate(PARAMS_SIZE);
            params.putInt(PARAMS_FLAGS, IORING_SETUP_CLAMP);
            fd = (int) C.syscall(SYS_IO_URING_SETUP, entries, Kernel.address(params));
        }
        if (fd < 0) {
            throw failure("io_uring_setup", Kernel.errno());
        }
        try {
            int features = params.getInt(PARAMS_FEATURES);
            if ((features & IORING_FEAT_SINGLE_MMAP) == 0 || (features & IORING_FEAT_EXT_ARG) == 0) {
                throw new IOException("io_uring lacks IORING_FEAT_SINGLE_MMAP or IORING_FEAT_EXT_ARG (kernel older than 5.11)");
            }
            int sqSize = params.getInt(PARAMS_SQ_OFF + SQ_OFF_ARRAY) + 4 * params.getInt(PARAMS_SQ_ENTRIES);
            int cqSize = params.getInt(PARAMS_CQ_OFF + CQ_OFF_CQES) + CQE_SIZE * params.getInt(PARAMS_CQ_ENTRIES);
            long ringLength = Math.max(sqSize, cqSize);
            long ring = map(fd, ringLength, IORING_OFF_SQ_RING);
            long sqesLength = (long) SQE_SIZE * params.getInt(PARAMS_SQ_ENTRIES);
            long sqes;
            try {
                sqes = map(fd, sqesLength, IORING_OFF_SQES);
            } catch (IOException failed) {
                C.munmap(ring, ringLength);
                throw failed;
            }
            return new Ring(fd, params, ring, ringLength, ring, ringLength, sqes, sqesLength, cooperative);
        } catch (IOException | RuntimeException failed) {
            C.close(fd);
            throw failed;
        }
    }

    private static long map(int fd, long length, long offset) throws IOException {
        long address = C.mmap(0, length, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, offset, OFF_THE_STUBS);
        if (address == MAP_FAILED) {
            throw failure("mmap of the io_uring rings", Kernel.errno());
        }
        return address;
    }

    static IOException failure(String what, int errno) {
        return new IOException(what + " failed: " + Kernel.strerror(errno) + " (errno " + errno + ")");
    }

    /**
     * The offset of a fresh, zeroed submission entry, submitting what is written first when the
     * ring is full.
     */
    private int nextEntry() throws IOException {
        if (localSqTail - (int) INT.getAcquire(sq, sqHead) >= sqEntries) {
            submit();
            if (localSqTail - (int) INT.getAcquire(sq, sqHead) >= sqEntries) {
                throw new IOException("the io_uring submission queue is full");
            }
        }
        int offset = (localSqTail & sqMask) * SQE_SIZE;
        for (int i = 0; i < SQE_SIZE; i += 8) {
            sqes.putLong(offset + i, 0L);
        }
        localSqTail++;
        return offset;
    }

    /** Writes one submission entry (the fields the loop uses; the rest stay zero) and publishes it. */
    void prepare(int opcode, int fd, long address, int length, int opFlags, long userData) throws IOException {
        prepare(opcode, fd, 0L, address, length, opFlags, userData);
    }

    /** As {@link #prepare(int, int, long, int, int, long)}, with a file offset (-1: the current position). */
    void prepare(int opcode, int fd, long offset, long address, int length, int opFlags, long userData)
            throws IOException {
        prepare(opcode, fd, offset, address, length, opFlags, userData, 0);
    }

    /** As above, with the entry's {@code ioprio} field, which socket transfers read as flags. */
    void prepare(int opcode, int fd, long offset, long address, int length, int opFlags, long userData, int ioprio)
            throws IOException {
        int entry = nextEntry();
        sqes.put(entry + SQE_OPCODE, (byte) opcode);
        sqes.putShort(entry + SQE_IOPRIO, (short) ioprio);
        sqes.putInt(entry + SQE_FD, fd);
        sqes.putLong(entry + SQE_OFF, offset);
        sqes.putLong(entry + SQE_ADDR, address);
        sqes.putInt(entry + SQE_LEN, length);
        sqes.putInt(entry + SQE_OP_FLAGS, opFlags);
        sqes.putLong(entry + SQE_USER_DATA, userData);
        publish();
    }

    /** Makes the entries written so far visible to the kernel (a release store of the tail). */
    void publish() {
        INT.setRelease(sq, sqTail, localSqTail);
    }

    /** Entries published and not yet consumed by the kernel. */
    private int unsubmitted() {
        return localSqTail - (int) INT.getAcquire(sq, sqHead);
    }

    /** Hands the published entries to the kernel without waiting. */
    void submit() throws IOException {
        publish();
        int count = unsubmitted();
        while (count > 0) {
            long submitted = C.syscall(SYS_IO_URING_ENTER, fd, count, 0, 0, null, 0);
            if (submitted < 0) {
                int errno = Kernel.errno();
                if (errno == EINTR) {
                    continue;
                }
                if (errno == EAGAIN || errno == EBUSY) {
                    return; // the completion queue is full: reaping frees room, the next call retries
                }
                throw failure("io_uring_enter", errno);
            }
            count = unsubmitted();
        }
    }

    /**
     * Runs the ring's pending task work now: an enter for events that requires none. A cancelled
     * operation lets go of its file there, and with IORING_SETUP_COOP_TASKRUN that work otherwise
     * waits for the loop's next wait, so a listening socket closed with its accept cancelled would
     * go on taking connections until then.
     */
    void runTaskWork() throws IOException {
        while (C.syscall(SYS_IO_URING_ENTER, fd, 0, 0, IORING_ENTER_GETEVENTS, null, 0) < 0) {
            int errno = Kernel.errno();
            if (errno != EINTR) {
                if (errno == EAGAIN || errno == EBUSY) {
                    return; // the completion queue is full: the loop's next reap makes room and runs it
                }
                throw failure("io_uring_enter", errno);
            }
        }
    }

    /**
     * Submits what is published and waits up to {@code timeoutNanos} (negative: without limit) for
     * at least one completion, unless one is already there. Returns without error on timeout or signal.
     */
    void submitAndWait(long timeoutNanos) throws IOException {
        publish();
        if (hasCompletions()) {
            submit();
            return;
        }
        int flags = IORING_ENTER_GETEVENTS;
        long[] argument = null;
        long argumentSize = 0;
        if (timeoutNanos >= 0) {
            timespec.putLong(0, timeoutNanos / 1_000_000_000L);
            timespec.putLong(8, timeoutNanos % 1_000_000_000L);
            waitArgument[0] = 0;            // no signal mask
            waitArgument[1] = 0;            // sigmask_sz, min_wait_usec
            waitArgument[2] = timespecAddress;
            argument = waitArgument;
            argumentSize = GETEVENTS_ARG_SIZE;
            flags |= IORING_ENTER_EXT_ARG;
        }
        long result = C.syscall(SYS_IO_URING_ENTER, fd, unsubmitted(), 1, flags, argument, argumentSize);
        if (result < 0) {
            int errno = Kernel.errno();
            if (errno != ETIME && errno != EINTR && errno != EAGAIN && errno != EBUSY) {
                throw failure("io_uring_enter", errno);
            }
        }
    }

    /**
     * On a cooperative ring, enters the kernel to run the completions waiting there, if the ring
     * says some are (IORING_SQ_TASKRUN), submitting what is published: a loop that never waits
     * (callbacks always ready) still gets its I/O completed.
     */
    void runPendingCompletions() throws IOException {
        if (!cooperative || ((int) INT.getAcquire(sq, sqFlags) & IORING_SQ_TASKRUN) == 0) {
            submit();
            return;
        }
        publish();
        long result = C.syscall(SYS_IO_URING_ENTER, fd, unsubmitted(), 0, IORING_ENTER_GETEVENTS, null, 0);
        if (result < 0) {
            int errno = Kernel.errno();
            if (errno != EINTR && errno != EAGAIN && errno != EBUSY) {
                throw failure("io_uring_enter", errno);
            }
        }
    }

    /** Whether the kernel has posted completions not yet reaped. */
    boolean hasCompletions() {
        return (int) INT.getAcquire(cq, cqTail) != localCqHead;
    }

    /** Hands every posted completion to {@code sink}, in the order the kernel posted them; returns how many. */
    int reap(CompletionSink sink) {
        int tail = (int) INT.getAcquire(cq, cqTail);
        int head = localCqHead;
        int count = 0;
        while (head != tail) {
            int offset = cqes + (head & cqMask) * CQE_SIZE;
            long userData = cq.getLong(offset + CQE_USER_DATA);
            int result = cq.getInt(offset + CQE_RES);
            int flags = cq.getInt(offset + CQE_FLAGS);
            head++;
            count++;
            // Release the slot before running the sink, which may submit and so need room.
            localCqHead = head;
            INT.setRelease(cq, cqHead, head);
            sink.complete(userData, result, flags);
            tail = (int) INT.getAcquire(cq, cqTail);
        }
        return count;
    }

    /** The opcodes this kernel supports, by IORING_REGISTER_PROBE; index = opcode. */
    boolean[] supportedOpcodes() throws IOException {
        int count = 64;
        ByteBuffer probe = Kernel.allocate(PROBE_HEADER_SIZE + PROBE_OP_SIZE * count);
        long result = C.syscall(SYS_IO_URING_REGISTER, fd, IORING_REGISTER_PROBE, Kernel.address(probe), count);
        if (result < 0) {
            throw failure("io_uring_register(IORING_REGISTER_PROBE)", Kernel.errno());
        }
        int opsLength = probe.get(PROBE_OPS_LEN) & 0xff;
        boolean[] supported = new boolean[count];
        for (int i = 0; i < opsLength && i < count; i++) {
            int entry = PROBE_HEADER_SIZE + PROBE_OP_SIZE * i;
            int opcode = probe.get(entry) & 0xff;
            int flags = probe.getShort(entry + 2) & 0xffff;
            if (opcode < count) {
                supported[opcode] = (flags & IO_URING_OP_SUPPORTED) != 0;
            }
        }
        return supported;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Closing the descriptor makes the kernel cancel what is still in flight; the caller keeps
        // the memory of those operations reachable (UringCompletionPort).
        C.munmap(sqesAddress, sqesLength);
        if (cqAddress != ringAddress) {
            C.munmap(cqAddress, cqLength);
        }
        C.munmap(ringAddress, ringLength);
        C.close(fd);
    }
}
