package asyncio.spi.proactor;

import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.TransportSocket;
import asyncio.spi.BaseServer;
import asyncio.spi.LoopTransportSocket;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A server on a completion-based loop: each listening socket keeps one accept pending and
 * submits the next as each completes. Mirrors {@code Server} over {@code _start_serving}'s
 * {@code accept_coro} loop of {@code proactor_events}.
 */
final class ProactorServer extends BaseServer<ProactorSocketTransport> {
    private final ProactorEventLoop loop;
    private final Supplier<? extends BaseProtocol> protocolFactory;
    private final boolean keepAlive;

    /** {@code cleanup} runs once the listening sockets are closed (a Unix server's socket file), or is null. */
    ProactorServer(ProactorEventLoop loop, List<ProactorSocket> sockets, Supplier<? extends BaseProtocol> protocolFactory,
                   boolean keepAlive, Runnable cleanup) {
        super(loop, cleanup);
        this.loop = loop;
        this.protocolFactory = protocolFactory;
        this.keepAlive = keepAlive;
        List<Listener> listeners = new ArrayList<>();
        for (ProactorSocket socket : sockets) {
            listeners.add(new Listener(socket));
        }
        listenOn(listeners);
        loop.serverOpened(this);
    }

    @Override
    protected void forget() {
        loop.serverClosed(this);
    }

    /** One listening socket and the accept it keeps pending. */
    private final class Listener implements Completion<ProactorSocket>, Listening {
        private final ProactorSocket socket;
        private final TransportSocket view;
        private Operation acceptOp;
        private boolean closed;

        Listener(ProactorSocket socket) {
            this.socket = socket;
            this.view = new LoopTransportSocket(socket);
        }

        @Override
        public TransportSocket view() {
            return view;
        }

        @Override
        public void start() {
            acceptNext();
        }

        private void acceptNext() {
            if (acceptOp == null && !closed) {
                acceptOp = loop.port().accept(socket, this);
            }
        }

        @Override
        public void close() {
            closed = true;
            if (acceptOp != null) {
                acceptOp.cancel();
            }
            ProactorEventLoop.closeQuietly(socket);
        }

        @Override
        public void closeWithLoop() {
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
            if (outOfResources(error)) {
                // asyncio's proactor would close the socket here; on Linux asyncio's loop pauses
                // accepting and tries again, which is what a server needs to outlive EMFILE.
                acceptOutOfResources(error, view);
                loop.callLater(ACCEPT_RETRY_DELAY, () -> {
                    if (isListening(this)) {
                        acceptNext();
                    }
                });
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
                tuneAccepted(connection, keepAlive);
                protocol = protocolFactory.get();
                new ProactorSocketTransport(loop, connection, protocol, null, ProactorServer.this);
            } catch (IOException | RuntimeException error) {
                ProactorEventLoop.closeQuietly(connection);
                transportCreationFailed(error, protocol);
            }
        }

        @Override
        public String toString() {
            return "<accept on " + view + ">";
        }
    }
}
