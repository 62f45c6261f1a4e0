package asyncio.spi;

import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.Task;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.Server;
import asyncio.api.transports.TransportSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening sockets of one {@code createServer} call and the connections they accepted.
 * Mirrors {@code asyncio.base_events.Server} with the accept loop of {@code selector_events}.
 */
final class SocketServer implements Server {
    /** How long accepting pauses when the process is out of descriptors. Mirrors {@code ACCEPT_RETRY_DELAY}. */
    private static final double ACCEPT_RETRY_DELAY = 1.0;
    private static final Logger LOG = LoggerFactory.getLogger("asyncio");

    private final ReadinessEventLoop loop;
    private final Supplier<? extends BaseProtocol> protocolFactory;
    private final int backlog;
    private final boolean keepAlive;
    private final boolean tcp;
    private final Runnable afterClose;
    private final Set<SocketTransport> clients = new LinkedHashSet<>();
    private List<Listener> listeners;
    private List<Future<Void>> waiters = new ArrayList<>();
    private int activeCount;
    private boolean serving;
    private Future<Void> servingForever;

    SocketServer(ReadinessEventLoop loop, List<ListeningSocket> sockets, Supplier<? extends BaseProtocol> protocolFactory,
                 int backlog, boolean keepAlive, boolean tcp, Runnable afterClose) {
        this.loop = loop;
        this.protocolFactory = protocolFactory;
        this.backlog = Math.max(1, backlog);
        this.keepAlive = keepAlive;
        this.tcp = tcp;
        this.afterClose = afterClose;
        this.listeners = new ArrayList<>();
        for (ListeningSocket socket : sockets) {
            listeners.add(new Listener(socket));
        }
        loop.serverOpened(this);
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
            for (Listener listener : listeners) {
                sockets.add(listener.view);
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

    void startServingNow() {
        if (serving || listeners == null) {
            return;
        }
        serving = true;
        for (Listener listener : listeners) {
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
            } catch (asyncio.api.CancelledError cancelled) {
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
        List<Listener> closing = listeners;
        if (closing == null) {
            return;
        }
        listeners = null;
        loop.serverClosed(this);
        for (Listener listener : closing) {
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
     * The poller is closed already, so the sockets are closed without deregistering them. The
     * accepted connections are the loop's leftovers too, closed each on its own.
     */
    void closedWithLoop() {
        List<Listener> closing = listeners;
        if (closing == null) {
            return;
        }
        LOG.warn("unclosed server {} closed with its loop", this);
        listeners = null;
        serving = false;
        for (Listener listener : closing) {
            ReadinessEventLoop.closeQuietly(listener.socket);
        }
        if (afterClose != null) {
            afterClose.run();
        }
    }

    @Override
    public void closeClients() {
        for (SocketTransport client : new ArrayList<>(clients)) {
            client.close();
        }
    }

    @Override
    public void abortClients() {
        for (SocketTransport client : new ArrayList<>(clients)) {
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

    void attach(SocketTransport transport) {
        activeCount++;
        clients.add(transport);
    }

    void detach(SocketTransport transport) {
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

    /** One listening socket and its accept loop. */
    private final class Listener implements ReadyListener {
        private final ListeningSocket socket;
        private final TransportSocket view;
        private Readiness readiness;

        Listener(ListeningSocket socket) {
            this.socket = socket;
            this.view = new LoopTransportSocket(socket);
        }

        void start() {
            if (readiness == null) {
                try {
                    readiness = loop.register(socket, this);
                } catch (IOException failed) {
                    throw new java.io.UncheckedIOException("cannot watch the listening socket", failed);
                }
            }
            readiness.watchRead(true);
        }

        void close() {
            if (readiness != null) {
                readiness.cancel();
            }
            try {
                loop.closeListening(socket);
            } catch (IOException ignored) {
                // Closing a listening socket that failed: nothing left to release.
            }
        }

        @Override
        public void readable() {
            // Accept what is queued, up to the backlog, then let other events run.
            for (int accepted = 0; accepted < backlog; accepted++) {
                StreamSocket connection;
                try {
                    connection = socket.accept();
                } catch (IOException error) {
                    acceptFailed(error);
                    return;
                }
                if (connection == null) {
                    return;
                }
                serve(connection);
            }
        }

        @Override
        public void writable() {
        }

        private void serve(StreamSocket connection) {
            BaseProtocol protocol = null;
            try {
                if (tcp && connection.localAddress() instanceof InetSocketAddress) {
                    connection.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    if (keepAlive) {
                        connection.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
                    }
                }
                protocol = protocolFactory.get();
                new SocketTransport(loop, connection, protocol, null, SocketServer.this);
            } catch (IOException | RuntimeException error) {
                ReadinessEventLoop.closeQuietly(connection);
                // asyncio tells only a loop in debug mode: the client sees its connection closed.
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
        }

        private void acceptFailed(IOException error) {
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("exception", error);
            context.put("socket", view);
            if (outOfResources(error)) {
                // Out of descriptors or memory: stop accepting for a while instead of spinning.
                context.put("message", "socket.accept() out of system resource");
                loop.callExceptionHandler(context);
                readiness.watchRead(false);
                loop.callLater(ACCEPT_RETRY_DELAY, () -> {
                    if (listeners != null && listeners.contains(this)) {
                        readiness.watchRead(true);
                    }
                });
            } else if (!(error instanceof SocketException)) {
                context.put("message", "Error accepting a connection");
                loop.callExceptionHandler(context);
            }
        }

        private boolean outOfResources(IOException error) {
            String message = String.valueOf(error.getMessage());
            return message.contains("Too many open files") || message.contains("No buffer space")
                    || message.contains("Cannot allocate memory");
        }
    }
}
