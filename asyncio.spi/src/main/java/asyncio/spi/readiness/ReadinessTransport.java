package asyncio.spi.readiness;

import asyncio.api.Future;
import asyncio.api.transports.BaseTransport;
import asyncio.spi.InspectableTransport;
import asyncio.spi.LoopSocket;
import asyncio.spi.TransportInfo;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the transports of a readiness loop (stream, datagram, pipe ends) share: how they start,
 * how they report an error, how they close at once, and the one place that tells the protocol
 * the connection is lost and releases the socket. asyncio writes this out in
 * {@code _SelectorTransport} and again in each Unix pipe transport; the subclasses here keep only
 * what differs: what they buffer, and how a graceful close waits for it.
 */
abstract class ReadinessTransport implements BaseTransport, ReadyListener, InspectableTransport {
    static final Logger LOG = LoggerFactory.getLogger("asyncio");
    /** After this many writes to a lost connection, each further one is logged. Mirrors asyncio's threshold. */
    static final int LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;

    /** The registration of a transport whose loop has closed: it watches nothing, ever. */
    private static final Readiness DEAD = new Readiness() {
        @Override
        public void watchRead(boolean on) {
        }

        @Override
        public void watchWrite(boolean on) {
        }

        @Override
        public boolean watchingRead() {
            return false;
        }

        @Override
        public boolean watchingWrite() {
            return false;
        }

        @Override
        public void cancel() {
        }
    };

    final ReadinessEventLoop loop;
    private final LoopSocket socket;
    /** Set by {@link #register()}; the poller's registration of the socket. */
    Readiness readiness;
    /** Closing or closed: no more reading, and writes are refused or dropped. */
    boolean closing;
    /**
     * Nonzero once the loss is decided (it is then reported exactly once); afterwards it counts
     * the writes that were dropped, as asyncio's {@code _conn_lost} does.
     */
    int connLost;
    /** The protocol has been told: {@code connectionLost} was called and the socket closed. */
    boolean lost;
    /** What the system gave and took, for the MXBean and JFR: one addition per read or write. */
    long bytesReceived;
    long bytesSent;

    ReadinessTransport(ReadinessEventLoop loop, LoopSocket socket) {
        this.loop = loop;
        this.socket = socket;
    }

    /** Registers the socket with the poller; a subclass calls it once its own state is ready. */
    final void register() throws IOException {
        readiness = loop.register(socket, this);
        // From here the socket is the loop's to close if nobody else does: see closedWithLoop().
        loop.transportOpened(this);
    }

    /** What the MXBean and JFR call this kind of transport: stream, datagram, read pipe or write pipe. */
    abstract String kind();

    @Override
    public final TransportInfo describe() {
        return TransportInfo.of(this, kind(), bytesReceived, bytesSent);
    }

    /** Whether reading starts once the protocol knows it is connected. */
    abstract boolean readsOnceMade();

    /** Whether data waits in the write buffer, which a graceful close sends first. */
    abstract boolean hasBuffered();

    /** Drops the write buffer and stops watching for writability. */
    abstract void discardBuffered();

    /** Whether {@code error} is the peer's doing (a reset, a broken pipe): logged in debug mode only, not reported. */
    boolean isPeerError(Throwable error) {
        return error instanceof IOException;
    }

    /** What the subclass releases after the socket is closed; nothing by default. */
    void released() {
    }

    /** Runs one iteration after construction. */
    final void start(Future<Void> waiter) {
        // asyncio schedules these as three callbacks: a failing connectionMade stops none of the others.
        try {
            getProtocol().connectionMade(this);
        } finally {
            if (readsOnceMade()) {
                readiness.watchRead(true);
            }
            if (waiter != null && !waiter.done()) {
                waiter.setResult(null);
            }
        }
    }

    @Override
    public final boolean isClosing() {
        return closing;
    }

    /** Stops reading, sends what is buffered, then reports the loss with no error. Mirrors {@code close()}. */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        readiness.watchRead(false);
        if (!hasBuffered()) {
            connLost++;
            readiness.watchWrite(false);
            loop.callSoon(() -> callConnectionLost(null));
        }
    }

    /** Closes at once, dropping the write buffer. Mirrors {@code abort()}. */
    public void abort() {
        forceClose(null);
    }

    /** Counts a write after the loss, warning once there were many. */
    final void noteWriteAfterLoss(String warning) {
        if (connLost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) {
            LOG.warn(warning);
        }
        connLost++;
    }

    /** An error that ends the transport: reported unless it is the peer's doing, then {@link #forceClose}. */
    final void fatalError(Throwable error, String message) {
        if (isPeerError(error)) {
            if (loop.getDebug()) {
                LOG.debug("{}: {}", this, message, error);
            }
        } else {
            reportError(message, error);
        }
        forceClose(error);
    }

    /** Hands an error to the loop's exception handler with this transport and its protocol. */
    final void reportError(String message, Throwable error) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("message", message);
        context.put("exception", error);
        context.put("transport", this);
        context.put("protocol", getProtocol());
        loop.callExceptionHandler(context);
    }

    /**
     * The one place that closes at once: drops the buffer, stops reading, and reports the loss
     * one iteration later; does nothing once the loss is decided. Mirrors {@code _force_close}.
     */
    void forceClose(Throwable error) {
        if (connLost > 0) {
            return;
        }
        if (hasBuffered()) {
            discardBuffered();
        }
        if (!closing) {
            closing = true;
            readiness.watchRead(false);
        }
        connLost++;
        loop.callSoon(() -> callConnectionLost(error));
    }

    /**
     * The one place that reports the loss, once, and then releases the socket. Mirrors
     * {@code _call_connection_lost}. Not final: a child's stdin also tells its process transport.
     */
    void callConnectionLost(Throwable error) {
        if (lost) {
            return;
        }
        lost = true;
        try {
            getProtocol().connectionLost(error);
        } finally {
            readiness.cancel();
            ReadinessEventLoop.closeQuietly(socket);
            loop.transportReleased(this);
            released();
        }
    }

    /**
     * The loop is closing with this transport still holding its socket: nothing can call
     * {@code connectionLost} any more, so close the socket here, as the socket's finalizer would in
     * Python once the transport is collected, and warn as asyncio's {@code ResourceWarning} does.
     * No protocol callback and no {@link #released()} (which settles futures: the loop cannot run
     * their callbacks). The poller is closed already, so the registration is replaced, not
     * cancelled, and any later call on the transport is a no-op on a closed transport.
     */
    final void closedWithLoop() {
        LOG.warn("unclosed transport {} closed with its loop", this);
        releasedWithLoop();
    }

    /** {@link #closedWithLoop()} without the warning: for a pipe of a process transport, which warns for its pipes. */
    final void releasedWithLoop() {
        loop.transportReleased(this);
        closing = true;
        connLost = Math.max(connLost, 1);
        lost = true;
        readiness = DEAD;
        ReadinessEventLoop.closeQuietly(socket);
    }
}
