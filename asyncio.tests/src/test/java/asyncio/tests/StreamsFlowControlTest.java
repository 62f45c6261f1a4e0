package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.Future;
import asyncio.api.Task;
import asyncio.api.streams.StreamConnection;
import asyncio.api.streams.StreamReader;
import asyncio.api.streams.StreamWriter;
import asyncio.api.streams.Streams;
import asyncio.api.transports.ConnectionOptions;
import asyncio.api.transports.Server;
import asyncio.api.transports.Transport;
import asyncio.api.transports.TransportSocket;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Flow control of streams over real loopback sockets: the reader pauses its transport above
 * twice its limit and resumes it at the limit; {@code drain()} waits while the peer does not read.
 */
@ExtendWith({JdkNioWarmUp.class, NoDescriptorLeaks.class})
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StreamsFlowControlTest {
    private static final String HOST = "127.0.0.1";

    /** The byte at {@code index} of the test pattern: not periodic at any small power of two. */
    private static byte patternAt(long index) {
        return (byte) (index * 31 + (index >>> 8) * 7);
    }

    private static byte[] pattern(long from, int length) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = patternAt(from + i);
        }
        return data;
    }

    /** Yields until {@code condition} holds, at most about five seconds of loop time. */
    private static void yieldUntil(BooleanSupplier condition, String what) {
        double deadline = Asyncio.getRunningLoop().time() + 5;
        while (!condition.getAsBoolean()) {
            if (Asyncio.getRunningLoop().time() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Asyncio.sleep(0);
        }
    }

    @LoopTest
    void aSlowReaderPausesItsTransportAboveTwiceTheLimitAndResumesItAtTheLimit(LoopKind kind) {
        int limit = 4096;
        int total = 1 << 20;
        kind.run(() -> {
            Server server = Streams.startServer((reader, writer) -> {
                for (int at = 0; at < total; at += 32768) {
                    writer.write(pattern(at, 32768));
                    writer.drain();
                }
                writer.close();
            }, HOST, 0).await();
            try {
                int port = StreamsTest.port(server);
                StreamConnection connection = Streams.openConnection(HOST, port, limit, new ConnectionOptions()).await();
                StreamReader reader = connection.reader();
                Transport transport = connection.writer().transport();
                yieldUntil(() -> !transport.isReading(), "the reader paused its transport");

                // Nothing arrives while paused, and no read below waits: so the bytes taken until
                // the transport resumes plus the limit are exactly what was buffered.
                long position = 0;
                while (!transport.isReading()) {
                    byte[] one = reader.read(1);
                    assertEquals(patternAt(position), one[0]);
                    position++;
                }
                assertTrue(position > limit, "paused with more than twice the limit buffered, read " + position);
                byte[] rest = reader.read(Integer.MAX_VALUE);
                assertEquals(limit, rest.length, "resumed with exactly the limit left");
                assertEquals(ByteBuffer.wrap(pattern(position, limit)), ByteBuffer.wrap(rest));
                position += rest.length;

                byte[] remainder = reader.read(-1);
                assertEquals(ByteBuffer.wrap(pattern(position, total - (int) position)), ByteBuffer.wrap(remainder));
                connection.writer().close();
                connection.writer().waitClosed().await();
            } finally {
                server.close();
                server.waitClosed().await();
            }
            return null;
        });
    }

    /** A plain blocking peer that accepts one connection and reads nothing until told to. */
    private static final class LazyPeer implements AutoCloseable {
        final ServerSocket listener;
        final CountDownLatch startReading = new CountDownLatch(1);
        final CompletableFuture<Long> received = new CompletableFuture<>();
        final Thread thread;

        LazyPeer() throws Exception {
            listener = new ServerSocket();
            listener.setReceiveBufferSize(4096);
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            thread = Thread.ofPlatform().daemon().name("lazy-peer").start(this::serve);
        }

        int port() {
            return listener.getLocalPort();
        }

        private void serve() {
            try (Socket socket = listener.accept(); InputStream in = socket.getInputStream()) {
                if (!startReading.await(20, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never told to read");
                }
                byte[] block = new byte[65536];
                long count = 0;
                for (int n; (n = in.read(block)) >= 0; ) {
                    for (int i = 0; i < n; i++) {
                        if (block[i] != patternAt(count + i)) {
                            throw new IllegalStateException("wrong byte at " + (count + i));
                        }
                    }
                    count += n;
                }
                received.complete(count);
            } catch (Exception | AssertionError error) {
                received.completeExceptionally(error);
            }
        }

        @Override
        public void close() throws IOException {
            startReading.countDown();
            listener.close();
            try {
                thread.join(10_000);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Writes the pattern until the transport's buffer is over its high mark; returns the bytes written. */
    private static long fillUntilPaused(StreamWriter writer) throws Exception {
        Transport transport = writer.transport();
        ((TransportSocket) writer.getExtraInfo("socket")).setOption(StandardSocketOptions.SO_SNDBUF, 4096);
        transport.setWriteBufferLimits(16384, 4096);
        long written = 0;
        while (transport.getWriteBufferSize() <= 16384) {
            if (written > (64 << 20)) {
                throw new AssertionError("the kernel took 64 MiB from a peer that does not read");
            }
            writer.write(pattern(written, 8192));
            written += 8192;
        }
        return written;
    }

    @LoopTest
    void drainWaitsWhileThePeerDoesNotReadAndReturnsOnceItReads(LoopKind kind) throws Exception {
        try (LazyPeer peer = new LazyPeer()) {
            kind.run(() -> {
                StreamConnection connection = Streams.openConnection(HOST, peer.port()).await();
                StreamWriter writer = connection.writer();
                long written = fillUntilPaused(writer);
                Task<Void> drain = Asyncio.createTask(() -> {
                    writer.drain();
                    return null;
                });
                Task<Void> secondDrain = Asyncio.createTask(() -> {
                    writer.drain();
                    return null;
                });
                Turns.pass(20);
                assertFalse(drain.done(), "the peer reads nothing, so drain waits");
                assertFalse(secondDrain.done());
                peer.startReading.countDown();
                Asyncio.waitFor(drain, 10.0);
                Asyncio.waitFor(secondDrain, 10.0);
                assertTrue(writer.transport().getWriteBufferSize() <= 4096, "resumed at or below the low mark");
                writer.writeEof();
                Future<Long> received = Asyncio.wrapFuture(peer.received, Asyncio.getRunningLoop());
                assertEquals(written, Asyncio.waitFor(received, 10.0));
                writer.close();
                writer.waitClosed().await();
                return null;
            });
        }
    }

    @LoopTest
    void aDrainWaitingWhenTheConnectionIsAbortedReturnsAndTheNextOneRaises(LoopKind kind) throws Exception {
        try (LazyPeer peer = new LazyPeer()) {
            kind.run(() -> {
                StreamConnection connection = Streams.openConnection(HOST, peer.port()).await();
                StreamWriter writer = connection.writer();
                fillUntilPaused(writer);
                Task<Void> drain = Asyncio.createTask(() -> {
                    writer.drain();
                    return null;
                });
                Turns.pass(5);
                assertFalse(drain.done());
                // As in asyncio: a connection lost without an error wakes the waiting drain normally.
                writer.transport().abort();
                Asyncio.waitFor(drain, 10.0);
                SocketException lost = assertThrows(SocketException.class, writer::drain);
                assertEquals("Connection lost", lost.getMessage());
                writer.waitClosed().await();
                return null;
            });
        }
    }

    /** A writer that only writes and drains must learn that the peer went away, not spin forever. */
    @LoopTest
    void writingAndDrainingToAPeerThatClosedEndsWithTheConnectionsError(LoopKind kind) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread peer = Thread.ofPlatform().daemon().name("closing-peer").start(() -> {
                try {
                    // Closed at once, unread data and all.
                    listener.accept().close();
                } catch (IOException ignored) {
                    // the test fails on its own side if no connection came
                }
            });
            kind.run(() -> {
                ErrorRecorder errors = ErrorRecorder.on(Asyncio.getRunningLoop());
                StreamConnection connection = Streams.openConnection(HOST, listener.getLocalPort()).await();
                StreamWriter writer = connection.writer();
                IOException gone = assertThrows(IOException.class, () -> Asyncio.timeout(10.0, scope -> {
                    while (true) {
                        writer.write("foo\n");
                        writer.drain();
                    }
                }));
                assertTrue(gone.getMessage() != null, gone.toString());
                assertTrue(errors.contexts().isEmpty(), "a peer's reset is no bug to report: " + errors.contexts());
                writer.close();
                return null;
            });
            peer.join(10_000);
        }
    }

    @LoopTest
    void drainReturnsAtOnceWhenTheTransportIsNotPaused(LoopKind kind) {
        kind.run(() -> {
            Server server = Streams.startServer((reader, writer) -> {
                reader.read(-1);
                writer.close();
            }, HOST, 0).await();
            try {
                StreamConnection connection = Streams.openConnection(HOST, StreamsTest.port(server)).await();
                StreamWriter writer = connection.writer();
                writer.write("small");
                List<String> order = new ArrayList<>();
                Task<Void> other = Asyncio.createTask(() -> {
                    order.add("other");
                    return null;
                });
                writer.drain();
                order.add("drained");
                other.await();
                assertEquals(List.of("drained", "other"), order, "drain did not yield");
                writer.close();
                writer.waitClosed().await();
            } finally {
                server.close();
                server.waitClosed().await();
            }
            return null;
        });
    }
}
