package asyncio.api.internal;

import static asyncio.api.internal.GroupLoopThread.join;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.GroupServer;
import asyncio.api.Task;
import asyncio.api.transports.AcceptedSocket;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.Connection;
import asyncio.api.transports.ServerOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A group's port with one listening socket: the group's first loop accepts ({@code sock_accept})
 * and deals each connection to the next loop of the group, round robin, which wraps it with
 * {@code connect_accepted_socket}. Netty's server channel on a single {@code EventLoopGroup} does
 * the same.
 */
public final class AcceptorGroupServer implements GroupServer {
    /** After an accept error (out of descriptors, say), accept again after this long. Mirrors asyncio's ACCEPT_RETRY_DELAY. */
    private static final double ACCEPT_RETRY_DELAY = 1.0;
    /** How often closing connections are checked for being closed, on a loop that cannot tell (not one of asyncio.spi's). */
    private static final double CLOSE_POLL = 0.005;

    private final EventLoop acceptor;
    private final Supplier<EventLoop> nextLoop;
    private final ServerSocketChannel listener;
    private final boolean ownsListener;
    private final Supplier<? extends BaseProtocol> protocolFactory;
    private final ServerOptions options;
    /** Per loop, the connections it was handed, each set touched on its loop's thread only. */
    private final Map<EventLoop, Handed> handed = new IdentityHashMap<>();
    private final int port;
    /** The accept loop; acceptor's thread only. */
    private Task<Void> accepting;
    private boolean closed;

    /**
     * The connections one loop was handed: each channel and, once wrapped, its transport.
     * Closed ones are dropped whenever the map doubles, so it stays within twice the live ones.
     */
    private static final class Handed {
        final Map<SocketChannel, BaseTransport> connections = new HashMap<>();
        int purgeAt = 64;

        void add(SocketChannel channel) {
            if (connections.size() >= purgeAt) {
                connections.keySet().removeIf(each -> !each.isOpen());
                purgeAt = Math.max(64, 2 * connections.size());
            }
            connections.put(channel, null);
        }
    }

    private AcceptorGroupServer(List<EventLoop> loops, Supplier<EventLoop> nextLoop, ServerSocketChannel listener,
                                boolean ownsListener, Supplier<? extends BaseProtocol> protocolFactory,
                                ServerOptions options) throws IOException {
        this.acceptor = loops.get(0);
        this.nextLoop = nextLoop;
        this.listener = listener;
        this.ownsListener = ownsListener;
        this.protocolFactory = protocolFactory;
        this.options = options;
        this.port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
        for (EventLoop loop : loops) {
            handed.put(loop, new Handed());
        }
    }

    /**
     * Listens on {@code host}:{@code port} (null host: every interface), or on {@code options.sock()},
     * and starts accepting on the first loop of {@code loops}.
     */
    public static GroupServer start(List<EventLoop> loops, Supplier<EventLoop> nextLoop,
                                    Supplier<? extends BaseProtocol> protocolFactory, String host, int port,
                                    ServerOptions options) throws IOException {
        boolean owns = options.sock() == null;
        ServerSocketChannel listener = owns ? listen(host, port, options) : options.sock();
        try {
            listener.configureBlocking(false);
            AcceptorGroupServer server = new AcceptorGroupServer(loops, nextLoop, listener, owns || options.cleanupSocket(),
                    protocolFactory, options);
            join(Asyncio.runCoroutineThreadsafe(() -> {
                server.accepting = server.acceptor.createTask(server::acceptLoop);
                return null;
            }, server.acceptor));
            return server;
        } catch (Throwable failed) {
            if (owns) {
                closeQuietly(listener);
            }
            throw failed;
        }
    }

    private static ServerSocketChannel listen(String host, int port, ServerOptions options) throws IOException {
        ServerSocketChannel channel = options.family() == null ? ServerSocketChannel.open()
                : ServerSocketChannel.open(options.family());
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, options.reuseAddress());
            channel.bind(host == null ? new InetSocketAddress(port) : new InetSocketAddress(host, port), options.backlog());
            return channel;
        } catch (IOException | RuntimeException failed) {
            closeQuietly(channel);
            throw failed;
        }
    }

    private Void acceptLoop() {
        while (true) {
            AcceptedSocket accepted;
            try {
                accepted = acceptor.sockAccept(listener).await();
            } catch (CancelledError cancelled) {
                throw cancelled;
            } catch (Exception failed) {
                if (!listener.isOpen()) {
                    return null;
                }
                report(acceptor, "Error accepting a connection for the loop group", failed);
                Asyncio.sleep(ACCEPT_RETRY_DELAY);
                continue;
            }
            handOver(accepted.channel());
        }
    }

    private void handOver(SocketChannel channel) {
        EventLoop target = nextLoop.get();
        if (target == acceptor) {
            connect(target, channel);
            return;
        }
        try {
            target.callSoonThreadsafe(() -> connect(target, channel));
        } catch (RuntimeException stopped) {
            closeQuietly(channel);
            report(acceptor, "A loop of the group refused an accepted connection", stopped);
        }
    }

    /** On {@code target}'s thread: the accepted socket becomes a transport of that loop. */
    private void connect(EventLoop target, SocketChannel channel) {
        Handed mine = handed.get(target);
        mine.add(channel);
        Future<?> made;
        try {
            made = target.connectAcceptedSocket(protocolFactory, channel, options);
        } catch (RuntimeException refused) {
            mine.connections.remove(channel);
            closeQuietly(channel);
            report(target, "connect_accepted_socket failed for a connection of the loop group", refused);
            return;
        }
        made.addDoneCallback(done -> {
            if (!done.cancelled() && done.exception() == null) {
                mine.connections.put(channel, ((Connection<?>) done.result()).transport());
            } else {
                mine.connections.remove(channel);
                closeQuietly(channel);
                if (!done.cancelled()) {
                    report(target, "connect_accepted_socket failed for a connection of the loop group", done.exception());
                }
            }
        });
    }

    private static void report(EventLoop loop, String message, Throwable error) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("message", message);
        context.put("exception", error);
        loop.callExceptionHandler(context);
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // Nothing more to release.
        }
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public List<SocketAddress> addresses() {
        try {
            return listener.isOpen() ? List.of(listener.getLocalAddress()) : List.of();
        } catch (IOException closed) {
            return List.of();
        }
    }

    @Override
    public boolean reusePort() {
        return false;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        join(Asyncio.runCoroutineThreadsafe(() -> {
            accepting.cancel();
            try {
                accepting.await();
            } catch (CancelledError expected) {
                // The accept loop ends by being cancelled.
            }
            if (ownsListener) {
                listener.close();
            }
            return null;
        }, acceptor));
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        handed.forEach((loop, mine) -> closing.add(Asyncio.runCoroutineThreadsafe(() -> closeConnections(loop, mine), loop)));
        closing.forEach(GroupLoopThread::join);
    }

    /**
     * On the loop's thread: asks each transport to close, as {@code Server.close_clients()}, and
     * waits until each socket is closed (once its transport flushed what it held). A connection
     * still being wrapped (a TLS handshake) has its socket closed, which fails the handshake.
     */
    private static Void closeConnections(EventLoop loop, Handed mine) {
        mine.connections.forEach((channel, transport) -> {
            if (transport == null) {
                closeQuietly(channel);
            } else if (!transport.isClosing()) {
                transport.close();
            }
        });
        List<SocketChannel> open = mine.connections.keySet().stream().filter(SocketChannel::isOpen).toList();
        mine.connections.clear();
        if (!open.isEmpty()) {
            awaitClosed(loop, open);
        }
        return null;
    }

    /**
     * Waits until every one of {@code open} is closed. The user's protocol hears connection_lost,
     * and wrapping it to hear that too would change what getProtocol() returns; so the loop itself
     * tells when any of its transports let go of its socket, and each time the sockets are looked
     * at again from the first one not yet seen closed (a closed one stays closed: all the looks
     * together cost one pass plus one per release).
     */
    private static void awaitClosed(EventLoop loop, List<SocketChannel> open) {
        if (!(loop instanceof TransportReleases releases)) {
            while (open.stream().anyMatch(SocketChannel::isOpen)) {
                Asyncio.sleep(CLOSE_POLL);
            }
            return;
        }
        Future<Void> allClosed = loop.createFuture();
        int[] next = {0};
        Runnable look = () -> {
            while (next[0] < open.size() && !open.get(next[0]).isOpen()) {
                next[0]++;
            }
            if (next[0] == open.size() && !allClosed.done()) {
                allClosed.setResult(null);
            }
        };
        releases.addReleaseListener(look);
        try {
            look.run();
            allClosed.await();
        } finally {
            releases.removeReleaseListener(look);
        }
    }
}
