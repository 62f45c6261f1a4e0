package asyncio.api.internal;

import static asyncio.api.internal.GroupLoopThread.join;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.GroupServer;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.Server;
import asyncio.api.transports.ServerOptions;
import asyncio.api.transports.TransportSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A group's port with {@code reuse_port}: each loop runs {@code create_server} on the port with
 * SO_REUSEPORT, so each has its own listening socket and the kernel spreads new connections over
 * them, as it does over N asyncio processes.
 */
public final class ReusePortGroupServer implements GroupServer {
    private final List<Server> servers;
    private final int port;
    private boolean closed;

    private ReusePortGroupServer(List<Server> servers) {
        this.servers = servers;
        this.port = portOf(servers.get(0));
    }

    /**
     * Creates the server on every loop, the first one first so that port 0 becomes the port the
     * system chose, which the others then share. On a failure the servers made are closed.
     */
    public static GroupServer start(List<EventLoop> loops, Supplier<? extends BaseProtocol> protocolFactory, String host,
                                    int port, ServerOptions options) {
        List<Server> servers = new ArrayList<>();
        try {
            int shared = port;
            for (EventLoop loop : loops) {
                int bound = shared;
                Server server = join(Asyncio.runCoroutineThreadsafe(
                        () -> loop.createServer(protocolFactory, host, bound, options).await(), loop));
                servers.add(server);
                shared = portOf(server);
            }
            return new ReusePortGroupServer(List.copyOf(servers));
        } catch (Throwable failed) {
            try {
                closeAll(servers);
            } catch (Throwable closing) {
                failed.addSuppressed(closing);
            }
            throw Throwables.sneaky(failed);
        }
    }

    private static int portOf(Server server) {
        try {
            return ((InetSocketAddress) server.sockets().get(0).localAddress()).getPort();
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public List<SocketAddress> addresses() {
        List<SocketAddress> addresses = new ArrayList<>();
        for (Server server : servers) {
            for (TransportSocket socket : server.sockets()) {
                try {
                    addresses.add(socket.localAddress());
                } catch (IOException closed) {
                    // Closed meanwhile: it listens on nothing any more.
                }
            }
        }
        return addresses;
    }

    @Override
    public boolean reusePort() {
        return true;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeAll(servers);
    }

    private static void closeAll(List<Server> servers) {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (Server server : servers) {
            closing.add(Asyncio.runCoroutineThreadsafe(() -> {
                server.close();
                server.closeClients();
                server.waitClosed().await();
                return null;
            }, server.getLoop()));
        }
        Throwable first = null;
        for (CompletableFuture<Void> each : closing) {
            try {
                join(each);
            } catch (Throwable failed) {
                if (first == null) {
                    first = failed;
                } else {
                    first.addSuppressed(failed);
                }
            }
        }
        if (first != null) {
            throw Throwables.sneaky(first);
        }
    }
}
