package asyncio.selector;

import asyncio.spi.readiness.Readiness;
import asyncio.spi.readiness.ReadyListener;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/** A channel's {@link SelectionKey} as a {@link Readiness}: interest bits and the listener to call. */
final class NioRegistration implements Readiness {
    final SelectionKey key;
    final ReadyListener listener;
    private final int readOp;
    private int interest;
    private boolean cancelled;

    NioRegistration(SelectionKey key, ReadyListener listener, int readOp) {
        this.key = key;
        this.listener = listener;
        this.readOp = readOp;
    }

    @Override
    public void watchRead(boolean on) {
        update(on ? interest | readOp : interest & ~readOp);
    }

    @Override
    public void watchWrite(boolean on) {
        update(on ? interest | SelectionKey.OP_WRITE : interest & ~SelectionKey.OP_WRITE);
    }

    @Override
    public boolean watchingRead() {
        return !cancelled && (interest & readOp) != 0;
    }

    @Override
    public boolean watchingWrite() {
        return !cancelled && (interest & SelectionKey.OP_WRITE) != 0;
    }

    @Override
    public void cancel() {
        if (!cancelled) {
            cancelled = true;
            interest = 0;
            if (key.attachment() == this) {
                key.cancel();
            }
        }
    }

    /** Another listener took this channel's key over: this registration hears nothing more. */
    void supersede() {
        cancelled = true;
        interest = 0;
    }

    private void update(int ops) {
        if (cancelled || ops == interest) {
            return;
        }
        interest = ops;
        try {
            key.interestOps(toSelectorOps(ops));
        } catch (CancelledKeyException closed) {
            // The channel was closed under us: nothing to watch any more.
            cancelled = true;
            interest = 0;
        }
    }

    /** A pending connect reports through OP_CONNECT, not OP_WRITE: NIO tells them apart. */
    private int toSelectorOps(int ops) {
        if ((ops & SelectionKey.OP_WRITE) != 0 && key.channel() instanceof SocketChannel socket
                && socket.isConnectionPending()) {
            return (ops & ~SelectionKey.OP_WRITE) | SelectionKey.OP_CONNECT;
        }
        return ops;
    }

    /** Whether the key's ready set means readable (or acceptable) for this registration. */
    boolean isReadable(int readyOps) {
        return (readyOps & readOp) != 0;
    }

    /** Whether the key's ready set means writable (or connected) for this registration. */
    static boolean isWritable(int readyOps) {
        return (readyOps & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0;
    }
}
