package asyncio.spi;

import asyncio.api.CancelledError;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.Task;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.Server;
import asyncio.api.transports.Transport;
import asyncio.api.transports.TransportSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every {@link Server} keeps whatever the loop under it: whether it is serving, the
 * {@code serve_forever()} task, the accepted connections and their count, and the
 * {@code wait_closed()} waiters settled once it is closed and the last connection is gone. A
 * loop family supplies only its {@link Listening} sockets, which accept by readiness or by
 * completion. Mirrors {@code asyncio.base_events.Server}.
 *
 * @param <T> the transport of an accepted connection
 */
public abstract class BaseServer<T extends Transport> implements Server {
    private static final Logger LOG = LoggerFactory.getLogger("asyncio");
    /** How long accepting pauses when the process is out of descriptors. Mirrors {@code ACCEPT_RETRY_DELAY}. */
    protected static final double ACCEPT_RETRY_DELAY = 1.0;

    /** One listening socket as the server drives it; the loop family decides how it accepts. */
    protected interface Listening {
        /** The socket as {@link Server#sockets()} shows it. */
        TransportSocket view();

        /** Starts (or resumes) accepting connections. */
        void start();

        /** Stops accepting and closes the socket. */
        void close();

        /** Closes the socket for a loop that is closing: it cannot deregister or run callbacks any more. */
        void closeWithLoop();
    }

    private final EventLoop loop;
    /** Run once the listening sockets are closed (a Unix server's socket file), or null. */
    private final Runnable afterClose;
    private final Set<T> clients = new LinkedHashSet<>();
    private List<? extends Listening> listeners = List.of();
    private List<Future<Void>> waiters = new ArrayList<>();
    private int activeCount;
    private boolean serving;
    private Future<Void> servingForever;

    protected BaseServer(EventLoop loop, Runnable afterClose) {
        this.loop = loop;
        this.afterClose = afterClose;
    }

    /** Sets the listening sockets; a subclass calls it once from its constructor. */
    protected final void listenOn(List<? extends Listening> sockets) {
        this.listeners = sockets;
    }

    /** Whether the listener is still one of this open server's. */
    protected final boolean isListening(Listening listener) {
        return listeners != null && listeners.contains(listener);
    }

    /** Tells the loop the server is closed, so that closing the loop leaves it alone. */
    protected abstract void forget();

    /**
     * Sets on an accepted TCP connection what asyncio sets: no Nagle delay, and keep-alive when
     * asked. A Unix connection is left as it is.
     */
    protected static void tuneAccepted(LoopSocket connection, boolean keepAlive) throws IOException {
        if (connection.localAddress() instanceof InetSocketAddress) {
            connection.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (keepAlive) {
                connection.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            }
        }
    }

    /**
     * Whether an accept failed for want of descriptors, buffers or memory (EMFILE, ENFILE,
     * ENOBUFS, ENOMEM): asyncio's selector loop then pauses accepting for
     * {@link #ACCEPT_RETRY_DELAY} instead of spinning or giving up. NIO and the native loops give
     * the C text of the error.
     */
    protected static boolean outOfResources(IOException error) {
        String message = String.valueOf(error.getMessage());
        return message.contains("Too many open files") || message.contains("No buffer space")
                || message.contains("Cannot allocate memory");
    }

    /** Tells the exception handler that accepting on {@code socket} pauses for want of resources. */
    protected final void acceptOutOfResources(IOException error, TransportSocket socket) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("message", "socket.accept() out of system resource");
        context.put("exception", error);
        context.put("socket", socket);
        loop.callExceptionHandler(context);
    }

    /**
     * No transport could be made for an accepted connection (already closed by the caller).
     * asyncio tells only a loop in debug mode: the client sees its connection closed.
     */
    protected final void transportCreationFailed(Exception error, BaseProtocol protocol) {
        if (loop.getDebug()) {
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("message", "Error on transport creation for incoming connection");
            context.put("exception", error);
            if (protocol != null) {
                context.put("protocol", protocol);
            }
            loop.callExceptionHandler(context);
        }
    }

    @Override
    public EventLoop getLoop() {
        return loop;
    }

    @Override
    public boolean isServing() {
        return serving;
    }

    @Override
    public List<TransportSocket> sockets() {
        List<TransportSocket> sockets = new ArrayList<>();
        if (listeners != null) {
            for (Listening listener : listeners) {
                sockets.add(listener.view());
            }
        }
        return sockets;
    }

    @Override
    public Future<Void> startServing() {
        startServingNow();
        // Completes one iteration later, as asyncio's start_serving() sleeps once.
        Future<Void> started = loop.createFuture();
        loop.callSoon(() -> {
            if (!started.done()) {
                started.setResult(null);
            }
        });
        return started;
    }

    /** Starts accepting at once, for {@code create_server(start_serving=True)}. */
    public final void startServingNow() {
        if (serving || listeners == null) {
            return;
        }
        serving = true;
        for (Listening listener : listeners) {
            listener.start();
        }
    }

    @Override
    public Future<Void> serveForever() {
        if (servingForever != null) {
            throw new IllegalStateException("server " + this + " is already being awaited on serve_forever()");
        }
        if (listeners == null) {
            throw new IllegalStateException("server " + this + " is closed");
        }
        startServingNow();
        Future<Void> forever = loop.createFuture();
        servingForever = forever;
        return new Task<>(() -> {
            try {
                return forever.await();
            } catch (CancelledError cancelled) {
                close();
                waitClosed().await();
                throw cancelled;
            } finally {
                if (servingForever == forever) {
                    servingForever = null;
                }
            }
        }, loop, "serve_forever", true);
    }

    @Override
    public void close() {
        List<? extends Listening> closing = listeners;
        if (closing == null) {
            return;
        }
        listeners = null;
        forget();
        for (Listening listener : closing) {
            listener.close();
        }
        serving = false;
        if (servingForever != null && !servingForever.done()) {
            servingForever.cancel();
        }
        servingForever = null;
        if (afterClose != null) {
            afterClose.run();
        }
        if (activeCount == 0) {
            wakeup();
        }
    }

    /**
     * The loop is closing with this server still open: close the listening sockets, warning as
     * for an unclosed transport, and run the cleanup {@link #close()} runs (the Unix socket file),
     * but settle no waiter and cancel no task, since the closed loop cannot run their callbacks.
     * The accepted connections are the loop's leftovers too, closed each on its own.
     */
    public final void closedWithLoop() {
        List<? extends Listening> closing = listeners;
        if (closing == null) {
            return;
        }
        LOG.warn("unclosed server {} closed with its loop", this);
        listeners = null;
        serving = false;
        for (Listening listener : closing) {
            listener.closeWithLoop();
        }
        if (afterClose != null) {
            afterClose.run();
        }
    }

    @Override
    public void closeClients() {
        for (T client : new ArrayList<>(clients)) {
            client.close();
        }
    }

    @Override
    public void abortClients() {
        for (T client : new ArrayList<>(clients)) {
            client.abort();
        }
    }

    @Override
    public Future<Void> waitClosed() {
        Future<Void> waiter = loop.createFuture();
        if (waiters == null) {
            waiter.setResult(null);
        } else {
            waiters.add(waiter);
        }
        return waiter;
    }

    /** An accepted connection's transport is open: counted until it {@linkplain #detach detaches}. */
    public final void attach(T transport) {
        activeCount++;
        clients.add(transport);
    }

    /** An accepted connection's transport is gone; the last one to go after close() settles the waiters. */
    public final void detach(T transport) {
        activeCount--;
        clients.remove(transport);
        if (activeCount == 0 && listeners == null) {
            wakeup();
        }
    }

    private void wakeup() {
        List<Future<Void>> waiting = waiters;
        waiters = null;
        if (waiting != null) {
            for (Future<Void> waiter : waiting) {
                if (!waiter.done()) {
                    waiter.setResult(null);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "<Server sockets=" + sockets() + ">";
    }
}
