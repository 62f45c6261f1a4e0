package asyncio.spi.proactor;

import asyncio.api.CancelledError;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.Task;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.Server;
import asyncio.api.transports.TransportSocket;
import asyncio.spi.LoopTransportSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A server on a completion-based loop: each listening socket keeps one accept pending and
 * submits the next as each completes. Mirrors {@code Server} over {@code _start_serving}'s
 * {@code accept_coro} loop of {@code proactor_events}.
 */
final class ProactorServer implements Server {
    private final ProactorEventLoop loop;
    private final Supplier<? extends BaseProtocol> protocolFactory;
    private final boolean keepAlive;
    /** Run once the listening sockets are closed (a Unix server's socket file), or null. */
    private final Runnable cleanup;
    private final Set<ProactorSocketTransport> clients = new LinkedHashSet<>();
    private List<Listener> listeners = new ArrayList<>();
    private List<Future<Void>> waiters = new ArrayList<>();
    private int activeCount;
    private boolean serving;
    private Future<Void> servingForever;

    ProactorServer(ProactorEventLoop loop, List<ProactorSocket> sockets, Supplier<? extends BaseProtocol> protocolFactory,
                   boolean keepAlive, Runnable cleanup) {
        this.loop = loop;
        this.cleanup = cleanup;
        this.protocolFactory = protocolFactory;
        this.keepAlive = keepAlive;
        for (ProactorSocket socket : sockets) {
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
            listener.acceptNext();
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
        List<Listener> closing = listeners;
        if (closing == null) {
            return;
        }
        listeners = null;
        loop.serverClosed(this);
        for (Listener listener : closing) {
            listener.close();
        }
        runCleanup();
        serving = false;
        if (servingForever != null && !servingForever.done()) {
            servingForever.cancel();
        }
        servingForever = null;
        if (activeCount == 0) {
            wakeup();
        }
    }

    /** The loop closes with this server open: close the listening sockets, warn, settle nothing. */
    void closedWithLoop() {
        List<Listener> closing = listeners;
        if (closing == null) {
            return;
        }
        ProactorTransport.LOG.warn("unclosed server {} closed with its loop", this);
        listeners = null;
        serving = false;
        for (Listener listener : closing) {
            ProactorEventLoop.closeQuietly(listener.socket);
        }
        runCleanup();
    }

    private void runCleanup() {
        if (cleanup != null) {
            cleanup.run();
        }
    }

    @Override
    public void closeClients() {
        for (ProactorSocketTransport client : new ArrayList<>(clients)) {
            client.close();
        }
    }

    @Override
    public void abortClients() {
        for (ProactorSocketTransport client : new ArrayList<>(clients)) {
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

    void attach(ProactorSocketTransport transport) {
        activeCount++;
        clients.add(transport);
    }

    void detach(ProactorSocketTransport transport) {
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

    /** One listening socket and the accept it keeps pending. */
    private final class Listener implements Completion<ProactorSocket> {
        private final ProactorSocket socket;
        private final TransportSocket view;
        private Operation acceptOp;
        private boolean closed;

        Listener(ProactorSocket socket) {
            this.socket = socket;
            this.view = new LoopTransportSocket(socket);
        }

        void acceptNext() {
            if (acceptOp == null && !closed) {
                acceptOp = loop.port().accept(socket, this);
            }
        }

        void close() {
            closed = true;
            if (acceptOp != null) {
                acceptOp.cancel();
            }
            ProactorEventLoop.closeQuietly(socket);
        }

        @Override
        public void completed(ProactorSocket connection) {
            acceptOp = null;
            if (closed) {
                // Accepted as the server closed: nobody serves it.
                ProactorEventLoop.closeQuietly(connection);
                return;
            }
            serve(connection);
            acceptNext();
        }

        @Override
        public void failed(IOException error) {
            acceptOp = null;
            if (closed) {
                return;
            }
            // As asyncio's proactor: report, and close the listening socket.
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("message", "Accept failed on a socket");
            context.put("exception", error);
            context.put("socket", view);
            loop.callExceptionHandler(context);
            closed = true;
            ProactorEventLoop.closeQuietly(socket);
        }

        @Override
        public void cancelled() {
            acceptOp = null;
        }

        private void serve(ProactorSocket connection) {
            BaseProtocol protocol = null;
            try {
                if (connection.localAddress() instanceof InetSocketAddress) {
                    connection.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    if (keepAlive) {
                        connection.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
                    }
                }
                protocol = protocolFactory.get();
                new ProactorSocketTransport(loop, connection, protocol, null, ProactorServer.this);
            } catch (IOException | RuntimeException error) {
                ProactorEventLoop.closeQuietly(connection);
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

        @Override
        public String toString() {
            return "<accept on " + view + ">";
        }
    }
}
