package asyncio.tests.proactor;

import asyncio.spi.proactor.Completion;
import asyncio.spi.proactor.CompletionPort;
import asyncio.spi.proactor.Operation;
import asyncio.spi.proactor.ProactorProcess;
import asyncio.spi.proactor.ProactorSocket;
import asyncio.spi.proactor.ReadinessHelper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiConsumer;

/**
 * A completion port emulated on a {@link Selector}, for proving the proactor transports on Linux.
 * An operation is performed non-blockingly at submission when the kernel can take it (as IOCP
 * completes such an operation at once but still posts its completion), otherwise when the
 * selector reports readiness; either way its completion is queued and runs only from
 * {@link #dispatch}, on the loop thread, in the order the operations completed. Sends are cut at
 * {@link #MAX_SEND} bytes so partial sends happen on every large write. A cancel of a receive or
 * accept first tries it once more: data or a connection already there completes the operation
 * (the race a kernel cancel loses), otherwise it completes as cancelled. Closing a socket
 * completes its pending operations as cancelled (aborted), as closesocket does.
 */
public final class EmulatedCompletionPort implements CompletionPort {
    /** The most one send takes; the rest is the transport's to resubmit. */
    static final int MAX_SEND = 48 * 1024;

    private final Selector selector;
    private final ArrayDeque<Op<?>> completed = new ArrayDeque<>();
    /** Completions posted from other threads (process exits), moved to {@link #completed} by poll. */
    private final ConcurrentLinkedQueue<Op<?>> posted = new ConcurrentLinkedQueue<>();
    private boolean closed;

    public EmulatedCompletionPort() {
        try {
            selector = Selector.open();
        } catch (IOException failed) {
            throw new UncheckedIOException("cannot open the emulated completion port's selector", failed);
        }
    }

    enum Kind {
        RECV(SelectionKey.OP_READ), RECV_FROM(SelectionKey.OP_READ), ACCEPT(SelectionKey.OP_ACCEPT),
        READ(SelectionKey.OP_READ), WRITE(SelectionKey.OP_WRITE),
        SEND(SelectionKey.OP_WRITE), SEND_TO(SelectionKey.OP_WRITE), TRANSMIT_FILE(SelectionKey.OP_WRITE),
        CONNECT(SelectionKey.OP_CONNECT),
        /** A process exit, posted from the JDK's reaper thread as a Windows wait callback posts it. */
        EXIT(0),
        /** Not an operation: a watched channel is ready (the {@link ReadinessHelper}); its result is the ready mask. */
        READY(0);

        final int interest;

        Kind(int interest) {
            this.interest = interest;
        }

        boolean reads() {
            return this == RECV || this == RECV_FROM || this == ACCEPT || this == READ;
        }
    }

    /** One submitted operation: its lent buffer stays referenced here until its completion ran. */
    final class Op<T> implements Operation {
        final Kind kind;
        final EmulatedSocket socket;
        final ByteBuffer buffer;
        final SocketAddress address;
        final Completion<T> completion;
        /** For TRANSMIT_FILE: the file and the window to send. */
        FileChannel file;
        long position;
        long count;
        /** 0 pending, 1 completed, 2 failed, 3 cancelled; set once, when queued for dispatch. */
        int outcome;
        T result;
        IOException error;

        Op(Kind kind, EmulatedSocket socket, ByteBuffer buffer, SocketAddress address, Completion<T> completion) {
            this.kind = kind;
            this.socket = socket;
            this.buffer = buffer;
            this.address = address;
            this.completion = completion;
        }

        @Override
        public void cancel() {
            if (outcome != 0) {
                return;
            }
            if (kind == Kind.EXIT) {
                // UnregisterWaitEx: the exit, if it comes later, is dropped in poll().
                finish(this, 3, null, null);
                return;
            }
            if (kind.reads()) {
                // The kernel may have finished it already: then the cancel loses the race.
                attempt(this);
                if (outcome != 0) {
                    queue(socket).remove(this);
                    updateInterest(socket);
                    return;
                }
            }
            queue(socket).remove(this);
            updateInterest(socket);
            finish(this, 3, null, null);
        }

        @SuppressWarnings("unchecked")
        void succeed(Object value) {
            finish(this, 1, (T) value, null);
        }

        void run() {
            switch (outcome) {
                case 1 -> completion.completed(result);
                case 2 -> completion.failed(error);
                default -> completion.cancelled();
            }
        }

        @Override
        public String toString() {
            return kind + " on " + socket;
        }
    }

    private ArrayDeque<Op<?>> queue(EmulatedSocket socket) {
        return socket.pending;
    }

    private <T> void finish(Op<T> op, int outcome, T result, IOException error) {
        op.outcome = outcome;
        op.result = result;
        op.error = error;
        completed.add(op);
    }

    private <T> Operation submit(Op<T> op) {
        if (closed) {
            throw new IllegalStateException("the completion port is closed");
        }
        EmulatedSocket socket = op.socket;
        if (!socket.isOpen()) {
            finish(op, 2, null, new IOException("Socket is closed"));
            return op;
        }
        ArrayDeque<Op<?>> pending = queue(socket);
        if (!hasPending(pending, op.kind.reads())) {
            // Nothing ahead of it in its direction: the kernel would start it at once.
            attempt(op);
            if (op.outcome != 0) {
                return op;
            }
        }
        pending.add(op);
        updateInterest(socket);
        return op;
    }

    private static boolean hasPending(ArrayDeque<Op<?>> pending, boolean reads) {
        for (Op<?> other : pending) {
            if (other.kind.reads() == reads) {
                return true;
            }
        }
        return false;
    }

    /** Tries the operation once without blocking; on an outcome, queues its completion. */
    private void attempt(Op<?> op) {
        try {
            switch (op.kind) {
                case RECV -> {
                    int count = ((SocketChannel) op.socket.channel()).read(op.buffer);
                    if (count != 0 || !op.buffer.hasRemaining()) {
                        op.succeed(Math.max(count, 0));
                    }
                }
                case READ -> {
                    int count = ((ReadableByteChannel) op.socket.channel()).read(op.buffer);
                    if (count != 0 || !op.buffer.hasRemaining()) {
                        op.succeed(Math.max(count, 0));
                    }
                }
                case WRITE -> {
                    ByteBuffer window = op.buffer.remaining() > MAX_SEND
                            ? op.buffer.slice(op.buffer.position(), MAX_SEND) : op.buffer;
                    int count = ((WritableByteChannel) op.socket.channel()).write(window);
                    if (window != op.buffer) {
                        op.buffer.position(op.buffer.position() + count);
                    }
                    if (count > 0 || !op.buffer.hasRemaining()) {
                        op.succeed(count);
                    }
                }
                case RECV_FROM -> {
                    SocketAddress sender = ((DatagramChannel) op.socket.channel()).receive(op.buffer);
                    if (sender != null) {
                        op.succeed(sender);
                    }
                }
                case ACCEPT -> {
                    SocketChannel accepted = ((ServerSocketChannel) op.socket.channel()).accept();
                    if (accepted != null) {
                        accepted.configureBlocking(false);
                        op.succeed(new EmulatedSocket(this, accepted));
                    }
                }
                case SEND -> {
                    ByteBuffer window = op.buffer.remaining() > MAX_SEND
                            ? op.buffer.slice(op.buffer.position(), MAX_SEND) : op.buffer;
                    int count = ((SocketChannel) op.socket.channel()).write(window);
                    if (window != op.buffer) {
                        op.buffer.position(op.buffer.position() + count);
                    }
                    if (count > 0 || !op.buffer.hasRemaining()) {
                        op.succeed(count);
                    }
                }
                case SEND_TO -> {
                    DatagramChannel channel = (DatagramChannel) op.socket.channel();
                    int size = op.buffer.remaining();
                    int count = op.address == null ? channel.write(op.buffer) : channel.send(op.buffer, op.address);
                    if (count > 0 || size == 0) {
                        op.succeed(count);
                    }
                }
                case TRANSMIT_FILE -> {
                    long sent = op.file.transferTo(op.position, Math.min(op.count, MAX_SEND),
                            (SocketChannel) op.socket.channel());
                    if (sent > 0 || op.position >= op.file.size()) {
                        op.succeed(sent);
                    }
                }
                case CONNECT -> {
                    SocketChannel channel = (SocketChannel) op.socket.channel();
                    if (channel.isConnectionPending() ? channel.finishConnect() : channel.connect(op.address)) {
                        op.succeed(null);
                    }
                }
                default -> throw new AssertionError(op.kind);
            }
        } catch (IOException failed) {
            finishFailed(op, failed);
        } catch (RuntimeException failed) {
            finishFailed(op, new IOException(failed.toString(), failed));
        }
    }

    private <T> void finishFailed(Op<T> op, IOException error) {
        finish(op, 2, null, error);
    }

    private void updateInterest(EmulatedSocket socket) {
        if (!socket.isOpen() || closed) {
            return;
        }
        int interest = 0;
        boolean readSeen = false;
        boolean writeSeen = false;
        for (Op<?> op : socket.pending) {
            if (op.kind.reads() && !readSeen) {
                interest |= op.kind.interest;
                readSeen = true;
            } else if (!op.kind.reads() && !writeSeen) {
                interest |= op.kind.interest;
                writeSeen = true;
            }
        }
        SelectionKey key = socket.key;
        if (key == null) {
            if (interest == 0) {
                return;
            }
            try {
                socket.key = socket.selectable().register(selector, interest, socket);
            } catch (IOException failed) {
                throw new UncheckedIOException(failed);
            }
        } else if (key.isValid() && key.interestOps() != interest) {
            key.interestOps(interest);
        }
    }

    /** The socket is closing: its pending operations complete as aborted (cancelled). */
    void aborted(EmulatedSocket socket) {
        Op<?> op;
        while ((op = socket.pending.poll()) != null) {
            if (op.outcome == 0) {
                finish(op, 3, null, null);
            }
        }
        if (socket.key != null) {
            socket.key.cancel();
            // A channel still registered closes its descriptor only at the selector's next select;
            // flush the cancelled key now so the close is immediate, as closesocket is (a closed
            // listener refuses at once). Keys found ready meanwhile wait in the selected set for poll().
            if (!closed) {
                try {
                    selector.selectNow();
                } catch (IOException | ClosedSelectorException ignored) {
                    // The close goes on; the descriptor then goes at the next select.
                }
            }
        }
    }

    @Override
    public Operation recv(ProactorSocket socket, ByteBuffer target, Completion<Integer> completion) {
        return submit(new Op<>(Kind.RECV, (EmulatedSocket) socket, target, null, completion));
    }

    @Override
    public Operation send(ProactorSocket socket, ByteBuffer source, Completion<Integer> completion) {
        return submit(new Op<>(Kind.SEND, (EmulatedSocket) socket, source, null, completion));
    }

    @Override
    public Operation accept(ProactorSocket listener, Completion<ProactorSocket> completion) {
        return submit(new Op<>(Kind.ACCEPT, (EmulatedSocket) listener, null, null, completion));
    }

    @Override
    public Operation connect(ProactorSocket socket, SocketAddress remote, Completion<Void> completion) {
        return submit(new Op<>(Kind.CONNECT, (EmulatedSocket) socket, null, remote, completion));
    }

    @Override
    public Operation recvFrom(ProactorSocket socket, ByteBuffer target, Completion<SocketAddress> completion) {
        return submit(new Op<>(Kind.RECV_FROM, (EmulatedSocket) socket, target, null, completion));
    }

    @Override
    public Operation sendTo(ProactorSocket socket, ByteBuffer source, SocketAddress target,
                            Completion<Integer> completion) {
        return submit(new Op<>(Kind.SEND_TO, (EmulatedSocket) socket, source, target, completion));
    }

    @Override
    public Operation read(ProactorSocket pipe, ByteBuffer target, Completion<Integer> completion) {
        return submit(new Op<>(Kind.READ, (EmulatedSocket) pipe, target, null, completion));
    }

    @Override
    public Operation write(ProactorSocket pipe, ByteBuffer source, Completion<Integer> completion) {
        return submit(new Op<>(Kind.WRITE, (EmulatedSocket) pipe, source, null, completion));
    }

    @Override
    public Operation transmitFile(ProactorSocket socket, FileChannel file, long position, long count,
                                  Completion<Long> completion) {
        Op<Long> op = new Op<>(Kind.TRANSMIT_FILE, (EmulatedSocket) socket, null, null, completion);
        op.file = file;
        op.position = position;
        op.count = count;
        return submit(op);
    }

    /** The JDK's reaper thread sees the exit; it posts the completion and wakes the port, as PostQueuedCompletionStatus. */
    @Override
    public Operation waitForExit(ProactorProcess process, Completion<Void> completion) {
        if (closed) {
            throw new IllegalStateException("the completion port is closed");
        }
        Op<Void> op = new Op<>(Kind.EXIT, null, null, null, completion);
        ((EmulatedProcess) process).process().onExit().thenRun(() -> {
            posted.add(op);
            wakeup();
        });
        return op;
    }

    @Override
    public ReadinessHelper readiness() {
        return this::watch;
    }

    /** The readiness helper on the port's own selector: the key's attachment is the watch. */
    private void watch(SelectableChannel channel, int ops, ReadinessHelper.Listener listener) {
        SelectionKey key = channel.keyFor(selector);
        if (key != null && key.isValid() && !(key.attachment() instanceof Watched)) {
            throw new IllegalStateException("the emulated port already performs operations on " + channel);
        }
        if (ops == 0) {
            if (key != null) {
                key.cancel();
            }
            return;
        }
        int interest = (ops & SelectionKey.OP_READ) != 0 ? channel.validOps() & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT) : 0;
        if ((ops & SelectionKey.OP_WRITE) != 0) {
            interest |= channel.validOps() & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT);
        }
        try {
            if (key != null && !key.isValid()) {
                // A key cancelled earlier leaves the selector only at its next select.
                selector.selectNow();
            }
            if (key == null || !key.isValid()) {
                channel.register(selector, interest, new Watched(listener));
            } else {
                key.interestOps(interest);
                ((Watched) key.attachment()).listener = listener;
            }
        } catch (IOException failed) {
            throw new UncheckedIOException("cannot watch " + channel, failed);
        }
    }

    /** A channel the application watches: each poll that finds it ready queues one notification. */
    private final class Watched {
        ReadinessHelper.Listener listener;

        Watched(ReadinessHelper.Listener listener) {
            this.listener = listener;
        }

        void ready(int readyOps) {
            int ops = ((readyOps & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0 ? SelectionKey.OP_READ : 0)
                    | ((readyOps & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0 ? SelectionKey.OP_WRITE : 0);
            if (ops == 0) {
                return;
            }
            ReadinessHelper.Listener target = listener;
            Op<Integer> notification = new Op<>(Kind.READY, null, null, null, new Completion<>() {
                @Override
                public void completed(Integer result) {
                    target.ready(result);
                }

                @Override
                public void failed(IOException error) {
                    // A readiness notification never fails.
                }

                @Override
                public void cancelled() {
                    // Nor is it cancelled: a watch that ends just stops queuing them.
                }

                @Override
                public String toString() {
                    return "<ready " + target + ">";
                }
            });
            finish(notification, 1, ops, null);
        }
    }

    @Override
    public void poll(long timeoutNanos) {
        try {
            if (!completed.isEmpty() || !posted.isEmpty() || timeoutNanos == 0) {
                selector.selectNow();
            } else if (timeoutNanos < 0) {
                selector.select();
            } else {
                selector.select(Math.max(1, (timeoutNanos + 999_999) / 1_000_000));
            }
        } catch (IOException failed) {
            throw new UncheckedIOException("select failed", failed);
        } catch (ClosedSelectorException closing) {
            return;
        }
        Op<?> exit;
        while ((exit = posted.poll()) != null) {
            if (exit.outcome == 0) {
                exit.succeed(null);
            }
        }
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
            SelectionKey key = keys.next();
            keys.remove();
            if (!key.isValid()) {
                continue;
            }
            if (key.attachment() instanceof Watched watched) {
                watched.ready(key.readyOps());
                continue;
            }
            EmulatedSocket socket = (EmulatedSocket) key.attachment();
            int ready = key.readyOps();
            progress(socket, true, ready);
            progress(socket, false, ready);
            updateInterest(socket);
        }
    }

    /** Performs the head operations of one direction while the kernel takes them. */
    private void progress(EmulatedSocket socket, boolean reads, int ready) {
        for (Iterator<Op<?>> it = socket.pending.iterator(); it.hasNext(); ) {
            Op<?> op = it.next();
            if (op.kind.reads() != reads) {
                continue;
            }
            if ((ready & op.kind.interest) == 0) {
                return;
            }
            attempt(op);
            if (op.outcome == 0) {
                return;
            }
            it.remove();
        }
    }

    @Override
    public void dispatch(BiConsumer<Completion<?>, RuntimeException> uncaught) {
        // Only what completed before this dispatch: completions posted meanwhile wait for the next poll.
        for (int count = completed.size(); count > 0; count--) {
            Op<?> op = completed.poll();
            try {
                op.run();
            } catch (RuntimeException error) {
                uncaught.accept(op.completion, error);
            }
        }
    }

    @Override
    public void wakeup() {
        try {
            selector.wakeup();
        } catch (ClosedSelectorException closing) {
            // Nobody waits any more.
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Completions still queued are dropped with their buffers (nothing of a selector holds
        // them); a connection accepted but never handed over is closed, as its owner would have.
        Op<?> op;
        while ((op = completed.poll()) != null) {
            if (op.kind == Kind.ACCEPT && op.outcome == 1 && op.result instanceof EmulatedSocket accepted) {
                try {
                    accepted.close();
                } catch (IOException ignored) {
                    // Closing is all that was left to do.
                }
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // Nothing left to release.
        }
    }
}
