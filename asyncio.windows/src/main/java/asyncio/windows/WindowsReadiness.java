package asyncio.windows;

import static asyncio.windows.ffi.Win32Readiness.*;

import asyncio.spi.proactor.Completion;
import asyncio.spi.proactor.ReadinessHelper;
import asyncio.windows.ffi.Win32Readiness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.ToLongFunction;

/**
 * {@code addReader}/{@code addWriter} on the IOCP loop: one helper thread blocks in {@code WSAPoll}
 * over the armed sockets plus a wake-up socket, and posts each batch of ready ones to the completion
 * port ({@code PostQueuedCompletionStatus}, key {@link IocpCompletionPort#READINESS_KEY}), so the
 * loop thread learns of them from the same GetQueuedCompletionStatusEx as of its completions.
 *
 * <p>Level-triggered without a busy helper: a socket that was reported leaves the poll set until
 * the loop thread has run its listener, which re-arms it; a socket still ready is then reported
 * again on the next iteration, as the selector loop would. Changes of the set (watch, re-arm) wake
 * the helper with one datagram on a loopback UDP socket connected to itself, at most one in flight.
 *
 * <p>Why not {@code ProcessSocketNotifications}, which needs no thread: it exists on recent
 * Windows builds only, and Wine has none, so nothing here could check it (docs/decisions.md).
 */
final class WindowsReadiness implements ReadinessHelper {
    private static final short READ_EVENTS = POLLRDNORM;
    private static final short WRITE_EVENTS = POLLWRNORM;

    private final IocpCompletionPort port;
    private final Win32Readiness api;
    private final ToLongFunction<SelectableChannel> handles;
    /** The loop thread's view: one watch per channel. */
    private final Map<SelectableChannel, Watch> watches = new IdentityHashMap<>();
    /** Guards {@link #armed}, {@link #ready} and each watch's {@code events}/{@code revents}/{@code state}. */
    private final Object lock = new Object();
    /** Polled by the helper. */
    private final List<Watch> armed = new ArrayList<>();
    /** Reported by the helper, waiting for the loop thread. */
    private final ArrayDeque<Watch> ready = new ArrayDeque<>();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final ByteBuffer wakeByte = ByteBuffer.allocateDirect(1);
    private DatagramChannel waker;
    private long wakerHandle;
    private Thread thread;
    private volatile boolean closed;

    WindowsReadiness(IocpCompletionPort port, Win32Readiness api, ToLongFunction<SelectableChannel> handles) {
        this.port = port;
        this.api = api;
        this.handles = handles;
    }

    private enum State { ARMED, REPORTED, IDLE }

    /** One watched socket. */
    private static final class Watch {
        final SelectableChannel channel;
        final long handle;
        /** Loop thread only. */
        int ops;
        ReadinessHelper.Listener listener;
        /** Under the lock. */
        short events;
        short revents;
        State state = State.IDLE;
        boolean dropped;

        Watch(SelectableChannel channel, long handle) {
            this.channel = channel;
            this.handle = handle;
        }
    }

    @Override
    public void watch(SelectableChannel channel, int ops, Listener listener) {
        if (closed) {
            throw new IllegalStateException("the completion port is closed");
        }
        Watch watch = watches.get(channel);
        if (ops == 0) {
            if (watch != null) {
                watches.remove(channel);
                synchronized (lock) {
                    watch.dropped = true;
                    armed.remove(watch);
                }
                wake();
            }
            return;
        }
        if (watch == null) {
            start();
            watch = new Watch(channel, handles.applyAsLong(channel));
            watches.put(channel, watch);
        }
        watch.ops = ops;
        watch.listener = listener;
        arm(watch);
    }

    /** Into the poll set with the events of its mask, unless its report is waiting for {@link #dispatch}. */
    private void arm(Watch watch) {
        short events = events(watch.ops);
        synchronized (lock) {
            watch.events = events;
            if (watch.state == State.IDLE) {
                watch.state = State.ARMED;
                armed.add(watch);
            }
        }
        wake();
    }

    /**
     * Runs the listeners of the sockets the helper reported (on the loop thread, from the port's
     * dispatch), then re-arms each one still watched. Only those reported before the call: a
     * socket re-armed here and at once ready again waits for the next iteration.
     */
    void dispatch(BiConsumer<Completion<?>, RuntimeException> uncaught) {
        int count;
        synchronized (lock) {
            count = ready.size();
        }
        for (; count > 0; count--) {
            Watch watch;
            int revents;
            synchronized (lock) {
                watch = ready.poll();
                watch.state = State.IDLE;
                revents = watch.revents;
            }
            if (watch.dropped) {
                continue;
            }
            if ((revents & POLLNVAL) != 0) {
                // Closed under the watch: not polled again (it would be reported forever) until watched anew.
                watches.remove(watch.channel);
                continue;
            }
            try {
                int readyOps = readyOps(watch.ops, revents);
                if (readyOps != 0) {
                    watch.listener.ready(readyOps);
                }
            } catch (RuntimeException failed) {
                uncaught.accept(null, failed);
            } finally {
                if (!watch.dropped && watches.get(watch.channel) == watch) {
                    arm(watch);
                }
            }
        }
    }

    /** The WSAPOLLFD events for a mask of OP_READ/OP_WRITE (WSAPoll refuses anything but the normal-data bits here). */
    static short events(int ops) {
        return (short) (((ops & SelectionKey.OP_READ) != 0 ? READ_EVENTS : 0)
                | ((ops & SelectionKey.OP_WRITE) != 0 ? WRITE_EVENTS : 0));
    }

    /** The wake-up socket's events (it is only read). */
    static short wakerEvents() {
        return READ_EVENTS;
    }

    /** WSAPoll's revents as the watched operations they make ready; an error or hang-up makes all of them ready. */
    static int readyOps(int ops, int revents) {
        if ((revents & (POLLERR | POLLHUP)) != 0) {
            return ops;
        }
        return ops & (((revents & (POLLRDNORM | POLLRDBAND)) != 0 ? SelectionKey.OP_READ : 0)
                | ((revents & POLLWRNORM) != 0 ? SelectionKey.OP_WRITE : 0));
    }

    /** The helper thread and its wake-up socket, at the first watch. */
    private void start() {
        if (thread != null) {
            return;
        }
        try {
            DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            channel.connect(channel.getLocalAddress());
            channel.configureBlocking(false);
            waker = channel;
            wakerHandle = handles.applyAsLong(channel);
        } catch (IOException failed) {
            throw new UncheckedIOException("cannot make the readiness helper's wake-up socket", failed);
        }
        thread = new Thread(this::run, "asyncio-wsapoll");
        thread.setDaemon(true);
        thread.start();
    }

    /** Makes the helper's WSAPoll return and poll the current set; any thread. */
    private void wake() {
        if (waker != null && wakePending.compareAndSet(false, true)) {
            try {
                waker.write(wakeByte.clear());
            } catch (IOException failed) {
                wakePending.set(false);
                if (!closed) {
                    throw new UncheckedIOException("cannot wake the readiness helper", failed);
                }
            }
        }
    }

    /** The helper thread: poll, hand the ready sockets to the loop, repeat. */
    private void run() {
        ByteBuffer fds = IocpCompletionPort.direct(8 * WSAPOLLFD_SIZE);
        Watch[] polled = new Watch[0];
        ByteBuffer drain = ByteBuffer.allocateDirect(16);
        while (!closed) {
            int count;
            synchronized (lock) {
                polled = armed.toArray(polled);
                count = armed.size();
                if ((count + 1) * WSAPOLLFD_SIZE > fds.capacity()) {
                    fds = IocpCompletionPort.direct(2 * (count + 1) * WSAPOLLFD_SIZE);
                }
                put(fds, 0, wakerHandle, READ_EVENTS);
                for (int i = 0; i < count; i++) {
                    put(fds, i + 1, polled[i].handle, polled[i].events);
                }
            }
            int result = api.WSAPoll(IocpCompletionPort.address(fds), count + 1, -1);
            if (closed) {
                break;
            }
            if (result < 0) {
                // Only a bad argument fails the whole call (a closed socket is POLLNVAL in its entry):
                // stop rather than spin, the watches stay silent.
                System.getLogger("asyncio").log(System.Logger.Level.ERROR,
                        "WSAPoll failed: " + WinErrors.describe(api.lastError()) + "; addReader/addWriter stop");
                return;
            }
            if (fds.getShort(WSAPOLLFD_REVENTS) != 0) {
                wakePending.set(false);
                drainWaker(drain);
            }
            if (collect(fds, polled, count)) {
                port.postReadiness();
            }
        }
    }

    private static void put(ByteBuffer fds, int index, long handle, short events) {
        int at = index * WSAPOLLFD_SIZE;
        fds.putLong(at + WSAPOLLFD_FD, handle);
        fds.putShort(at + WSAPOLLFD_EVENTS, events);
        fds.putShort(at + WSAPOLLFD_REVENTS, (short) 0);
    }

    /** Moves the polled sockets with revents from the poll set to the ready queue; whether any moved. */
    private boolean collect(ByteBuffer fds, Watch[] polled, int count) {
        boolean any = false;
        synchronized (lock) {
            for (int i = 0; i < count; i++) {
                Watch watch = polled[i];
                short revents = fds.getShort((i + 1) * WSAPOLLFD_SIZE + WSAPOLLFD_REVENTS);
                polled[i] = null;
                if (revents != 0 && watch.state == State.ARMED && !watch.dropped) {
                    armed.remove(watch);
                    watch.state = State.REPORTED;
                    watch.revents = revents;
                    ready.add(watch);
                    any = true;
                }
            }
        }
        return any;
    }

    private void drainWaker(ByteBuffer drain) {
        try {
            while (waker.read(drain.clear()) > 0) {
                // one byte per wake-up; read until empty
            }
        } catch (IOException ignored) {
            // closed while closing: the loop is going away
        }
    }

    /** Stops the helper (its WSAPoll returns at the wake-up) and closes the wake-up socket. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (thread == null) {
            return;
        }
        wakePending.set(false);
        try {
            waker.write(wakeByte.clear());
        } catch (IOException ignored) {
            // the helper also stops at its next return from WSAPoll
        }
        try {
            thread.join(2_000);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        try {
            waker.close();
        } catch (IOException ignored) {
            // nothing to report while closing
        }
    }
}
