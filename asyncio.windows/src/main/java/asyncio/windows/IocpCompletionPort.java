package asyncio.windows;

import static asyncio.windows.ffi.WinApi.*;

import asyncio.spi.proactor.Completion;
import asyncio.spi.proactor.CompletionPort;
import asyncio.spi.proactor.Operation;
import asyncio.spi.proactor.ProactorProcess;
import asyncio.spi.proactor.ProactorSocket;
import asyncio.windows.ffi.Offsets;
import asyncio.windows.ffi.Win32;
import asyncio.windows.ffi.Win32Processes;
import com.kenai.jffi.MemoryIO;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * The {@link CompletionPort} on a Windows I/O completion port: asyncio's {@code IocpProactor}.
 * Every socket is associated with the port when it is made; every operation is an overlapped call
 * (WSARecv, WSASend, WSARecvFrom, WSASendTo, AcceptEx, ConnectEx, ReadFile, WriteFile) whose
 * OVERLAPPED lives in a pinned {@link OpBlock}; {@link #poll} removes finished operations with
 * GetQueuedCompletionStatusEx, {@link Operation#cancel()} is CancelIoEx, and {@link #wakeup()} posts
 * an empty completion with PostQueuedCompletionStatus.
 *
 * <p>The proactor's one rule (docs/decisions.md, "IOCP: pinned memory"): an operation's OVERLAPPED,
 * WSABUF, address and data memory are native, and referenced from its {@link Op}, which stays in
 * {@link #slots} from the call until its completion has been removed from the port, whatever cancel,
 * closesocket or close do meanwhile. The kernel writes into that memory until then; freeing or
 * reusing it earlier corrupts the heap. What close cannot drain stays in {@link #LIMBO} for good.
 *
 * <p>Completions always come through the port (no FILE_SKIP_COMPLETION_PORT_ON_SUCCESS): an
 * operation that finished inside its call is reported like any other, one path for all.
 */
final class IocpCompletionPort implements CompletionPort {
    /** Completions removed per GetQueuedCompletionStatusEx. */
    static final int ENTRIES = 128;
    /** Size of the direct copies heap buffers are staged in; a longer send is partial (the transport resubmits). */
    static final int STAGING_SIZE = 64 * 1024;
    private static final int MAX_POOLED = 16;
    private static final long CLOSE_DRAIN_NANOS = 2_000_000_000L;
    /** Completion key of operations (every socket is associated with 0) and of the wake-up post. */
    static final long OPERATION_KEY = 0;
    static final long WAKEUP_KEY = 1;
    /** Completion key of the readiness helper's posts (addReader/addWriter; {@link WindowsReadiness}). */
    static final long READINESS_KEY = 2;

    /** Operations a closed port could not drain: the kernel may still write into their memory. */
    static final Set<Object> LIMBO = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    enum Kind { RECV, SEND, ACCEPT, CONNECT, RECV_FROM, SEND_TO, READ, WRITE, EXIT, TRANSMIT }

    final Win32 win32;
    final long handle;
    private final ByteBuffer entries;
    private final long entriesAddress;
    /** Scratch for calls on the loop thread whose memory the kernel does not keep (counts, options, addresses). */
    final ByteBuffer scratch;
    final long scratchAddress;
    private final AtomicBoolean wakeupPosted = new AtomicBoolean();
    private final Object handleLock = new Object();
    private Op<?>[] slots = new Op<?>[64];
    private int[] freeSlots = new int[64];
    private int freeCount;
    private int nextSlot;
    private int generation;
    private int inKernel;
    private final ArrayDeque<Op<?>> completed = new ArrayDeque<>();
    private final ArrayDeque<ByteBuffer> stagingPool = new ArrayDeque<>();
    private final ArrayDeque<OpBlock> blockPool = new ArrayDeque<>();
    private final Extensions extensions;
    private volatile boolean closed;
    // --- processes: the child-exit waits (null until the loop has the process binding) ---
    private Win32Processes processes;
    private ExitWaiters exitWaiters;
    /** Set, under {@link #handleLock}, once the port's handle is closed: no post may reach it after. */
    private boolean handleClosed;

    IocpCompletionPort(Win32 win32) throws IOException {
        this.win32 = win32;
        this.entries = direct(ENTRIES * Offsets.ENTRY_SIZE);
        this.entriesAddress = address(entries);
        this.scratch = direct(Offsets.SOCKADDR_STORAGE_SIZE + 64);
        this.scratchAddress = address(scratch);
        this.extensions = new Extensions(this);
        ByteBuffer wsaData = direct(512); // WSADATA is 408 bytes on x64
        int started = win32.WSAStartup((short) WINSOCK_VERSION_2_2, address(wsaData));
        if (started != 0) {
            throw WinErrors.exception(started, "WSAStartup");
        }
        long port = win32.CreateIoCompletionPort(INVALID_HANDLE_VALUE, 0, 0, 1);
        if (port == 0) {
            throw WinErrors.exception(win32.lastError(), "CreateIoCompletionPort");
        }
        this.handle = port;
    }

    /** One operation in the kernel: everything the kernel may touch stays referenced here until its completion. */
    final class Op<T> implements Operation {
        final Kind kind;
        final WindowsSocket socket;
        final ByteBuffer buffer;
        final Completion<T> completion;
        /** OVERLAPPED, WSABUF, flags, address and AcceptEx output: pinned native memory. */
        OpBlock block;
        /** The direct memory the kernel reads or writes: the buffer itself, or a staging copy. */
        ByteBuffer staging;
        /** ACCEPT: the socket AcceptEx connects; closed unless handed to the completion. */
        WindowsSocket accepted;
        int slot = -1;
        /** Written into the block beside the slot: a completion must name both. */
        int generation;
        boolean inKernel;
        boolean cancelRequested;
        int bytes;
        /** The Win32 error of the operation, 0 when it succeeded. */
        int error;
        /** A failure known without the kernel (closed socket, bad address). */
        IOException failure;

        Op(Kind kind, WindowsSocket socket, ByteBuffer buffer, Completion<T> completion) {
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
            if (kind == Kind.EXIT) {
                // processes: the waiter posts the wait as aborted, unless the exit was posted first.
                exitWaiters.cancel(block.address);
                return;
            }
            if (!socket.isOpen()) {
                // Closing the handle aborted the operation already (its completion is on its way);
                // a CancelIoEx on the closed handle value could only fail, or reach a new handle.
                return;
            }
            // FALSE with ERROR_NOT_FOUND: it already completed, and its completion is on its way.
            win32.CancelIoEx(socket.handle, block.address);
        }

        @Override
        public String toString() {
            return kind + (socket == null ? "" : " on " + socket);
        }
    }

    // --- operations ---

    @Override
    public Operation recv(ProactorSocket socket, ByteBuffer target, Completion<Integer> completion) {
        Op<Integer> op = start(Kind.RECV, socket, target, completion);
        if (op.failure == null) {
            OpBlock b = op.block;
            int length = lend(op, target, false); // sets op.staging: before reading it
            b.wsabuf(op.staging, length);
            b.flags(0);
            issue(op, win32.WSARecv(op.socket.handle, b.wsabufAddress(), 1, 0, b.flagsAddress(), b.address, 0));
        }
        return op;
    }

    @Override
    public Operation send(ProactorSocket socket, ByteBuffer source, Completion<Integer> completion) {
        Op<Integer> op = start(Kind.SEND, socket, source, completion);
        if (op.failure == null) {
            OpBlock b = op.block;
            int length = lend(op, source, true); // sets op.staging: before reading it
            b.wsabuf(op.staging, length);
            issue(op, win32.WSASend(op.socket.handle, b.wsabufAddress(), 1, 0, 0, b.address, 0));
        }
        return op;
    }

    @Override
    public Operation accept(ProactorSocket listener, Completion<ProactorSocket> completion) {
        Op<ProactorSocket> op = start(Kind.ACCEPT, listener, null, completion);
        if (op.failure != null) {
            return op;
        }
        if (op.socket.channel() instanceof java.nio.channels.Channel) {
            // sock_accept: the socket AcceptEx fills cannot become the NIO SocketChannel it must return.
            failNow(op, new IOException("sock_accept is not supported by the Windows proactor loop yet"));
            return op;
        }
        try {
            long function = extensions.acceptEx(op.socket.handle);
            op.accepted = WindowsSocket.open(this, op.socket.family, SOCK_STREAM);
            OpBlock b = op.block;
            b.listenHandle(op.socket.handle);
            issue(op, win32.AcceptEx(function, op.socket.handle, op.accepted.handle, b.acceptOutputAddress(), 0,
                    ACCEPTEX_ADDRESS_LENGTH, ACCEPTEX_ADDRESS_LENGTH, 0, b.address));
        } catch (IOException failed) {
            failNow(op, failed);
        }
        return op;
    }

    @Override
    public Operation connect(ProactorSocket socket, SocketAddress remote, Completion<Void> completion) {
        Op<Void> op = start(Kind.CONNECT, socket, null, completion);
        if (op.failure != null) {
            return op;
        }
        try {
            long function = extensions.connectEx(op.socket.handle);
            // ConnectEx needs a bound socket.
            op.socket.bindAnyIfUnbound();
            OpBlock b = op.block;
            int length = Sockaddrs.encode(remote, op.socket.family == AF_INET6, b.buffer, OpBlock.ADDRESS);
            issue(op, win32.ConnectEx(function, op.socket.handle, b.addressAddress(), length, 0, 0, 0, b.address));
        } catch (IOException | RuntimeException failed) {
            failNow(op, failed);
        }
        return op;
    }

    @Override
    public Operation recvFrom(ProactorSocket socket, ByteBuffer target, Completion<SocketAddress> completion) {
        Op<SocketAddress> op = start(Kind.RECV_FROM, socket, target, completion);
        if (op.failure == null) {
            OpBlock b = op.block;
            int length = lend(op, target, false); // sets op.staging: before reading it
            b.wsabuf(op.staging, length);
            b.flags(0);
            b.addressLength(Offsets.SOCKADDR_STORAGE_SIZE);
            issue(op, win32.WSARecvFrom(op.socket.handle, b.wsabufAddress(), 1, 0, b.flagsAddress(),
                    b.addressAddress(), b.addressLengthAddress(), b.address, 0));
        }
        return op;
    }

    @Override
    public Operation sendTo(ProactorSocket socket, ByteBuffer source, SocketAddress target, Completion<Integer> completion) {
        Op<Integer> op = start(Kind.SEND_TO, socket, source, completion);
        if (op.failure != null) {
            return op;
        }
        try {
            OpBlock b = op.block;
            int addressLength = target == null ? 0
                    : Sockaddrs.encode(target, op.socket.family == AF_INET6, b.buffer, OpBlock.ADDRESS);
            int length = lend(op, source, true); // sets op.staging: before reading it
            b.wsabuf(op.staging, length);
            issue(op, win32.WSASendTo(op.socket.handle, b.wsabufAddress(), 1, 0, 0,
                    target == null ? 0 : b.addressAddress(), addressLength, b.address, 0));
        } catch (IOException | RuntimeException bad) {
            failNow(op, bad);
        }
        return op;
    }

    @Override
    public Operation read(ProactorSocket pipe, ByteBuffer target, Completion<Integer> completion) {
        Op<Integer> op = start(Kind.READ, pipe, target, completion);
        if (op.failure == null) {
            int length = lend(op, target, false);
            issue(op, win32.ReadFile(op.socket.handle, address(op.staging) + op.staging.position(), length, 0,
                    op.block.address) != 0 ? 0 : SOCKET_ERROR);
        }
        return op;
    }

    @Override
    public Operation write(ProactorSocket pipe, ByteBuffer source, Completion<Integer> completion) {
        Op<Integer> op = start(Kind.WRITE, pipe, source, completion);
        if (op.failure == null) {
            int length = lend(op, source, true);
            issue(op, win32.WriteFile(op.socket.handle, address(op.staging) + op.staging.position(), length, 0,
                    op.block.address) != 0 ? 0 : SOCKET_ERROR);
        }
        return op;
    }

    /** A new operation with its pinned block, registered in a slot the OVERLAPPED names; or failed at once. */
    private <T> Op<T> start(Kind kind, ProactorSocket socket, ByteBuffer buffer, Completion<T> completion) {
        if (closed) {
            throw new IllegalStateException("the completion port is closed");
        }
        Op<T> op = new Op<>(kind, (WindowsSocket) socket, buffer, completion);
        if (!op.socket.isOpen()) {
            failNow(op, new IOException("Socket is closed"));
            return op;
        }
        OpBlock block = blockPool.poll();
        op.block = block == null ? new OpBlock() : block;
        op.slot = takeSlot(op);
        op.generation = generation;
        op.block.reset(op.slot, generation);
        return op;
    }

    /**
     * After the overlapped call: {@code result} 0 (finished inside the call; its completion is
     * queued all the same) or SOCKET_ERROR with WSA_IO_PENDING (in flight) leaves the operation to
     * the kernel; any other error means the kernel never took it, and it fails now.
     */
    private void issue(Op<?> op, int result) {
        int error = result == 0 ? 0 : win32.lastError();
        if (result == 0 || error == WSA_IO_PENDING) {
            op.inKernel = true;
            inKernel++;
            op.socket.pending++;
            return;
        }
        freeSlot(op);
        op.error = error;
        completed.add(op);
    }

    /** Picks the memory the kernel gets: the buffer if direct, else a staging copy (filled for a send). */
    private int lend(Op<?> op, ByteBuffer buffer, boolean send) {
        if (buffer.isDirect()) {
            op.staging = buffer;
            return buffer.remaining();
        }
        boolean whole = op.kind == Kind.SEND_TO && buffer.remaining() > STAGING_SIZE;
        ByteBuffer staging = whole ? ByteBuffer.allocateDirect(buffer.remaining()) : stagingPool.poll();
        if (staging == null) {
            staging = ByteBuffer.allocateDirect(STAGING_SIZE);
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

    private int takeSlot(Op<?> op) {
        int slot;
        if (freeCount > 0) {
            slot = freeSlots[--freeCount];
        } else {
            if (nextSlot == slots.length) {
                slots = Arrays.copyOf(slots, nextSlot * 2);
                freeSlots = Arrays.copyOf(freeSlots, nextSlot * 2);
            }
            slot = nextSlot++;
        }
        generation++;
        slots[slot] = op;
        return slot;
    }

    private void freeSlot(Op<?> op) {
        if (op.slot >= 0 && slots[op.slot] == op) {
            slots[op.slot] = null;
            freeSlots[freeCount++] = op.slot;
        }
    }

    private void failNow(Op<?> op, Exception failure) {
        if (op.slot >= 0) {
            freeSlot(op);
        }
        op.failure = failure instanceof IOException io ? io : new IOException(failure.toString(), failure);
        completed.add(op);
    }

    // --- completions ---

    @Override
    public void poll(long timeoutNanos) {
        if (closed) {
            return;
        }
        int milliseconds = !completed.isEmpty() ? 0
                : timeoutNanos < 0 ? INFINITE
                : (int) Math.min(Integer.MAX_VALUE - 1, (timeoutNanos + 999_999) / 1_000_000);
        int removed = remove(milliseconds);
        if (removed < 0) {
            throw new UncheckedIOException(WinErrors.exception(-removed, "GetQueuedCompletionStatusEx"));
        }
    }

    /** One GetQueuedCompletionStatusEx: finished operations leave the kernel. The count, or -error. */
    private int remove(int milliseconds) {
        scratch.putInt(0, 0);
        if (win32.GetQueuedCompletionStatusEx(handle, entriesAddress, ENTRIES, scratchAddress, milliseconds, 0) == 0) {
            int error = win32.lastError();
            return error == WAIT_TIMEOUT ? 0 : -error;
        }
        int count = scratch.getInt(0);
        for (int i = 0; i < count; i++) {
            int at = i * Offsets.ENTRY_SIZE;
            long overlapped = entries.getLong(at + Offsets.ENTRY_OVERLAPPED);
            if (overlapped == 0) {
                // The wake-up or a readiness post (its reports wait in WindowsReadiness): no operation behind it.
                if (entries.getLong(at + Offsets.ENTRY_KEY) != READINESS_KEY) {
                    wakeupPosted.set(false);
                }
                continue;
            }
            finished(overlapped, entries.getInt(at + Offsets.ENTRY_BYTES));
        }
        return count;
    }

    /** The operation whose OVERLAPPED is at {@code overlapped} completed: find it by the slot its block names. */
    private void finished(long overlapped, int bytes) {
        MemoryIO memory = MemoryIO.getInstance();
        int slot = memory.getInt(overlapped + OpBlock.SLOT);
        int tag = memory.getInt(overlapped + OpBlock.GENERATION);
        Op<?> op = slot >= 0 && slot < nextSlot ? slots[slot] : null;
        if (op == null || op.block.address != overlapped || op.generation != tag) {
            return; // not ours: cannot happen unless memory was reused too early
        }
        freeSlot(op);
        op.inKernel = false;
        inKernel--;
        if (op.socket != null) {
            op.socket.pending--;
        }
        op.bytes = bytes;
        // OVERLAPPED.Internal is the NTSTATUS; the Win32 error behind a failure comes from
        // (WSA)GetOverlappedResult, which translates it as the rest of Win32 reports errors.
        long status = memory.getLong(overlapped + Offsets.OVERLAPPED_INTERNAL);
        op.error = status == STATUS_SUCCESS ? 0 : errorOf(op);
        if (!closed) {
            completed.add(op);
        } else {
            if (op.accepted != null) {
                op.accepted.closeQuietly();
            }
            release(op);
        }
    }

    private int errorOf(Op<?> op) {
        OpBlock b = op.block;
        if (op.kind == Kind.EXIT) {
            return ERROR_OPERATION_ABORTED; // processes: the only status a waiter posts besides success
        }
        int ok = op.kind == Kind.READ || op.kind == Kind.WRITE
                ? win32.GetOverlappedResult(op.socket.handle, b.address, b.transferredAddress(), 0)
                : win32.WSAGetOverlappedResult(op.socket.handle, b.address, b.transferredAddress(), 0, b.flagsAddress());
        return ok != 0 ? 0 : win32.lastError();
    }

    @Override
    public void dispatch(BiConsumer<Completion<?>, RuntimeException> uncaught) {
        for (int count = completed.size(); count > 0; count--) {
            Op<?> op = completed.poll();
            try {
                Outcomes.deliver(this, op);
            } catch (RuntimeException failed) {
                uncaught.accept(op.completion, failed);
            } finally {
                release(op);
            }
        }
        if (readiness != null) {
            readiness.dispatch(uncaught);
        }
    }

    /** The kernel is done with the operation's memory: back to the pools. */
    private void release(Op<?> op) {
        if (op.inKernel) {
            return;
        }
        if (op.staging != null && op.staging != op.buffer && op.staging.capacity() == STAGING_SIZE
                && stagingPool.size() < MAX_POOLED) {
            stagingPool.add(op.staging);
        }
        if (op.block != null && blockPool.size() < MAX_POOLED) {
            blockPool.add(op.block);
        }
        op.staging = null;
        op.block = null;
    }

    /** Operations the kernel holds, for tests. */
    int inKernel() {
        return inKernel;
    }

    @Override
    public void wakeup() {
        if (!closed && wakeupPosted.compareAndSet(false, true)) {
            // Under the lock close takes: never a post to the port's handle once it is closed.
            synchronized (handleLock) {
                if (!closed) {
                    win32.PostQueuedCompletionStatus(handle, 0, WAKEUP_KEY, 0);
                }
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (readiness != null) {
            readiness.close(); // its thread posts to the port: stopped before the handle closes
        }
        for (int slot = 0; slot < nextSlot; slot++) {
            Op<?> op = slots[slot];
            if (op != null) {
                op.cancel();
            }
        }
        closed = true;
        for (Op<?> op : completed) {
            if (op.accepted != null) {
                op.accepted.closeQuietly();
            }
        }
        completed.clear();
        long deadline = System.nanoTime() + CLOSE_DRAIN_NANOS;
        while (inKernel > 0 && System.nanoTime() < deadline) {
            int left = (int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            if (remove(left) < 0) {
                break;
            }
        }
        for (int slot = 0; slot < nextSlot; slot++) {
            if (slots[slot] != null) {
                LIMBO.add(slots[slot]);
            }
        }
        if (exitWaiters != null) {
            exitWaiters.close();
        }
        synchronized (handleLock) {
            handleClosed = true;
            win32.CloseHandle(handle);
        }
    }

    // --- processes ---

    /** Gives the port the process binding, which {@link #waitForExit} needs. */
    void processes(Win32Processes binding) {
        processes = binding;
    }

    /**
     * Completes once {@code process} exited: a waiter thread ({@link ExitWaiters}) sees its handle
     * signalled and posts this operation's OVERLAPPED to the port, as the kernel would post an I/O
     * completion, so the exit arrives through {@link #poll} in order with the pipes' completions.
     */
    @Override
    public Operation waitForExit(ProactorProcess process, Completion<Void> completion) {
        if (closed) {
            throw new IllegalStateException("the completion port is closed");
        }
        if (processes == null) {
            throw new UnsupportedOperationException("the completion port cannot wait for processes");
        }
        if (exitWaiters == null) {
            exitWaiters = new ExitWaiters(processes, this::postExit);
        }
        Op<Void> op = new Op<>(Kind.EXIT, null, null, completion);
        OpBlock block = blockPool.poll();
        op.block = block == null ? new OpBlock() : block;
        op.slot = takeSlot(op);
        op.generation = generation;
        op.block.reset(op.slot, generation);
        try {
            exitWaiters.add(((WindowsProcess) process).processHandle(), op.block.address);
        } catch (RuntimeException failed) {
            failNow(op, failed); // no waiter thread could be had (CreateEventW failed): nothing in flight
            return op;
        }
        op.inKernel = true;
        inKernel++;
        return op;
    }

    /** On a waiter thread: the status goes where the kernel puts an operation's, then the entry is posted. */
    private void postExit(long overlapped, boolean cancelled) {
        MemoryIO.getInstance().putLong(overlapped + Offsets.OVERLAPPED_INTERNAL,
                cancelled ? STATUS_CANCELLED : STATUS_SUCCESS);
        synchronized (handleLock) {
            if (!handleClosed) {
                win32.PostQueuedCompletionStatus(handle, 0, OPERATION_KEY, overlapped);
            }
        }
    }

    /** Waiter threads, for tests (0 before the first wait). */
    int exitWaiterThreads() {
        return exitWaiters == null ? 0 : exitWaiters.threads();
    }

    // --- readiness (addReader/addWriter, issue 14's h-win-io): the helper thread's posts ---

    private WindowsReadiness readiness;

    /** Gives the port its readiness helper (the loop makes it: it knows the channels' SOCKETs). */
    void readiness(WindowsReadiness helper) {
        this.readiness = helper;
    }

    @Override
    public asyncio.spi.proactor.ReadinessHelper readiness() {
        return readiness;
    }

    /** From the helper's thread: wakes the loop's GetQueuedCompletionStatusEx for the sockets it found ready. */
    void postReadiness() {
        synchronized (handleLock) {
            if (!closed) {
                win32.PostQueuedCompletionStatus(handle, 0, READINESS_KEY, 0);
            }
        }
    }

    // --- end of readiness ---

    // --- TransmitFile (sendfile, issue 14's h-win-io) ---

    private TransmitFiles transmitFiles;

    /** Gives the port TransmitFile (the loop makes it; without it sendfile copies). */
    void transmitFiles(TransmitFiles files) {
        this.transmitFiles = files;
    }

    /**
     * TransmitFile of {@code count} bytes from {@code position} (the OVERLAPPED's Offset/OffsetHigh;
     * the file's own position is left alone). Raises SendfileNotAvailableError before anything is
     * sent when there is no TransmitFile or no HANDLE, so the loop copies instead.
     */
    @Override
    public Operation transmitFile(ProactorSocket socket, java.nio.channels.FileChannel file, long position, long count,
                                  Completion<Long> completion) {
        if (transmitFiles == null) {
            throw new asyncio.api.SendfileNotAvailableError("this Windows loop has no TransmitFile");
        }
        long fileHandle = transmitFiles.handleOf(file);
        Op<Long> op = start(Kind.TRANSMIT, socket, null, completion);
        if (op.failure != null) {
            return op;
        }
        try {
            long function = transmitFiles.function(this, op.socket.handle);
            OpBlock b = op.block;
            b.buffer.putInt(asyncio.windows.ffi.Win32TransmitFile.OVERLAPPED_OFFSET, (int) position);
            b.buffer.putInt(asyncio.windows.ffi.Win32TransmitFile.OVERLAPPED_OFFSET_HIGH, (int) (position >>> 32));
            int sent = transmitFiles.api.TransmitFile(function, op.socket.handle, fileHandle,
                    (int) Math.min(count, Integer.MAX_VALUE), 0, b.address, 0, 0);
            int error = sent != 0 ? 0 : transmitFiles.api.lastError();
            if (sent != 0 || error == WSA_IO_PENDING) {
                op.inKernel = true;
                inKernel++;
                op.socket.pending++;
            } else {
                freeSlot(op);
                op.error = error;
                completed.add(op);
            }
        } catch (IOException failed) {
            failNow(op, failed);
        }
        return op;
    }

    // --- end of TransmitFile ---

    static ByteBuffer direct(int size) {
        return ByteBuffer.allocateDirect(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The native address of a direct buffer's first byte (not its position). */
    static long address(ByteBuffer direct) {
        return MemoryIO.getInstance().getDirectBufferAddress(direct);
    }
}
