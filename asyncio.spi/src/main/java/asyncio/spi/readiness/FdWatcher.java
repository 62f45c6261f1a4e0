package asyncio.spi.readiness;

import asyncio.api.Handle;
import asyncio.api.transports.BaseTransport;
import asyncio.spi.LoopSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;

/**
 * Watching a selectable channel, or a raw descriptor on loops that can, for readiness with plain
 * callbacks: one reader and one writer per target, a new one replacing (and cancelling) the old,
 * the registration dropped once both are gone. A target is a {@link SelectableChannel} or an
 * {@link Integer} descriptor. Mirrors {@code _add_reader}/{@code _remove_reader}/{@code _add_writer}/{@code _remove_writer}
 * and {@code _ensure_fd_no_transport} of {@code BaseSelectorEventLoop}.
 */
final class FdWatcher {
    private FdWatcher() {
    }

    /** Refuses a channel a live transport reads or writes. Mirrors {@code _ensure_fd_no_transport}. */
    static void ensureNoTransport(ReadinessEventLoop loop, Object target) {
        if (registeredListener(loop, target) instanceof BaseTransport transport && !transport.isClosing()) {
            throw new IllegalStateException("File descriptor " + target + " is used by transport " + transport);
        }
    }

    private static ReadyListener registeredListener(ReadinessEventLoop loop, Object target) {
        return target instanceof SelectableChannel channel ? loop.registeredListener(channel)
                : loop.registeredListener((Integer) target);
    }

    /** Sets the reader of {@code channel}, cancelling the one it replaces. Mirrors {@code _add_reader}. */
    static Handle watchRead(ReadinessEventLoop loop, Object target, Runnable callback) {
        loop.requireOpen();
        if (target instanceof SelectableChannel channel
                && (channel.validOps() & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) == 0) {
            throw new IllegalArgumentException("channel cannot be watched for reading: " + channel);
        }
        FdWatch watch = watchOf(loop, target, true);
        Handle handle = new Handle(callback, loop, null);
        Handle previous = watch.reader;
        watch.reader = handle;
        watch.readiness.watchRead(true);
        if (previous != null) {
            previous.cancel();
        }
        return handle;
    }

    /** Sets the writer of {@code channel}, cancelling the one it replaces. Mirrors {@code _add_writer}. */
    static Handle watchWrite(ReadinessEventLoop loop, Object target, Runnable callback) {
        loop.requireOpen();
        if (target instanceof SelectableChannel channel
                && (channel.validOps() & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) == 0) {
            throw new IllegalArgumentException("channel cannot be watched for writing: " + channel);
        }
        FdWatch watch = watchOf(loop, target, true);
        Handle handle = new Handle(callback, loop, null);
        Handle previous = watch.writer;
        watch.writer = handle;
        watch.readiness.watchWrite(true);
        if (previous != null) {
            previous.cancel();
        }
        return handle;
    }

    /** Drops the reader of {@code channel}; whether there was one. Mirrors {@code _remove_reader}. */
    static boolean unwatchRead(ReadinessEventLoop loop, Object target) {
        if (loop.isClosed()) {
            return false;
        }
        FdWatch watch = watchOf(loop, target, false);
        if (watch == null) {
            return false;
        }
        Handle previous = watch.reader;
        watch.reader = null;
        watch.readiness.watchRead(false);
        dropIfIdle(watch);
        if (previous == null) {
            return false;
        }
        previous.cancel();
        return true;
    }

    /** Drops the writer of {@code channel}; whether there was one. Mirrors {@code _remove_writer}. */
    static boolean unwatchWrite(ReadinessEventLoop loop, Object target) {
        if (loop.isClosed()) {
            return false;
        }
        FdWatch watch = watchOf(loop, target, false);
        if (watch == null) {
            return false;
        }
        Handle previous = watch.writer;
        watch.writer = null;
        watch.readiness.watchWrite(false);
        dropIfIdle(watch);
        if (previous == null) {
            return false;
        }
        previous.cancel();
        return true;
    }

    private static void dropIfIdle(FdWatch watch) {
        // asyncio unregisters a descriptor nobody watches, so the application may use it elsewhere.
        if (watch.reader == null && watch.writer == null) {
            watch.readiness.cancel();
        }
    }

    private static FdWatch watchOf(ReadinessEventLoop loop, Object target, boolean create) {
        if (registeredListener(loop, target) instanceof FdWatch existing) {
            return existing;
        }
        if (!create) {
            return null;
        }
        if (target instanceof SelectableChannel channel && channel.isBlocking()) {
            throw new IllegalArgumentException("the channel must be non-blocking: " + channel);
        }
        FdWatch watch = new FdWatch(loop, target);
        try {
            LoopSocket socket = target instanceof SelectableChannel channel ? new ChannelSocket(channel, false)
                    : loop.watchedDescriptor((Integer) target);
            watch.readiness = loop.register(socket, watch);
        } catch (IOException failed) {
            throw new UncheckedIOException("cannot watch " + target, failed);
        }
        return watch;
    }
}
