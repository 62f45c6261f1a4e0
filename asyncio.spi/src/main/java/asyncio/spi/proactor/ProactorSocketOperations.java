package asyncio.spi.proactor;

import asyncio.api.Future;
import asyncio.api.Task;
import asyncio.api.transports.AcceptedSocket;
import asyncio.api.transports.ReceivedDatagram;
import asyncio.api.transports.ReceivedInto;
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
import java.util.function.Function;

/**
 * The {@code sock_*} coroutines on a completion-based loop: each is one operation on the port
 * (a {@code sock_sendall} resubmits after a partial send), and cancelling the future cancels
 * the operation. Mirrors {@code BaseProactorEventLoop.sock_recv} and its siblings.
 */
final class ProactorSocketOperations {
    private ProactorSocketOperations() {
    }

    static void requireNonBlocking(SelectableChannel channel) {
        Objects.requireNonNull(channel, "sock");
        if (channel.isBlocking()) {
            throw new IllegalArgumentException("the socket must be non-blocking");
        }
    }

    /** Completes {@code result} with what {@code convert} makes of the operation's outcome. */
    private static <R, T> Completion<R> into(Future<T> result, Function<R, T> convert) {
        return new Completion<>() {
            @Override
            public void completed(R value) {
                if (!result.done()) {
                    result.setResult(convert.apply(value));
                }
            }

            @Override
            public void failed(IOException error) {
                if (!result.done()) {
                    result.setException(error);
                }
            }

            @Override
            public void cancelled() {
                if (!result.done()) {
                    result.cancel();
                }
            }
        };
    }

    /** Cancelling the caller's future aborts the operation; the port still completes it. */
    private static <T> Future<T> cancelsWith(Future<T> result, Operation operation) {
        result.addDoneCallback(done -> {
            if (done.cancelled()) {
                operation.cancel();
            }
        });
        return result;
    }

    private static ProactorSocket adopt(ProactorEventLoop loop, SelectableChannel channel) {
        try {
            return loop.adopt(channel);
        } catch (IOException failed) {
            throw new IllegalArgumentException("the loop cannot use this socket: " + failed.getMessage(), failed);
        }
    }

    static Future<ByteBuffer> recv(ProactorEventLoop loop, SocketChannel channel, int n) {
        requireNonBlocking(channel);
        if (n < 0) {
            throw new IllegalArgumentException("negative buffersize in recv");
        }
        ByteBuffer data = ByteBuffer.allocate(n);
        Future<ByteBuffer> result = loop.createFuture();
        if (n == 0) {
            result.setResult(data);
            return result;
        }
        return cancelsWith(result, loop.port().recv(adopt(loop, channel), data, into(result, count -> data.flip())));
    }

    static Future<Integer> recvInto(ProactorEventLoop loop, SocketChannel channel, ByteBuffer buffer) {
        requireNonBlocking(channel);
        Objects.requireNonNull(buffer, "buf");
        Future<Integer> result = loop.createFuture();
        if (!buffer.hasRemaining()) {
            result.setResult(0);
            return result;
        }
        return cancelsWith(result, loop.port().recv(adopt(loop, channel), buffer, into(result, count -> count)));
    }

    static Future<ReceivedDatagram> recvfrom(ProactorEventLoop loop, DatagramChannel channel, int bufsize) {
        requireNonBlocking(channel);
        if (bufsize < 0) {
            throw new IllegalArgumentException("negative buffersize in recvfrom");
        }
        ByteBuffer data = ByteBuffer.allocate(bufsize);
        Future<ReceivedDatagram> result = loop.createFuture();
        return cancelsWith(result, loop.port().recvFrom(adopt(loop, channel), data,
                into(result, sender -> new ReceivedDatagram(data.flip(), sender))));
    }

    static Future<ReceivedInto> recvfromInto(ProactorEventLoop loop, DatagramChannel channel, ByteBuffer buffer,
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
        ByteBuffer window = buffer.slice(buffer.position(), size);
        Future<ReceivedInto> result = loop.createFuture();
        return cancelsWith(result, loop.port().recvFrom(adopt(loop, channel), window, into(result, sender -> {
            buffer.position(buffer.position() + window.position());
            return new ReceivedInto(window.position(), sender);
        })));
    }

    static Future<Void> sendall(ProactorEventLoop loop, SocketChannel channel, ByteBuffer data) {
        requireNonBlocking(channel);
        Objects.requireNonNull(data, "data");
        ProactorSocket socket = adopt(loop, channel);
        return new Task<>(() -> {
            // The caller's buffer is lent to each send in turn; its position shows what was sent.
            while (data.hasRemaining()) {
                Future<Integer> sent = loop.createFuture();
                Operation operation = loop.port().send(socket, data, into(sent, count -> count));
                try {
                    sent.await();
                } catch (asyncio.api.CancelledError cancelled) {
                    operation.cancel();
                    throw cancelled;
                }
            }
            return null;
        }, loop, "sock_sendall", true);
    }

    static Future<Integer> sendto(ProactorEventLoop loop, DatagramChannel channel, ByteBuffer data,
                                  SocketAddress address) {
        requireNonBlocking(channel);
        Objects.requireNonNull(data, "data");
        Future<Integer> result = loop.createFuture();
        return cancelsWith(result, loop.port().sendTo(adopt(loop, channel), data, address, into(result, n -> n)));
    }

    static Future<Void> connect(ProactorEventLoop loop, SocketChannel channel, SocketAddress address) {
        requireNonBlocking(channel);
        Objects.requireNonNull(address, "address");
        ProactorSocket socket = adopt(loop, channel);
        return new Task<>(() -> {
            SocketAddress target = address;
            if (address instanceof InetSocketAddress inet && inet.isUnresolved()) {
                List<InetSocketAddress> resolved = Resolver.resolve(loop, inet.getHostString(), inet.getPort(), null)
                        .await();
                target = resolved.get(0);
            }
            ProactorConnector.connect(loop, socket, target);
            return null;
        }, loop, "sock_connect", true);
    }

    static Future<AcceptedSocket> accept(ProactorEventLoop loop, ServerSocketChannel channel) {
        requireNonBlocking(channel);
        Future<AcceptedSocket> result = loop.createFuture();
        return cancelsWith(result, loop.port().accept(adopt(loop, channel), into(result, accepted -> {
            try {
                return new AcceptedSocket((SocketChannel) accepted.channel(), accepted.remoteAddress());
            } catch (IOException failed) {
                throw new java.io.UncheckedIOException(failed);
            }
        })));
    }
}
