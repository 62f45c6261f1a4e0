package asyncio.windows;

import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.Task;
import asyncio.api.transports.AcceptedSocket;
import asyncio.spi.AddressConnector;
import asyncio.spi.Resolver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Objects;

/**
 * {@code sock_accept} and {@code sock_connect} on the Windows loop through its readiness helper:
 * the application's NIO channel does the accept or the connect itself, tried at once and again
 * whenever {@code addReader}/{@code addWriter} report it ready, as asyncio's selector loop does
 * ({@code _sock_accept}, {@code _sock_connect_cb}). The completion port cannot do these for a NIO
 * channel: AcceptEx's socket cannot become the {@link SocketChannel} sock_accept returns, and a
 * ConnectEx behind the channel's back leaves it unaware of its connection.
 */
final class SockCallsByReadiness {
    private SockCallsByReadiness() {
    }

    /** One step of a call: true once it is over (its result set). */
    @FunctionalInterface
    private interface Attempt {
        boolean tryOnce();
    }

    static Future<AcceptedSocket> accept(EventLoop loop, ServerSocketChannel sock) {
        requireNonBlocking(sock);
        Future<AcceptedSocket> result = loop.createFuture();
        untilDone(loop, sock, true, result, () -> acceptOnce(sock, result));
        return result;
    }

    static Future<Void> connect(EventLoop loop, SocketChannel sock, SocketAddress address) {
        requireNonBlocking(sock);
        Objects.requireNonNull(address, "address");
        if (address instanceof InetSocketAddress inet && inet.isUnresolved()) {
            return new Task<>(() -> {
                List<InetSocketAddress> resolved = Resolver.resolve(loop, inet.getHostString(), inet.getPort(), null)
                        .await();
                return connectResolved(loop, sock, resolved.get(0)).await();
            }, loop, "sock_connect", true);
        }
        return connectResolved(loop, sock, address);
    }

    private static Future<Void> connectResolved(EventLoop loop, SocketChannel sock, SocketAddress address) {
        Future<Void> result = loop.createFuture();
        try {
            // A connect a cancelled sock_connect started is still under way: wait it out, as asyncio does.
            if (sock.isConnectionPending() ? sock.finishConnect() : sock.connect(address)) {
                result.setResult(null);
                return result;
            }
        } catch (IOException | RuntimeException failed) {
            result.setException(failed);
            return result;
        }
        untilDone(loop, sock, false, result, () -> {
            try {
                if (!sock.finishConnect()) {
                    return false;
                }
                result.setResult(null);
            } catch (IOException failed) {
                result.setException(AddressConnector.connectFailed(address, failed));
            } catch (RuntimeException failed) {
                result.setException(failed);
            }
            return true;
        });
        return result;
    }

    /** Tries now; if not over, watches the channel (reading or writing) until it is, or the caller cancels. */
    private static void untilDone(EventLoop loop, SelectableChannel channel, boolean reading, Future<?> result,
                                  Attempt attempt) {
        if (attempt.tryOnce()) {
            return;
        }
        Runnable retry = () -> {
            if (result.done() || attempt.tryOnce()) {
                stopWatching(loop, channel, reading);
            }
        };
        if (reading) {
            loop.addReader(channel, retry);
        } else {
            loop.addWriter(channel, retry);
        }
        result.addDoneCallback(done -> {
            if (done.cancelled()) {
                stopWatching(loop, channel, reading);
            }
        });
    }

    private static void stopWatching(EventLoop loop, SelectableChannel channel, boolean reading) {
        if (!loop.isClosed()) {
            if (reading) {
                loop.removeReader(channel);
            } else {
                loop.removeWriter(channel);
            }
        }
    }

    private static boolean acceptOnce(ServerSocketChannel sock, Future<AcceptedSocket> result) {
        SocketChannel accepted = null;
        try {
            accepted = sock.accept();
            if (accepted == null) {
                return false;
            }
            accepted.configureBlocking(false);
            result.setResult(new AcceptedSocket(accepted, accepted.getRemoteAddress()));
        } catch (IOException | RuntimeException failed) {
            if (accepted != null) {
                try {
                    accepted.close();
                } catch (IOException ignored) {
                    // the failure above is the one to report
                }
            }
            result.setException(failed);
        }
        return true;
    }

    private static void requireNonBlocking(SelectableChannel channel) {
        Objects.requireNonNull(channel, "sock");
        if (channel.isBlocking()) {
            throw new IllegalArgumentException("the socket must be non-blocking");
        }
    }
}
