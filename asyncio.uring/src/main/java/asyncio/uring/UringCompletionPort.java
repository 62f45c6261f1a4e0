package asyncio.uring;

import static asyncio.uring.ffi.Kernel.*;

import asyncio.epoll.NativeSockets;
import asyncio.spi.ListeningSocket;
import asyncio.spi.StreamSocket;
import asyncio.spi.proactor.Completion;
import asyncio.spi.proactor.CompletionPort;
import asyncio.spi.proactor.Operation;
import asyncio.spi.proactor.ProactorProcess;
import asyncio.spi.proactor.ProactorSocket;
import asyncio.spi.proactor.ReadinessHelper;
import asyncio.uring.ffi.Kernel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * The {@link CompletionPort} on a Linux io_uring {@link Ring}. Receives and sends (IORING_OP_RECV,
 * IORING_OP_SEND; IORING_OP_RECVMSG, IORING_OP_SENDMSG for datagrams) run in the kernel on the
 * transport's buffer, or on a direct staging copy when the transport lent a heap buffer. On the
 * loop's native sockets, accept and connect are IORING_OP_ACCEPT and IORING_OP_CONNECT where the
 * kernel has them (IORING_REGISTER_PROBE says), else readiness (IORING_OP_POLL_ADD) and the
 * socket's own accept4/connect. On the application's NIO channels they are always readiness and the
 * channel's accept or finishConnect, so that the channel knows its state. Cancel is
 * IORING_OP_ASYNC_CANCEL by user data; the wake-up
 * is an eventfd that always has an IORING_OP_READ pending on the ring; a wait with a timeout is
 * io_uring_enter with IORING_ENTER_EXT_ARG.
 *
 * <p>Lent memory: an {@link Op} holds its buffer, staging copy and message header from submission
 * until its completion has been reaped, whatever cancel or close do meanwhile. Closing the port
 * cancels every operation and waits (boundedly) for the kernel to complete them; operations it
 * has not completed by then stay referenced from {@link #LIMBO} for the life of the JVM, so their
 * memory is never freed while the kernel might still write into it.
 */
final class UringCompletionPort implements CompletionPort {
    static final int ENTRIES = 256;
    /** Size of the direct copies heap buffers are staged in; a longer send is partial (the transport resubmits). */
    static final int STAGING_SIZE = 64 * 1024;
    /** Staging for short transfers (an echo's 1 KiB): 64 KiB per send in flight would waste memory. */
    static final int SMALL_STAGING_SIZE = 4 * 1024;
    /**
     * Buffers kept per pool, enough for one send in flight on each of a few hundred connections.
     * A pool smaller than the sends in flight allocates a zeroed direct buffer per send beyond it:
     * at 100 connections a cap of 16 cut a 1 KiB echo's throughput fifty-fold (docs/performance.md).
     */
    private static final int MAX_POOLED = 256;
    /** struct msghdr (56 bytes) + struct iovec (16) + a sockaddr_storage (128). */
    private static final int MESSAGE_SIZE = 56 + 16 + 128;
    private static final int IOV_OFFSET = 56;
    private static final int NAME_OFFSET = 72;
    /** How long close waits for the kernel to finish cancelled operations. */
    private static final long CLOSE_DRAIN_NANOS = 2_000_000_000L;

    // user data: the generation in the high 32 bits, the slot in the low ones; these tags are not slots
    private static final long WAKEUP_TAG = -1L;
    private static final long CANCEL_TAG = -2L;

    /** Operations a closed port could not drain: kept reachable, since the kernel may still use their memory. */
    static final Set<Object> LIMBO = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    enum Kind { RECV, SEND, ACCEPT, CONNECT, RECV_FROM, SEND_TO, TRANSMIT_FILE, READ, WRITE, POLL }

    private static final int SOCK_NONBLOCK = 0x800;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int ECONNABORTED = 103;
    private static final int POLLERR = 0x008;

    private final Ring ring;
    /** The loop's native sockets: stream and listening sockets the ring can accept and connect on. */
    final NativeSockets sockets = new NativeSockets();
    /** Whether this kernel has IORING_OP_ACCEPT and IORING_OP_CONNECT (5.5+); readiness otherwise. */
    private final boolean ringAccept;
    private final boolean ringConnect;
    /** Whether receives on a drained socket wait for readiness first (IORING_RECVSEND_POLL_FIRST, 5.19). */
    private final boolean pollFirst;
    private final int eventFd;
    private final ByteBuffer wakeupBuffer = Kernel.allocate(8);
    private final AtomicBoolean wakeupPosted = new AtomicBoolean();
    private final Object eventFdLock = new Object();
    private Op<?>[] slots = new Op<?>[64];
    private int[] freeSlots = new int[64];
    private int freeCount;
    private int nextSlot;
    private int generation;
    private int inKernel;
    private final ArrayDeque<Op<?>> completed = new ArrayDeque<>();
    private final ArrayDeque<ByteBuffer> stagingPool = new ArrayDeque<>();
    private final ArrayDeque<ByteBuffer> smallStagingPool = new ArrayDeque<>();
    private final ArrayDeque<ByteBuffer> messagePool = new ArrayDeque<>();
    private final Ring.CompletionSink sink = this::reaped;
    private final UringReadiness readiness = new UringReadiness(this);
    /** Volatile: {@link #wakeup()} reads it from other threads, so it stops writing to a closed eventfd. */
    private volatile boolean closed;

    UringCompletionPort() throws IOException {
        this(true);
    }

    /** A port that accepts and connects through readiness even where the ring could ({@code ringOps} false), for tests. */
    UringCompletionPort(boolean ringOps) throws IOException {
        this(ringOps, true);
    }

    /**
     * {@code modern} false sets the ring up as a 5.11 kernel allows (no cooperative task running,
     * no poll-first receives) even where this one has more, for tests.
     */
    UringCompletionPort(boolean ringOps, boolean modern) throws IOException {
        ring = Ring.open(ENTRIES, modern);
        pollFirst = ring.cooperative;
        boolean[] supported;
        try {
            supported = ring.supportedOpcodes();
        } catch (IOException failed) {
            ring.close();
            throw failed;
        }
        ringAccept = ringOps && supported[IORING_OP_ACCEPT];
        ringConnect = ringOps && supported[IORING_OP_CONNECT];
        eventFd = libc().eventfd(0, EFD_CLOEXEC);
        if (eventFd < 0) {
            IOException failed = Ring.failure("eventfd", errno());
            ring.close();
            throw failed;
        }
        try {
            armWakeup();
            ring.submit();
        } catch (IOException failed) {
            libc().close(eventFd);
            ring.close();
            throw failed;
        }
    }

    /** One operation in the kernel: everything the kernel may touch stays referenced here until reaped. */
    final class Op<T> implements Operation {
        final Kind kind;
        final UringSocket socket;
        final ByteBuffer buffer;
        final Completion<T> completion;
        SocketAddress address;
        /** For TRANSMIT_FILE: the file and the window to send. */
        FileChannel file;
        long position;
        long count;
        /** The direct memory the kernel reads or writes: the buffer itself, or a staging copy. */
        ByteBuffer staging;
        ByteBuffer message;
        long userData;
        boolean inKernel;
        boolean cancelRequested;
        /** The kernel's result (count or -errno) once reaped. */
        int result;
        /** Set when the outcome is already known without the kernel (e.g. a connect that finished at once). */
        IOException error;
        T value;
        boolean done;
        /** For READ/WRITE: waiting for readiness after the kernel said EAGAIN (the pipe end is O_NONBLOCK). */
        boolean polling;
        /** The next submission's sqe.ioprio (IORING_RECVSEND_POLL_FIRST), cleared once written. */
        int ioprio;
        /** For RECV: the bytes asked for, to tell a drained socket from a full buffer. */
        int asked;

        Op(Kind kind, UringSocket socket, ByteBuffer buffer, Completion<T> completion) {
            this.kind = kind;
            this.socket = socket;
            this.buffer = buffer;
            this.completion = completion;
        }

        @Override
        public void cancel() {
            if (!inKernel || cancelRequested || closed) {
                return;
            }
            cancelRequested = true;
            try {
                ring.prepare(IORING_OP_ASYNC_CANCEL, -1, userData, 0, 0, CANCEL_TAG);
            } catch (IOException failed) {
                throw new UncheckedIOException(failed);
            }
        }

        @Override
        public String toString() {
            return kind + " on " + socket;
        }
    }

    // --- operations ---

    @Override
    public Operation recv(ProactorSocket socket, ByteBuffer target, Completion<Integer> completion) {
        Op<Integer> op = new Op<>(Kind.RECV, (UringSocket) socket, target, completion);
        if (!checkOpen(op)) {
            return op;
        }
        int length = lend(op, target, false);
        op.asked = length;
        if (pollFirst && op.socket.drained) {
            // A receive resubmitted after one that emptied the socket (an echo's next request)
            // would find nothing now: the kernel arms the poll at once, skipping that attempt.
            op.ioprio = IORING_RECVSEND_POLL_FIRST;
        }
        return submit(op, IORING_OP_RECV, Kernel.address(op.staging) + op.staging.position(), length, 0);
    }

    @Override
    public Operation send(ProactorSocket socket, ByteBuffer source, Completion<Integer> completion) {
        Op<Integer> op = new Op<>(Kind.SEND, (UringSocket) socket, source, completion);
        if (!checkOpen(op)) {
            return op;
        }
        int length = lend(op, source, true);
        return submit(op, IORING_OP_SEND, Kernel.address(op.staging) + op.staging.position(), length, MSG_NOSIGNAL);
    }

    @Override
    public Operation accept(ProactorSocket listener, Completion<ProactorSocket> completion) {
        Op<ProactorSocket> op = new Op<>(Kind.ACCEPT, (UringSocket) listener, null, completion);
        if (!checkOpen(op)) {
            return op;
        }
        if (byRing(op)) {
            return submitAccept(op);
        }
        // A connection may already be waiting: take it now (its completion is still queued, never run inline).
        if (acceptNow(op)) {
            op.done = true;
            completed.add(op);
            return op;
        }
        return submit(op, IORING_OP_POLL_ADD, 0, 0, POLLIN);
    }

    @Override
    public Operation connect(ProactorSocket socket, SocketAddress remote, Completion<Void> completion) {
        Op<Void> op = new Op<>(Kind.CONNECT, (UringSocket) socket, null, completion);
        if (!checkOpen(op)) {
            return op;
        }
        op.address = remote;
        if (op.socket.isNative()) {
            return connectNative(op, remote);
        }
        try {
            SocketChannel channel = (SocketChannel) op.socket.channel();
            // A connect whose wait was cancelled goes on in the kernel: wait for it again, as asyncio's sock_connect.
            if (!channel.isConnectionPending() && channel.connect(remote)) {
                finishNow(op, null);
                return op;
            }
        } catch (IOException | RuntimeException failed) {
            failNow(op, failed);
            return op;
        }
        return submit(op, IORING_OP_POLL_ADD, 0, 0, POLLOUT);
    }

    /** The child's pidfd polled on the ring (IORING_OP_POLL_ADD): its exit completes on the loop thread. */
    @Override
    public Operation waitForExit(ProactorProcess process, Completion<Void> completion) {
        return ((UringProcess) process).waitForExit(completion);
    }

    /**
     * IORING_OP_POLL_ADD for POLLERR on the write end: a pipe reports it once its last reader has
     * closed (a socket or a terminal POLLHUP, which the kernel always adds), so an idle write pipe
     * learns it without writing.
     */
    @Override
    public Operation watchReaderGone(ProactorSocket pipe, Completion<Void> completion) {
        return pollFor((UringSocket) pipe, POLLERR, new Completion<>() {
            @Override
            public void completed(Integer events) {
                completion.completed(null);
            }

            @Override
            public void failed(IOException error) {
                completion.failed(error);
            }

            @Override
            public void cancelled() {
                completion.cancelled();
            }
        });
    }

    /** addReader/addWriter through IORING_OP_POLL_ADD. */
    @Override
    public ReadinessHelper readiness() {
        return readiness;
    }

    /** Waits for {@code events} (POLLIN, POLLOUT) on {@code socket}; completes with the events that occurred. */
    Operation pollFor(UringSocket socket, int events, Completion<Integer> completion) {
        Op<Integer> op = new Op<>(Kind.POLL, socket, null, completion);
        if (!checkOpen(op)) {
            return op;
        }
        return submit(op, IORING_OP_POLL_ADD, 0, 0, events);
    }

    /** IORING_OP_ACCEPT: the kernel takes the next connection as a non-blocking, close-on-exec descriptor. */
    private Operation submitAccept(Op<ProactorSocket> op) {
        op.polling = false;
        return submit(op, IORING_OP_ACCEPT, 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC);
    }

    /** IORING_OP_CONNECT with the encoded address lent until completion, or connect(2) and readiness without it. */
    private Operation connectNative(Op<Void> op, SocketAddress remote) {
        StreamSocket stream = (StreamSocket) op.socket.nativeSocket;
        try {
            if (ringConnect) {
                ByteBuffer sockaddr = messagePool.poll();
                op.message = sockaddr != null ? sockaddr : Kernel.allocate(MESSAGE_SIZE);
                int length = sockets.encode(stream, remote, op.message);
                // The address length travels in the entry's offset field (addr2).
                return submit(op, IORING_OP_CONNECT, Kernel.address(op.message), 0, 0, length);
            }
            if (stream.connect(remote)) {
                finishNow(op, null);
                return op;
            }
        } catch (IOException | RuntimeException failed) {
            failNow(op, failed);
            return op;
        }
        return submit(op, IORING_OP_POLL_ADD, 0, 0, POLLOUT);
    }

    /** Whether the ring itself accepts or connects for {@code op} (a native socket, and the kernel has the opcode). */
    private boolean byRing(Op<?> op) {
        return op.socket.isNative() && (op.kind == Kind.ACCEPT ? ringAccept : ringConnect);
    }

    @Override
    public Operation recvFrom(ProactorSocket socket, ByteBuffer target, Completion<SocketAddress> completion) {
        Op<SocketAddress> op = new Op<>(Kind.RECV_FROM, (UringSocket) socket, target, completion);
        if (!checkOpen(op)) {
            return op;
        }
        int length = lend(op, target, false);
        ByteBuffer message = message(op, length);
        message.putInt(8, Sockaddrs.STORAGE_SIZE);
        return submit(op, IORING_OP_RECVMSG, Kernel.address(message), 1, 0);
    }

    @Override
    public Operation sendTo(ProactorSocket socket, ByteBuffer source, SocketAddress target, Completion<Integer> completion) {
        Op<Integer> op = new Op<>(Kind.SEND_TO, (UringSocket) socket, source, completion);
        if (!checkOpen(op)) {
            return op;
        }
        int length = lend(op, source, true);
        ByteBuffer message = message(op, length);
        if (target == null) {
            message.putLong(0, 0L);
            message.putInt(8, 0);
        } else {
            try {
                message.putInt(8, Sockaddrs.encode(target, op.socket.inet6, message, NAME_OFFSET));
            } catch (IOException | RuntimeException bad) {
                failNow(op, bad);
                return op;
            }
        }
        return submit(op, IORING_OP_SENDMSG, Kernel.address(message), 1, MSG_NOSIGNAL);
    }

    /**
     * Reads from a pipe end: IORING_OP_READ (offset -1: a pipe has no position). A non-blocking
     * pipe end answers EAGAIN when empty; the port then polls it (IORING_OP_POLL_ADD) and reads again.
     */
    @Override
    public Operation read(ProactorSocket pipe, ByteBuffer target, Completion<Integer> completion) {
        Op<Integer> op = new Op<>(Kind.READ, (UringSocket) pipe, target, completion);
        if (!checkOpen(op)) {
            return op;
        }
        lend(op, target, false);
        return submitTransfer(op);
    }

    /** Writes to a pipe end: IORING_OP_WRITE, polling for room on EAGAIN as {@link #read} does. */
    @Override
    public Operation write(ProactorSocket pipe, ByteBuffer source, Completion<Integer> completion) {
        Op<Integer> op = new Op<>(Kind.WRITE, (UringSocket) pipe, source, completion);
        if (!checkOpen(op)) {
            return op;
        }
        lend(op, source, true);
        return submitTransfer(op);
    }

    private Operation submitTransfer(Op<?> op) {
        op.polling = false;
        int opcode = op.kind == Kind.READ ? IORING_OP_READ : IORING_OP_WRITE;
        return submitAt(op, opcode, Kernel.address(op.staging) + op.staging.position(), op.staging.remaining(), -1L);
    }

    /**
     * Sends part of a file when the socket can take it: IORING_OP_POLL_ADD for writability, then
     * {@code FileChannel.transferTo} on the non-blocking channel (sendfile(2), no copy through the
     * JVM), or, on a native socket, through the JDK's copy as the epoll loop does. Not a ring
     * operation proper: io_uring has no sendfile, only splice through a pipe.
     */
    @Override
    public Operation transmitFile(ProactorSocket socket, FileChannel file, long position, long count,
                                  Completion<Long> completion) {
        Op<Long> op = new Op<>(Kind.TRANSMIT_FILE, (UringSocket) socket, null, completion);
        op.file = file;
        op.position = position;
        op.count = count;
        if (!checkOpen(op)) {
            return op;
        }
        return submit(op, IORING_OP_POLL_ADD, 0, 0, POLLOUT);
    }

    /** Picks the memory the kernel gets: the buffer if direct, else a staging copy (filled for a send). */
    private int lend(Op<?> op, ByteBuffer buffer, boolean send) {
        if (buffer.isDirect()) {
            op.staging = buffer;
            return buffer.remaining();
        }
        // A datagram goes out whole: one longer than the staging size gets a copy of its own.
        int wanted = buffer.remaining();
        boolean whole = op.kind == Kind.SEND_TO && wanted > STAGING_SIZE;
        boolean small = wanted <= SMALL_STAGING_SIZE;
        ByteBuffer staging = whole ? ByteBuffer.allocateDirect(wanted)
                : small ? smallStagingPool.poll() : stagingPool.poll();
        if (staging == null) {
            staging = ByteBuffer.allocateDirect(small ? SMALL_STAGING_SIZE : STAGING_SIZE);
        }
        staging.clear();
        int length = Math.min(buffer.remaining(), staging.capacity());
        if (send) {
            staging.put(0, buffer, buffer.position(), length);
        }
        staging.limit(length);
        op.staging = staging;
        return length;
    }

    /** The msghdr of a datagram operation: one iovec over the lent memory, room for an address. */
    private ByteBuffer message(Op<?> op, int length) {
        ByteBuffer message = messagePool.poll();
        if (message == null) {
            message = Kernel.allocate(MESSAGE_SIZE);
        }
        for (int i = 0; i < MESSAGE_SIZE; i += 8) {
            message.putLong(i, 0L);
        }
        long base = Kernel.address(message);
        message.putLong(0, base + NAME_OFFSET);
        message.putLong(16, base + IOV_OFFSET);
        message.putLong(24, 1);
        message.putLong(IOV_OFFSET, Kernel.address(op.staging) + op.staging.position());
        message.putLong(IOV_OFFSET + 8, length);
        op.message = message;
        return message;
    }

    private boolean checkOpen(Op<?> op) {
        if (closed) {
            throw new IllegalStateException("the completion port is closed");
        }
        if (!op.socket.isOpen()) {
            failNow(op, new IOException("Socket is closed"));
            return false;
        }
        return true;
    }

    private <T> Operation submit(Op<T> op, int opcode, long address, int length, int opFlags) {
        return submit(op, opcode, address, length, opFlags, 0L);
    }

    private Operation submitAt(Op<?> op, int opcode, long address, int length, long offset) {
        return submit(op, opcode, address, length, 0, offset);
    }

    private <T> Operation submit(Op<T> op, int opcode, long address, int length, int opFlags, long offset) {
        op.done = false;
        if (!op.socket.isOpen()) {
            // Closed before this (re)submission: the descriptor may already name another socket.
            op.result = -ECANCELED;
            op.done = true;
            completed.add(op);
            return op;
        }
        try {
            long userData = ((long) (++generation & 0x7fffffff) << 32) | nextFreeSlot();
            int ioprio = op.ioprio;
            op.ioprio = 0;
            ring.prepare(opcode, op.socket.fd, offset, address, length, opFlags, userData, ioprio);
            op.userData = userData;
            slots[(int) userData] = op;
            if (freeCount > 0 && freeSlots[freeCount - 1] == (int) userData) {
                freeCount--;
            } else {
                nextSlot++;
            }
        } catch (IOException failed) {
            failNow(op, failed);
            return op;
        }
        op.inKernel = true;
        inKernel++;
        op.socket.pending.add(op);
        return op;
    }

    /** The slot the next operation takes (a freed one first); taken only once its entry is written. */
    private int nextFreeSlot() {
        if (freeCount > 0) {
            return freeSlots[freeCount - 1];
        }
        if (nextSlot == slots.length) {
            slots = Arrays.copyOf(slots, nextSlot * 2);
            freeSlots = Arrays.copyOf(freeSlots, nextSlot * 2);
        }
        return nextSlot;
    }

    private void armWakeup() throws IOException {
        ring.prepare(IORING_OP_READ, eventFd, Kernel.address(wakeupBuffer), 8, 0, WAKEUP_TAG);
    }

    private <T> void finishNow(Op<T> op, T value) {
        op.value = value;
        op.done = true;
        completed.add(op);
    }

    private void failNow(Op<?> op, Exception failure) {
        op.error = failure instanceof IOException io ? io : new IOException(failure.toString(), failure);
        op.done = true;
        completed.add(op);
    }

    // --- completions ---

    /** A completion the ring reaped: the operation leaves the kernel and waits for {@link #dispatch}. */
    private void reaped(long userData, int result, int flags) {
        if (userData == CANCEL_TAG) {
            return;
        }
        if (userData == WAKEUP_TAG) {
            wakeupPosted.set(false);
            if (!closed) {
                try {
                    armWakeup();
                } catch (IOException failed) {
                    throw new UncheckedIOException(failed);
                }
            }
            return;
        }
        int slot = (int) userData;
        Op<?> op = slot >= 0 && slot < nextSlot ? slots[slot] : null;
        if (op == null || op.userData != userData) {
            return;
        }
        slots[slot] = null;
        freeSlots[freeCount++] = slot;
        op.inKernel = false;
        inKernel--;
        op.socket.pending.remove(op);
        op.result = result;
        op.done = true;
        if (!closed) {
            completed.add(op);
        } else if (op.kind == Kind.ACCEPT && result >= 0 && byRing(op) && !op.polling) {
            libc().close(result); // accepted as the port closed: nobody will take it
        }
    }

    @Override
    public void poll(long timeoutNanos) {
        if (closed) {
            return;
        }
        try {
            if (timeoutNanos == 0 || !completed.isEmpty()) {
                ring.runPendingCompletions();
            } else {
                ring.submitAndWait(timeoutNanos);
            }
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
        ring.reap(sink);
        try {
            // Re-armed reads and resubmissions made while reaping go in now.
            ring.submit();
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }

    @Override
    public void dispatch(BiConsumer<Completion<?>, RuntimeException> uncaught) {
        for (int count = completed.size(); count > 0; count--) {
            Op<?> op = completed.poll();
            try {
                run(op);
            } catch (RuntimeException failed) {
                uncaught.accept(op.completion, failed);
            } finally {
                release(op);
            }
        }
    }

    private void release(Op<?> op) {
        if (op.inKernel) {
            return; // resubmitted (an accept that found nothing): still lent
        }
        if (op.staging != null && op.staging != op.buffer) {
            ArrayDeque<ByteBuffer> pool = op.staging.capacity() == STAGING_SIZE ? stagingPool
                    : op.staging.capacity() == SMALL_STAGING_SIZE ? smallStagingPool : null;
            if (pool != null && pool.size() < MAX_POOLED) {
                pool.add(op.staging);
            }
        }
        if (op.message != null && messagePool.size() < MAX_POOLED) {
            messagePool.add(op.message);
        }
        op.staging = null;
        op.message = null;
    }

    @SuppressWarnings("unchecked")
    private <T> void run(Op<T> op) {
        if (op.error != null) {
            op.completion.failed(op.error);
            return;
        }
        int result = op.result;
        switch (op.kind) {
            case RECV, SEND -> {
                if (op.kind == Kind.RECV) {
                    op.socket.drained = result < op.asked;
                }
                if (result < 0) {
                    fail(op, result, op.kind == Kind.RECV ? "recv" : "send");
                } else {
                    moved(op, result, op.kind == Kind.RECV);
                    ((Completion<Integer>) op.completion).completed(result);
                }
            }
            case RECV_FROM -> {
                if (result < 0) {
                    fail(op, result, "recvmsg");
                } else {
                    moved(op, result, true);
                    SocketAddress sender = Sockaddrs.decode(op.message, NAME_OFFSET, op.message.getInt(8));
                    ((Completion<SocketAddress>) op.completion).completed(sender);
                }
            }
            case SEND_TO -> {
                if (result < 0) {
                    fail(op, result, "sendmsg");
                } else {
                    moved(op, result, false);
                    ((Completion<Integer>) op.completion).completed(result);
                }
            }
            case ACCEPT -> {
                if (op.value != null) {
                    ((Completion<ProactorSocket>) op.completion).completed((ProactorSocket) op.value);
                } else if (byRing(op)) {
                    acceptedByRing((Op<ProactorSocket>) op, result);
                } else if (result < 0) {
                    fail(op, result, "accept");
                } else if (acceptNow((Op<ProactorSocket>) op)) {
                    run(op);
                } else if (op.cancelRequested) {
                    op.completion.cancelled();
                } else {
                    // Readiness without a connection (it was reset, or taken by sock_accept elsewhere): wait again.
                    submit(op, IORING_OP_POLL_ADD, 0, 0, POLLIN);
                }
            }
            case CONNECT -> {
                if (byRing(op)) {
                    connectedByRing((Op<Void>) op, result);
                } else if (result >= 0) {
                    finishConnect((Op<Void>) op);
                } else {
                    fail(op, result, "connect");
                }
            }
            case READ, WRITE -> {
                if (op.polling) {
                    if (result < 0) {
                        fail(op, result, "poll");
                    } else {
                        submitTransfer(op);
                    }
                } else if (result == -EAGAIN && !op.cancelRequested) {
                    op.polling = true;
                    submit(op, IORING_OP_POLL_ADD, 0, 0, op.kind == Kind.READ ? POLLIN : POLLOUT);
                } else if (result < 0) {
                    fail(op, result, op.kind == Kind.READ ? "read" : "write");
                } else {
                    moved(op, result, op.kind == Kind.READ);
                    ((Completion<Integer>) op.completion).completed(result);
                }
            }
            case POLL -> {
                if (result < 0) {
                    fail(op, result, "poll");
                } else {
                    ((Completion<Integer>) op.completion).completed(result);
                }
            }
            case TRANSMIT_FILE -> {
                if (result < 0) {
                    fail(op, result, "sendfile");
                } else {
                    transmitNow((Op<Long>) op);
                }
            }
            default -> throw new AssertionError(op.kind);
        }
    }

    private void transmitNow(Op<Long> op) {
        long sent;
        try {
            WritableByteChannel target = op.socket.isNative()
                    ? sockets.writableChannel((StreamSocket) op.socket.nativeSocket)
                    : (SocketChannel) op.socket.channel();
            sent = op.file.transferTo(op.position, op.count, target);
            if (sent == 0 && op.count > 0 && op.position < op.file.size()) {
                // Writable, yet the kernel took nothing (the buffer filled again meanwhile): wait again.
                if (op.cancelRequested) {
                    op.completion.cancelled();
                } else {
                    submit(op, IORING_OP_POLL_ADD, 0, 0, POLLOUT);
                }
                return;
            }
        } catch (IOException failed) {
            op.completion.failed(failed);
            return;
        } catch (RuntimeException failed) {
            op.completion.failed(new IOException(failed.toString(), failed));
            return;
        }
        op.completion.completed(sent);
    }

    /**
     * The end of an IORING_OP_ACCEPT: the new descriptor becomes a native socket. EAGAIN (the kernel
     * did not wait on a non-blocking listener) waits for readiness and accepts again; a connection
     * that vanished before it was taken (ECONNABORTED, or no peer left to name) is skipped.
     */
    private void acceptedByRing(Op<ProactorSocket> op, int result) {
        if (op.polling) {
            if (result < 0) {
                fail(op, result, "poll");
            } else if (op.cancelRequested) {
                op.completion.cancelled();
            } else {
                submitAccept(op);
            }
            return;
        }
        if (result >= 0) {
            try {
                op.value = new UringSocket(this, sockets.accepted((ListeningSocket) op.socket.nativeSocket, result));
                op.completion.completed(op.value);
                return;
            } catch (IOException vanished) {
                result = -ECONNABORTED;
            }
        }
        if ((result == -EAGAIN || result == -ECONNABORTED) && !op.cancelRequested) {
            if (result == -EAGAIN) {
                op.polling = true;
                submit(op, IORING_OP_POLL_ADD, 0, 0, POLLIN);
            } else {
                submitAccept(op);
            }
        } else if (result == -ECONNABORTED) {
            op.completion.cancelled();
        } else {
            fail(op, result, "accept");
        }
    }

    /** The end of an IORING_OP_CONNECT: the native socket learns it is connected, or the error as NIO types it. */
    private void connectedByRing(Op<Void> op, int result) {
        if (result >= 0) {
            sockets.connected((StreamSocket) op.socket.nativeSocket, op.address);
            op.completion.completed(null);
        } else if (result == -ECANCELED || (op.cancelRequested && result == -EINTR)) {
            op.completion.cancelled();
        } else {
            op.completion.failed(NativeSockets.error(-result, "connect"));
        }
    }

    private void finishConnect(Op<Void> op) {
        if (op.socket.isNative()) {
            try {
                // Writable after connect(2): connected, or the error is in SO_ERROR and thrown here.
                ((StreamSocket) op.socket.nativeSocket).finishConnect();
            } catch (IOException failed) {
                op.completion.failed(failed);
                return;
            }
            op.completion.completed(null);
            return;
        }
        try {
            SocketChannel channel = (SocketChannel) op.socket.channel();
            if (channel.isConnectionPending() && !channel.finishConnect()) {
                if (op.cancelRequested) {
                    op.completion.cancelled();
                } else {
                    submit(op, IORING_OP_POLL_ADD, 0, 0, POLLOUT);
                }
                return;
            }
        } catch (IOException failed) {
            op.completion.failed(failed);
            return;
        } catch (RuntimeException failed) {
            op.completion.failed(new IOException(failed.toString(), failed));
            return;
        }
        op.completion.completed(null);
    }

    /** Takes a waiting connection into the op's value, or its failure into its error; false when none waits. */
    private boolean acceptNow(Op<ProactorSocket> op) {
        if (op.socket.isNative()) {
            try {
                StreamSocket accepted = ((ListeningSocket) op.socket.nativeSocket).accept();
                if (accepted == null) {
                    return false;
                }
                op.value = new UringSocket(this, accepted);
            } catch (IOException failed) {
                op.error = failed;
            }
            return true;
        }
        try {
            SocketChannel accepted = ((ServerSocketChannel) op.socket.channel()).accept();
            if (accepted == null) {
                return false;
            }
            accepted.configureBlocking(false);
            op.value = new UringSocket(this, accepted);
        } catch (IOException failed) {
            op.error = failed;
        } catch (RuntimeException failed) {
            op.error = new IOException(failed.toString(), failed);
        }
        return true;
    }

    private void moved(Op<?> op, int count, boolean received) {
        ByteBuffer buffer = op.buffer;
        if (received && op.staging != buffer) {
            buffer.put(buffer.position(), op.staging, 0, count);
        }
        buffer.position(buffer.position() + count);
    }

    private void fail(Op<?> op, int result, String what) {
        int errno = -result;
        if (errno == ECANCELED || (op.cancelRequested && errno == EINTR)) {
            op.completion.cancelled();
            return;
        }
        op.completion.failed(Sockaddrs.error(errno, what, op.kind == Kind.RECV_FROM || op.kind == Kind.SEND_TO));
    }

    /** The socket is closing: ask the kernel to cancel everything it holds for it, at once. */
    void abort(UringSocket socket) {
        for (Op<?> op : new ArrayList<>(socket.pending)) {
            op.cancel();
        }
        try {
            ring.submit();
            ring.runTaskWork(); // the cancelled operations drop their hold on the file before it is closed
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }

    @Override
    public void wakeup() {
        if (!closed && wakeupPosted.compareAndSet(false, true)) {
            // Under the lock close takes: never a write to the eventfd's number once it is closed
            // (it could name another file by then). Only the first wake-up of a wait gets here.
            synchronized (eventFdLock) {
                if (!closed) {
                    libc().write(eventFd, Kernel.address(WAKE_VALUE.get()), 8);
                }
            }
        }
    }

    /** The 8-byte 1 an eventfd write adds, one direct buffer per writing thread. */
    private static final ThreadLocal<ByteBuffer> WAKE_VALUE = ThreadLocal.withInitial(() -> {
        ByteBuffer one = Kernel.allocate(8);
        one.putLong(0, 1L);
        return one;
    });

    /** Whether accept and connect on native sockets are ring operations here, for tests. */
    boolean acceptsAndConnectsOnTheRing() {
        return ringAccept && ringConnect;
    }

    /** Operations the kernel holds, for tests. */
    int inKernel() {
        return inKernel;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        for (int slot = 0; slot < nextSlot; slot++) {
            Op<?> op = slots[slot];
            if (op != null) {
                op.cancel();
            }
        }
        closed = true;
        completed.clear();
        long deadline = System.nanoTime() + CLOSE_DRAIN_NANOS;
        try {
            ring.submit();
            while (inKernel > 0 && System.nanoTime() < deadline) {
                ring.submitAndWait(Math.max(1, deadline - System.nanoTime()));
                ring.reap(sink);
            }
        } catch (IOException | RuntimeException ignored) {
            // keep what is left in limbo below
        }
        for (int slot = 0; slot < nextSlot; slot++) {
            if (slots[slot] != null) {
                LIMBO.add(slots[slot]);
            }
        }
        // The pending eventfd read's buffer: the kernel may hold it until the ring is torn down.
        LIMBO.add(wakeupBuffer);
        ring.close();
        synchronized (eventFdLock) {
            libc().close(eventFd);
        }
    }

    private static asyncio.uring.ffi.UringLibC libc() {
        return Kernel.libc();
    }

    private static int errno() {
        return Kernel.errno();
    }
}
