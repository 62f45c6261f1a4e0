package asyncio.spi.proactor;

import asyncio.api.Future;
import asyncio.api.transports.BaseTransport;
import asyncio.spi.InspectableTransport;
import asyncio.spi.TransportInfo;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the completion-based transports share: how they start, report an error, close at once,
 * and the one place that tells the protocol the connection is lost and closes the socket.
 * Mirrors {@code _ProactorBasePipeTransport}. Subclasses say what they have in flight.
 *
 * <p>Closing the socket aborts the operations still pending; their completions arrive later and
 * find the transport {@link #lost}: they are dropped, and only then does the port let go of the
 * buffers they were lent.
 */
abstract class ProactorTransport implements BaseTransport, InspectableTransport {
    static final Logger LOG = LoggerFactory.getLogger("asyncio");
    /** After this many writes to a lost connection, each further one is logged. Mirrors asyncio's threshold. */
    static final int LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;

    final ProactorEventLoop loop;
    final ProactorSocket socket;
    /** Closing or closed: no more reading, and writes are refused or dropped. */
    boolean closing;
    /**
     * Nonzero once the transport is closed or lost: writes are then dropped and counted, as
     * asyncio's {@code _conn_lost}. A graceful close sets it at once, while the writes already
     * accepted are still being sent.
     */
    int connLost;
    /** {@link #callConnectionLost} is scheduled: nothing more is sent, and completions are dropped. */
    boolean lossScheduled;
    /** {@code connectionLost} was called and the socket closed. */
    boolean lost;
    /** Told of the loss after the protocol, whatever protocol is set by then (a child's stdin tells its process); may be null. */
    Consumer<Throwable> lossListener;
    /** What the kernel gave and took, for the MXBean and JFR: one addition per completion. */
    long bytesReceived;
    long bytesSent;

    ProactorTransport(ProactorEventLoop loop, ProactorSocket socket) {
        this.loop = loop;
        this.socket = socket;
        loop.transportOpened(this);
    }

    /** What the MXBean and JFR call this kind of transport: stream, datagram, read pipe or write pipe. */
    abstract String kind();

    @Override
    public final TransportInfo describe() {
        return TransportInfo.of(this, kind(), bytesReceived, bytesSent);
    }

    /** Starts the first read, once {@code connectionMade} has run. */
    abstract void startReading();

    /** Cancels the pending read, if any (its completion is then dropped). */
    abstract void stopReading();

    /** Whether a write is in flight or queued, which a graceful close sends first. */
    abstract boolean hasBuffered();

    /** Drops the queued writes and cancels the one in flight. */
    abstract void discardBuffered();

    /** What the subclass releases once the socket is closed. */
    void released() {
    }

    /** Runs one iteration after construction: {@code connectionMade}, the first read, then the waiter. */
    final void start(Future<Void> waiter) {
        // Now, not in the constructor: the subclass's addresses are set only by its own.
        loop.transportStarted(this);
        loop.callSoon(() -> {
            try {
                getProtocol().connectionMade(this);
            } finally {
                if (!closing) {
                    startReading();
                }
                if (waiter != null && !waiter.done()) {
                    waiter.setResult(null);
                }
            }
        });
    }

    @Override
    public final boolean isClosing() {
        return closing;
    }

    /** Stops reading, sends what is queued, then reports the loss with no error. Mirrors {@code close()}. */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        connLost++;
        stopReading();
        if (!hasBuffered()) {
            scheduleLoss(null);
        }
    }

    /** Reports the loss one iteration later, once. */
    final void scheduleLoss(Throwable error) {
        lossScheduled = true;
        loop.callSoon(() -> callConnectionLost(error));
    }

    /** Closes at once, dropping what is queued. Mirrors {@code abort()}. */
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

    /** An error that ends the transport: reported unless it is an OS error (the peer's doing), then {@link #forceClose}. */
    final void fatalError(Throwable error, String message) {
        if (error instanceof IOException) {
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

    /** The one place that closes at once; reports the loss one iteration later. Mirrors {@code _force_close}. */
    final void forceClose(Throwable error) {
        if (lossScheduled) {
            return;
        }
        if (hasBuffered()) {
            discardBuffered();
        }
        closing = true;
        stopReading();
        connLost++;
        scheduleLoss(error);
    }

    /** The one place that reports the loss, once, then closes the socket. Mirrors {@code _call_connection_lost}. */
    final void callConnectionLost(Throwable error) {
        if (lost) {
            return;
        }
        lost = true;
        try {
            getProtocol().connectionLost(error);
        } finally {
            ProactorEventLoop.closeQuietly(socket);
            loop.transportReleased(this);
            released();
            if (lossListener != null) {
                lossListener.accept(error);
            }
        }
    }

    /** The loop closes with this transport still open: close its socket, warn, call nothing. */
    final void closedWithLoop() {
        LOG.warn("unclosed transport {} closed with its loop", this);
        releasedWithLoop();
    }

    /** As {@link #closedWithLoop()} without the warning: what owns this transport warned for it (a child's pipes). */
    final void releasedWithLoop() {
        closing = true;
        connLost = Math.max(connLost, 1);
        lossScheduled = true;
        lost = true;
        ProactorEventLoop.closeQuietly(socket);
        loop.transportReleased(this);
    }

    static void rethrowIfFatal(Throwable error) {
        if (error instanceof VirtualMachineError fatal) {
            throw fatal;
        }
    }
}
