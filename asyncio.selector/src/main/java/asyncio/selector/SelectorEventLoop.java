package asyncio.selector;

import asyncio.api.SendfileNotAvailableError;
import asyncio.spi.DatagramSocket;
import asyncio.spi.ListeningSocket;
import asyncio.spi.LoopSocket;
import asyncio.spi.StreamSocket;
import asyncio.spi.readiness.ChannelDatagramSocket;
import asyncio.spi.readiness.ChannelListeningSocket;
import asyncio.spi.readiness.ChannelStreamSocket;
import asyncio.spi.readiness.Readiness;
import asyncio.spi.readiness.ReadinessEventLoop;
import asyncio.spi.readiness.ReadyListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.Iterator;
import java.util.function.Consumer;

/**
 * The portable loop: waits in {@link Selector#select(long)} for the earliest timer, and
 * {@link Selector#wakeup()} lets other threads interrupt the wait. Sockets are NIO channels.
 * Mirrors {@code asyncio.SelectorEventLoop}.
 */
public class SelectorEventLoop extends ReadinessEventLoop {
    private final Selector selector;
    private NioRegistration[] readyRegistrations = new NioRegistration[64];
    private int[] readyOps = new int[64];
    private int readyCount;
    /** One instance for every poll: a method reference made per call would allocate. */
    private final Consumer<SelectionKey> recordKey = this::record;

    /** A new loop with its own selector. */
    public SelectorEventLoop() {
        try {
            selector = Selector.open();
        } catch (IOException failed) {
            throw new UncheckedIOException("cannot open a selector", failed);
        }
    }

    @Override
    public String implementationName() {
        return "selector";
    }

    // --- waiting ---

    @Override
    protected void poll(long timeoutNanos) {
        if (timeoutNanos == 0 && selector.keys().isEmpty()) {
            // Nothing registered, so an epoll_wait (300 ns, most of an idle iteration) cannot
            // report anything. No wake-up is lost: the loop did not mean to block, and the
            // other threads' callbacks are taken right after this. A wakeup() left pending
            // only makes the next blocking select return at once, for one extra iteration.
            // Cancelled keys stay in keys() until a select flushes them, so they still get one.
            return;
        }
        try {
            if (selector.selectedKeys().isEmpty()) {
                // Ready keys go straight to record(): the selected-key set would cost a HashSet
                // node per ready key and an iterator per poll, the only allocation of a read.
                select(timeoutNanos, recordKey);
            } else {
                // A flush in register() left ready keys in the selected set: use the set this
                // once, so that a key both left there and reported again is recorded only once.
                select(timeoutNanos, null);
                collect();
            }
        } catch (IOException failed) {
            throw new UncheckedIOException("select failed", failed);
        }
    }

    private int select(long timeoutNanos, Consumer<SelectionKey> action) throws IOException {
        if (timeoutNanos == 0) {
            return action == null ? selector.selectNow() : selector.selectNow(action);
        }
        if (timeoutNanos < 0) {
            return action == null ? selector.select() : selector.select(action);
        }
        // Round up (a timer must not wake the loop early), without overflowing near Long.MAX_VALUE;
        // select(0) would mean "forever", so at least one millisecond.
        long millis = Math.max(1, timeoutNanos / 1_000_000 + (timeoutNanos % 1_000_000 == 0 ? 0 : 1));
        return action == null ? selector.select(millis) : selector.select(action, millis);
    }

    /** Records the keys of the selected-key set and empties it. */
    private void collect() {
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
            SelectionKey key = keys.next();
            keys.remove();
            record(key);
        }
    }

    /** Records a ready key; its listener runs in {@link #processEvents()}, in asyncio's order. */
    private void record(SelectionKey key) {
        if (key.isValid() && key.attachment() instanceof NioRegistration registration) {
            if (readyCount == readyRegistrations.length) {
                readyRegistrations = Arrays.copyOf(readyRegistrations, readyCount * 2);
                readyOps = Arrays.copyOf(readyOps, readyCount * 2);
            }
            readyRegistrations[readyCount] = registration;
            readyOps[readyCount] = key.readyOps();
            readyCount++;
        }
    }

    @Override
    protected void processEvents() {
        int count = readyCount;
        readyCount = 0;
        for (int i = 0; i < count; i++) {
            NioRegistration registration = readyRegistrations[i];
            int ops = readyOps[i];
            readyRegistrations[i] = null;
            fire(registration, registration.listener, registration.isReadable(ops), NioRegistration.isWritable(ops));
        }
    }

    @Override
    protected void wakeup() {
        selector.wakeup();
    }

    @Override
    protected void closeResources() {
        try {
            for (SelectionKey key : selector.keys()) {
                key.cancel();
            }
            selector.close();
        } catch (IOException failed) {
            throw new UncheckedIOException("cannot close the selector", failed);
        }
    }

    // --- sockets ---

    @Override
    protected StreamSocket openStreamSocket(ProtocolFamily family) throws IOException {
        return new ChannelStreamSocket(family == null ? SocketChannel.open() : SocketChannel.open(family));
    }

    @Override
    protected ListeningSocket openListeningSocket(ProtocolFamily family) throws IOException {
        return new ChannelListeningSocket(family == null ? ServerSocketChannel.open() : ServerSocketChannel.open(family));
    }

    @Override
    protected Readiness register(LoopSocket socket, ReadyListener listener) throws IOException {
        if (!(socket.channel() instanceof SelectableChannel channel)) {
            throw new IllegalArgumentException("the selector loop watches NIO channels only, got " + socket.channel());
        }
        int readOp = channel instanceof ServerSocketChannel ? SelectionKey.OP_ACCEPT : SelectionKey.OP_READ;
        SelectionKey key = channel.keyFor(selector);
        if (key != null && !key.isValid()) {
            // A cancelled key lingers until the next select: flush it so the channel can register again.
            // Keys this makes ready stay in the selected set for the next poll.
            selector.selectNow();
            key = null;
        }
        if (key == null) {
            key = channel.register(selector, 0);
        } else {
            if (key.attachment() instanceof NioRegistration previous) {
                previous.supersede();
            }
            key.interestOps(0);
        }
        NioRegistration registration = new NioRegistration(key, listener, readOp);
        key.attach(registration);
        return registration;
    }

    @Override
    protected void closeListening(ListeningSocket socket) throws IOException {
        boolean registered = socket.channel() instanceof SelectableChannel channel && channel.keyFor(selector) != null;
        socket.close();
        // The JDK closes a registered channel's descriptor only when a select deregisters its
        // cancelled key; until then the port keeps accepting into the backlog. Flush it now.
        // Keys this makes ready stay in the selected set for the next poll, as in register().
        // Not from another thread while the loop runs: that select would wait for the loop's.
        if (registered && selector.isOpen() && (onLoopThread() || !isRunning())) {
            selector.selectNow();
        }
    }

    // --- datagrams, descriptor watching and sendfile ---

    @Override
    protected DatagramSocket openDatagramSocket(ProtocolFamily family) throws IOException {
        return new ChannelDatagramSocket(family == null ? DatagramChannel.open() : DatagramChannel.open(family));
    }

    @Override
    protected ReadyListener registeredListener(SelectableChannel channel) {
        SelectionKey key = channel.keyFor(selector);
        return key != null && key.isValid() && key.attachment() instanceof NioRegistration registration
                ? registration.listener : null;
    }

    @Override
    protected long transferFile(FileChannel file, long position, long count, LoopSocket socket) throws IOException {
        if (!(socket.channel() instanceof SocketChannel target)) {
            throw new SendfileNotAvailableError("sendfile needs a SocketChannel, got " + socket.channel());
        }
        // On Linux the JDK uses sendfile(2) here; on a non-blocking socket it returns 0 when full.
        return file.transferTo(position, count, target);
    }

    /** kill(2) through jnr-ffi where the C library binds; else the {@code kill} program, as before. */
    @Override
    protected boolean killProcess(long pid, int signal) {
        if (!ProcessSignals.available()) {
            return false;
        }
        ProcessSignals.kill(pid, signal);
        return true;
    }
}
