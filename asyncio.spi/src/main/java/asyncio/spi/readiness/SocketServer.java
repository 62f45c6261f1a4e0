package asyncio.spi.readiness;

import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.TransportSocket;
import asyncio.spi.BaseServer;
import asyncio.spi.ListeningSocket;
import asyncio.spi.LoopTransportSocket;
import asyncio.spi.StreamSocket;
import java.io.IOException;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The listening sockets of one {@code createServer} call and the connections they accepted.
 * Mirrors {@code asyncio.base_events.Server} with the accept loop of {@code selector_events}.
 */
final class SocketServer extends BaseServer<SocketTransport> {
    private final ReadinessEventLoop loop;
    private final Supplier<? extends BaseProtocol> protocolFactory;
    private final int backlog;
    private final boolean keepAlive;
    private final boolean tcp;

    SocketServer(ReadinessEventLoop loop, List<ListeningSocket> sockets, Supplier<? extends BaseProtocol> protocolFactory,
                 int backlog, boolean keepAlive, boolean tcp, Runnable afterClose) {
        super(loop, afterClose);
        this.loop = loop;
        this.protocolFactory = protocolFactory;
        this.backlog = Math.max(1, backlog);
        this.keepAlive = keepAlive;
        this.tcp = tcp;
        List<Listener> listeners = new ArrayList<>();
        for (ListeningSocket socket : sockets) {
            listeners.add(new Listener(socket));
        }
        listenOn(listeners);
        loop.serverOpened(this);
    }

    @Override
    protected void forget() {
        loop.serverClosed(this);
    }

    /** One listening socket and its accept loop. */
    private final class Listener implements ReadyListener, Listening {
        private final ListeningSocket socket;
        private final TransportSocket view;
        private Readiness readiness;

        Listener(ListeningSocket socket) {
            this.socket = socket;
            this.view = new LoopTransportSocket(socket);
        }

        @Override
        public TransportSocket view() {
            return view;
        }

        @Override
        public void start() {
            if (readiness == null) {
                try {
                    readiness = loop.register(socket, this);
                } catch (IOException failed) {
                    throw new java.io.UncheckedIOException("cannot watch the listening socket", failed);
                }
            }
            readiness.watchRead(true);
        }

        @Override
        public void close() {
            if (readiness != null) {
                readiness.cancel();
            }
            try {
                loop.closeListening(socket);
            } catch (IOException ignored) {
                // Closing a listening socket that failed: nothing left to release.
            }
        }

        /** The poller is closed already: close the socket without deregistering it. */
        @Override
        public void closeWithLoop() {
            ReadinessEventLoop.closeQuietly(socket);
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
                if (tcp) {
                    tuneAccepted(connection, keepAlive);
                }
                protocol = protocolFactory.get();
                new SocketTransport(loop, connection, protocol, null, SocketServer.this);
            } catch (IOException | RuntimeException error) {
                ReadinessEventLoop.closeQuietly(connection);
                transportCreationFailed(error, protocol);
            }
        }

        private void acceptFailed(IOException error) {
            if (outOfResources(error)) {
                // Out of descriptors or memory: stop accepting for a while instead of spinning.
                acceptOutOfResources(error, view);
                readiness.watchRead(false);
                loop.callLater(ACCEPT_RETRY_DELAY, () -> {
                    if (isListening(this)) {
                        readiness.watchRead(true);
                    }
                });
            } else if (!(error instanceof SocketException)) {
                Map<String, Object> context = new LinkedHashMap<>();
                context.put("message", "Error accepting a connection");
                context.put("exception", error);
                context.put("socket", view);
                loop.callExceptionHandler(context);
            }
        }
    }
}
