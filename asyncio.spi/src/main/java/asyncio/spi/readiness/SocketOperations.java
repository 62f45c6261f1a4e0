package asyncio.spi.readiness;

import asyncio.api.Future;
import asyncio.api.Handle;
import asyncio.api.Task;
import asyncio.api.transports.AcceptedSocket;
import asyncio.api.transports.ReceivedDatagram;
import asyncio.api.transports.ReceivedInto;
import asyncio.spi.AddressConnector;
import asyncio.spi.Resolver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Objects;

/**
 * The raw socket coroutines: each tries the non-blocking call at once and, only when the kernel
 * has nothing (or no room), watches the channel and tries again at each readiness. Cancelling
 * the returned future stops the watching. Mirrors {@code sock_recv}, {@code sock_sendall} and
 * the rest of {@code BaseSelectorEventLoop}.
 */
final class SocketOperations {
    private SocketOperations() {
    }

    /** One non-blocking try: completes {@code result} and returns true, or returns false to wait. */
    @FunctionalInterface
    private interface Attempt<T> {
        boolean run(Future<T> result) throws IOException;
    }

    static void requireNonBlocking(SelectableChannel channel) {
        Objects.requireNonNull(channel, "sock");
        if (channel.isBlocking()) {
            throw new IllegalArgumentException("the socket must be non-blocking");
        }
    }

    static Future<ByteBuffer> recv(ReadinessEventLoop loop, SocketChannel channel, int n) {
        requireNonBlocking(channel);
        if (n < 0) {
            throw new IllegalArgumentException("negative buffersize in recv");
        }
        ByteBuffer data = ByteBuffer.allocate(n);
        return whenReadable(loop, channel, result -> {
            int count = channel.read(data);
            if (count == 0 && n > 0) {
                return false;
            }
            result.setResult(data.flip());
            return true;
        });
    }

    static Future<Integer> recvInto(ReadinessEventLoop loop, SocketChannel channel, ByteBuffer buffer) {
        requireNonBlocking(channel);
        Objects.requireNonNull(buffer, "buf");
        return whenReadable(loop, channel, result -> {
            int count = channel.read(buffer);
            if (count == 0 && buffer.hasRemaining()) {
                return false;
            }
            result.setResult(Math.max(count, 0));
            return true;
        });
    }

    static Future<ReceivedDatagram> recvfrom(ReadinessEventLoop loop, DatagramChannel channel, int bufsize) {
        requireNonBlocking(channel);
        if (bufsize < 0) {
            throw new IllegalArgumentException("negative buffersize in recvfrom");
        }
        ByteBuffer data = ByteBuffer.allocate(bufsize);
        return whenReadable(loop, channel, result -> {
            SocketAddress sender = channel.receive(data);
            if (sender == null) {
                return false;
            }
            result.setResult(new ReceivedDatagram(data.flip(), sender));
            return true;
        });
    }

    static Future<ReceivedInto> recvfromInto(ReadinessEventLoop loop, DatagramChannel channel, ByteBuffer buffer,
                                             int nbytes) {
        requireNonBlocking(channel);
        Objects.requireNonNull(buffer, "buf");
        if (nbytes < 0) {
            throw new IllegalArgumentException("negative buffersize in recvfrom_into");
        }
        if (nbytes > buffer.remaining()) {
            throw new IllegalArgumentException("nbytes is greater than the length of the buffer");
        }
        int size = nbytes == 0 ? buffer.remaining() : nbytes;
        return whenReadable(loop, channel, result -> {
            ByteBuffer window = buffer.slice(buffer.position(), size);
            SocketAddress sender = channel.receive(window);
            if (sender == null) {
                return false;
            }
            buffer.position(buffer.position() + window.position());
            result.setResult(new ReceivedInto(window.position(), sender));
            return true;
        });
    }

    static Future<Void> sendall(ReadinessEventLoop loop, SocketChannel channel, ByteBuffer data) {
        requireNonBlocking(channel);
        Objects.requireNonNull(data, "data");
        return whenWritable(loop, channel, result -> {
            channel.write(data);
            if (data.hasRemaining()) {
                return false;
            }
            result.setResult(null);
            return true;
        });
    }

    static Future<Integer> sendto(ReadinessEventLoop loop, DatagramChannel channel, ByteBuffer data, SocketAddress address) {
        requireNonBlocking(channel);
        Objects.requireNonNull(data, "data");
        return whenWritable(loop, channel, result -> {
            int size = data.remaining();
            int sent = channel.send(data, address);
            // An empty datagram is sent (0 bytes) or refused (0 too): NIO cannot tell, so count it sent.
            if (sent == 0 && size > 0) {
                return false;
            }
            result.setResult(sent);
            return true;
        });
    }

    static Future<Void> connect(ReadinessEventLoop loop, SocketChannel channel, SocketAddress address) {
        requireNonBlocking(channel);
        Objects.requireNonNull(address, "address");
        if (address instanceof InetSocketAddress inet && inet.isUnresolved()) {
            return new Task<>(() -> {
                List<InetSocketAddress> resolved = Resolver.resolve(loop, inet.getHostString(), inet.getPort(), null).await();
                return connectResolved(loop, channel, resolved.get(0)).await();
            }, loop, "sock_connect", true);
        }
        return connectResolved(loop, channel, address);
    }

    private static Future<Void> connectResolved(ReadinessEventLoop loop, SocketChannel channel, SocketAddress address) {
        Future<Void> result = loop.createFuture();
        try {
            // A connect that an earlier, cancelled sock_connect started is still under way. The
            // kernel answers a second connect() with EALREADY, which asyncio waits out as it
            // waits out EINPROGRESS; NIO would throw ConnectionPendingException instead.
            if (channel.isConnectionPending() ? channel.finishConnect() : channel.connect(address)) {
                result.setResult(null);
                return result;
            }
        } catch (IOException | RuntimeException failed) {
            result.setException(failed);
            return result;
        }
        // A connect in progress reports through writability, as asyncio's _sock_connect_cb.
        watchUntilDone(loop, channel, result, false, () -> {
            if (result.done()) {
                return;
            }
            try {
                if (channel.finishConnect()) {
                    result.setResult(null);
                }
            } catch (IOException failed) {
                result.setException(AddressConnector.connectFailed(address, failed));
            } catch (RuntimeException failed) {
                result.setException(failed);
            }
        });
        return result;
    }

    static Future<AcceptedSocket> accept(ReadinessEventLoop loop, ServerSocketChannel channel) {
        requireNonBlocking(channel);
        return whenReadable(loop, channel, result -> {
            SocketChannel accepted = channel.accept();
            if (accepted == null) {
                return false;
            }
            try {
                accepted.configureBlocking(false);
                result.setResult(new AcceptedSocket(accepted, accepted.getRemoteAddress()));
            } catch (IOException | RuntimeException failed) {
                ReadinessEventLoop.closeQuietly(accepted);
                throw failed;
            }
            return true;
        });
    }

    // --- the shared shape: try now, else watch until done ---

    private static <T> Future<T> whenReadable(ReadinessEventLoop loop, SelectableChannel channel, Attempt<T> attempt) {
        return tryThenWatch(loop, channel, attempt, true);
    }

    private static <T> Future<T> whenWritable(ReadinessEventLoop loop, SelectableChannel channel, Attempt<T> attempt) {
        return tryThenWatch(loop, channel, attempt, false);
    }

    private static <T> Future<T> tryThenWatch(ReadinessEventLoop loop, SelectableChannel channel, Attempt<T> attempt,
                                              boolean read) {
        Future<T> result = loop.createFuture();
        if (!tryOnce(attempt, result)) {
            watchUntilDone(loop, channel, result, read, () -> {
                if (!result.done()) {
                    tryOnce(attempt, result);
                }
            });
        }
        return result;
    }

    private static <T> boolean tryOnce(Attempt<T> attempt, Future<T> result) {
        try {
            return attempt.run(result);
        } catch (IOException | RuntimeException failed) {
            result.setException(failed);
            return true;
        }
    }

    /**
     * Calls {@code retry} at each readiness until {@code result} is done (or cancelled), then stops
     * watching, unless someone else's callback replaced ours meanwhile. Mirrors {@code _sock_read_done}.
     */
    private static void watchUntilDone(ReadinessEventLoop loop, SelectableChannel channel, Future<?> result, boolean read,
                                       Runnable retry) {
        FdWatcher.ensureNoTransport(loop, channel);
        Handle handle = read ? FdWatcher.watchRead(loop, channel, retry) : FdWatcher.watchWrite(loop, channel, retry);
        result.addDoneCallback(done -> {
            if (!handle.cancelled()) {
                if (read) {
                    FdWatcher.unwatchRead(loop, channel);
                } else {
                    FdWatcher.unwatchWrite(loop, channel);
                }
            }
        });
    }
}
