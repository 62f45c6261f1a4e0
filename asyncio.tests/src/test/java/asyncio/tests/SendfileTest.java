package asyncio.tests;

import static asyncio.tests.LoopbackPeers.ascii;
import static asyncio.tests.LoopbackPeers.within;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.SendfileNotAvailableError;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.Connection;
import asyncio.api.transports.Protocol;
import asyncio.api.transports.Server;
import asyncio.api.transports.Transport;
import asyncio.api.transports.TransportSocket;
import asyncio.api.transports.WritePipeConnection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** loop.sendfile over a stream transport and loop.sock_sendfile over a raw socket. */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class})
class SendfileTest {
    private static final int SIZE = 3 * 1024 * 1024 + 17;

    @TempDir
    Path directory;

    /** Keeps every byte the server side receives; {@link #eof} completes when the client closes. */
    static class Collector implements Protocol {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final Future<byte[]> eof = Asyncio.getRunningLoop().createFuture();

        @Override
        public void dataReceived(ByteBuffer data) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            bytes.writeBytes(chunk);
        }

        @Override
        public boolean eofReceived() {
            eof.setResult(bytes.toByteArray());
            return false;
        }
    }

    /** A connected client transport and the server-side collector of what it sends. */
    record Link(Server server, Connection<Protocol> client, Collector collector) {
        /** Closes the client, waits for everything to arrive, and closes the server. */
        byte[] finish() {
            client.transport().close();
            byte[] received = within(collector.eof);
            server.close();
            within(server.waitClosed());
            return received;
        }
    }

    private static Link link(EventLoop loop) throws IOException {
        Future<Collector> accepted = loop.createFuture();
        Server server = within(loop.createServer(() -> {
            Collector collector = new Collector();
            accepted.setResult(collector);
            return collector;
        }, "127.0.0.1", 0));
        int port = ((InetSocketAddress) server.sockets().get(0).localAddress()).getPort();
        Connection<Protocol> client = within(loop.createConnection(() -> new Protocol() { }, "127.0.0.1", port));
        // A small send buffer makes the transfer wait for writability many times.
        ((TransportSocket) client.transport().getExtraInfo("socket")).setOption(StandardSocketOptions.SO_SNDBUF, 128 * 1024);
        return new Link(server, client, within(accepted));
    }

    private byte[] content() {
        byte[] data = new byte[SIZE];
        new Random(11).nextBytes(data);
        return data;
    }

    private Path file(byte[] data) throws IOException {
        return Files.write(directory.resolve("data.bin"), data);
    }

    /** The same bytes as an entry of a zip file: a FileChannel without a descriptor, so no sendfile(2). */
    private FileSystem zipWith(byte[] data) throws IOException {
        Path zip = directory.resolve("data.zip");
        URI uri = URI.create("jar:" + zip.toUri());
        try (FileSystem writing = FileSystems.newFileSystem(uri, Map.of("create", "true"))) {
            Files.write(writing.getPath("/data.bin"), data);
        }
        return FileSystems.newFileSystem(uri, Map.of());
    }

    @LoopTest
    void sendfileSendsAFileLargerThanTheSocketBuffers(LoopKind kind) throws IOException {
        byte[] data = content();
        try (FileChannel file = FileChannel.open(file(data))) {
            List<Object> outcome = kind.run(() -> {
                Link link = link(Asyncio.getRunningLoop());
                long sent = within(Asyncio.getRunningLoop().sendfile(link.client().transport(), file));
                long position = file.position();
                return List.of(sent, position, link.finish());
            });
            assertEquals((long) SIZE, outcome.get(0));
            assertEquals((long) SIZE, outcome.get(1));
            assertArrayEquals(data, (byte[]) outcome.get(2));
        }
    }

    @LoopTest
    void sendfileSendsCountBytesFromOffsetAndLeavesThePositionAfterThem(LoopKind kind) throws IOException {
        byte[] data = content();
        try (FileChannel file = FileChannel.open(file(data))) {
            List<Object> outcome = kind.run(() -> {
                Link link = link(Asyncio.getRunningLoop());
                long sent = within(Asyncio.getRunningLoop().sendfile(link.client().transport(), file, 1000, 100_000L, true));
                long position = file.position();
                return List.of(sent, position, link.finish());
            });
            assertEquals(100_000L, outcome.get(0));
            assertEquals(101_000L, outcome.get(1));
            assertArrayEquals(Arrays.copyOfRange(data, 1000, 101_000), (byte[]) outcome.get(2));
        }
    }

    @LoopTest
    void writingWhileSendfileRunsIsRefusedAndWorksAfterwards(LoopKind kind) throws IOException {
        byte[] data = content();
        try (FileChannel file = FileChannel.open(file(data))) {
            List<Object> outcome = kind.run(() -> {
                Link link = link(Asyncio.getRunningLoop());
                Future<Long> sending = Asyncio.getRunningLoop().sendfile(link.client().transport(), file);
                IllegalStateException refused = assertThrows(IllegalStateException.class,
                        () -> link.client().transport().write(ascii("too early")));
                within(sending);
                link.client().transport().write(ascii("tail"));
                return List.of(refused.getMessage(), link.finish());
            });
            assertEquals("unable to write; sendfile is in progress", outcome.get(0));
            byte[] expected = Arrays.copyOf(data, SIZE + 4);
            System.arraycopy("tail".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, expected, SIZE, 4);
            assertArrayEquals(expected, (byte[]) outcome.get(1));
        }
    }

    /** Collects like {@link Collector}, but pauses reading once {@code threshold} bytes came, so the sender blocks. */
    static final class PausingCollector extends Collector {
        final Future<Void> paused = Asyncio.getRunningLoop().createFuture();
        private final int threshold;
        private Transport transport;

        PausingCollector(int threshold) {
            this.threshold = threshold;
        }

        @Override
        public void connectionMade(BaseTransport made) {
            transport = (Transport) made;
            try {
                // A fixed small receive buffer: no autotuning lets the whole file fit in flight.
                ((TransportSocket) transport.getExtraInfo("socket")).setOption(StandardSocketOptions.SO_RCVBUF, 64 * 1024);
            } catch (IOException failed) {
                throw new java.io.UncheckedIOException(failed);
            }
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            super.dataReceived(data);
            if (!paused.done() && bytes.size() >= threshold) {
                transport.pauseReading();
                paused.setResult(null);
            }
        }

        void resume() {
            transport.resumeReading();
        }
    }

    @LoopTest
    void cancellingSendfileLeavesThePositionAfterTheBytesSentAndTheTransportWritable(LoopKind kind) throws IOException {
        byte[] data = content();
        try (FileChannel file = FileChannel.open(file(data))) {
            List<Object> outcome = kind.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Future<PausingCollector> accepted = loop.createFuture();
                Server server = within(loop.createServer(() -> {
                    PausingCollector collector = new PausingCollector(64 * 1024);
                    accepted.setResult(collector);
                    return collector;
                }, "127.0.0.1", 0));
                int port = ((InetSocketAddress) server.sockets().get(0).localAddress()).getPort();
                Connection<Protocol> client = within(loop.createConnection(() -> new Protocol() { }, "127.0.0.1", port));
                ((TransportSocket) client.transport().getExtraInfo("socket")).setOption(StandardSocketOptions.SO_SNDBUF, 128 * 1024);
                PausingCollector collector = within(accepted);
                Future<Long> sending = loop.sendfile(client.transport(), file, 10, null, false);
                within(collector.paused);
                sending.cancel();
                assertThrows(java.util.concurrent.CancellationException.class, () -> within(sending));
                long position = file.position();
                client.transport().write(ascii("tail"));
                collector.resume();
                boolean completionBased = loop instanceof asyncio.spi.proactor.ProactorEventLoop;
                return List.of(position, new Link(server, client, collector).finish(), completionBased);
            });
            long position = (Long) outcome.get(0);
            byte[] received = (byte[]) outcome.get(1);
            assertTrue(position >= 10 + 64 * 1024 && position < SIZE, "position " + position);
            // A completion-based loop cannot learn how much of the step in flight went out before
            // its cancellation (nor can CPython's proactor, TransmitFile): those bytes may follow
            // beyond the position, in order. Elsewhere the position is exactly what was sent.
            long sentOfFile = (Boolean) outcome.get(2) ? received.length - 4 : position - 10;
            assertTrue(sentOfFile >= position - 10, "sent " + sentOfFile + " before position " + position);
            byte[] expected = Arrays.copyOfRange(data, 10, (int) (10 + sentOfFile) + 4);
            System.arraycopy("tail".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, expected, (int) sentOfFile, 4);
            assertArrayEquals(expected, received);
        }
    }

    @LoopTest
    void aFileWithoutDescriptorIsCopiedByTheFallback(LoopKind kind) throws IOException {
        byte[] data = content();
        try (FileSystem zip = zipWith(data); FileChannel file = FileChannel.open(zip.getPath("/data.bin"))) {
            List<Object> outcome = kind.run(() -> {
                Link link = link(Asyncio.getRunningLoop());
                long sent = within(Asyncio.getRunningLoop().sendfile(link.client().transport(), file, 5, null, true));
                return List.of(sent, link.finish());
            });
            assertEquals((long) SIZE - 5, outcome.get(0));
            assertArrayEquals(Arrays.copyOfRange(data, 5, SIZE), (byte[]) outcome.get(1));
        }
    }

    @LoopTest
    void withoutFallbackAFileWithoutDescriptorRaisesSendfileNotAvailable(LoopKind kind) throws IOException {
        byte[] data = content();
        try (FileSystem zip = zipWith(data); FileChannel file = FileChannel.open(zip.getPath("/data.bin"))) {
            List<Object> outcome = kind.run(() -> {
                Link link = link(Asyncio.getRunningLoop());
                assertThrows(SendfileNotAvailableError.class,
                        () -> within(Asyncio.getRunningLoop().sendfile(link.client().transport(), file, 0, null, false)));
                link.client().transport().write(ascii("still usable"));
                return List.of(link.finish());
            });
            assertEquals("still usable", new String((byte[]) outcome.get(0), java.nio.charset.StandardCharsets.US_ASCII));
        }
    }

    @LoopTest
    void sockSendfileSendsOverARawSocket(LoopKind kind) throws IOException {
        byte[] data = content();
        try (FileChannel file = FileChannel.open(file(data)); LoopbackPeers.Pair pair = LoopbackPeers.tcpPair()) {
            pair.left().configureBlocking(false);
            pair.right().configureBlocking(false);
            pair.left().setOption(StandardSocketOptions.SO_SNDBUF, 128 * 1024);
            List<Object> outcome = kind.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Future<Long> sending = loop.sockSendfile(pair.left(), file, 0, null, false);
                ByteBuffer received = ByteBuffer.allocate(SIZE);
                while (received.hasRemaining()) {
                    within(loop.sockRecvInto(pair.right(), received));
                }
                return List.of(within(sending), received.array());
            });
            assertEquals((long) SIZE, outcome.get(0));
            assertArrayEquals(data, (byte[]) outcome.get(1));
        }
    }

    @LoopTest
    void sockSendfileFallsBackForAFileWithoutDescriptor(LoopKind kind) throws IOException {
        byte[] data = content();
        try (FileSystem zip = zipWith(data); FileChannel file = FileChannel.open(zip.getPath("/data.bin"));
             LoopbackPeers.Pair pair = LoopbackPeers.tcpPair()) {
            pair.left().configureBlocking(false);
            pair.right().configureBlocking(false);
            List<Object> outcome = kind.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                assertThrows(SendfileNotAvailableError.class,
                        () -> within(loop.sockSendfile(pair.left(), file, 0, 10L, false)));
                Future<Long> sending = loop.sockSendfile(pair.left(), file, 0, 1000L, true);
                ByteBuffer received = ByteBuffer.allocate(1000);
                while (received.hasRemaining()) {
                    within(loop.sockRecvInto(pair.right(), received));
                }
                return List.of(within(sending), received.array(), file.position());
            });
            assertEquals(1000L, outcome.get(0));
            assertArrayEquals(Arrays.copyOf(data, 1000), (byte[]) outcome.get(1));
            assertEquals(1000L, outcome.get(2));
        }
    }

    @LoopTest
    void badCountsAndOffsetsAreRefusedAtTheCall(LoopKind kind) throws IOException {
        try (FileChannel file = FileChannel.open(file(new byte[10])); LoopbackPeers.Pair pair = LoopbackPeers.tcpPair();
             EventLoop loop = kind.newLoop()) {
            pair.left().configureBlocking(false);
            IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                    () -> loop.sockSendfile(pair.left(), file, 0, 0L, true));
            assertEquals("count must be a positive integer (got 0)", zero.getMessage());
            IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                    () -> loop.sockSendfile(pair.left(), file, -1, null, true));
            assertEquals("offset must be a non-negative integer (got -1)", negative.getMessage());
        }
    }

    @LoopTest
    void aPipeTransportCannotSendfile(LoopKind kind) throws IOException {
        try (FileChannel file = FileChannel.open(file(new byte[10])); LoopbackPeers.PipeEnds pipe = LoopbackPeers.pipe()) {
            String message = kind.run(() -> {
                WritePipeConnection<PipeProtocol> writing = within(
                        Asyncio.getRunningLoop().connectWritePipe(PipeProtocol::new, pipe.sink()));
                IllegalStateException refused = assertThrows(IllegalStateException.class,
                        () -> Asyncio.getRunningLoop().sendfile(writing.transport(), file));
                writing.transport().close();
                within(writing.protocol().lost);
                return refused.getMessage();
            });
            assertTrue(message.startsWith("sendfile is not supported for transport"), message);
        }
    }

    /** Tells when its pipe transport is gone. */
    static final class PipeProtocol implements asyncio.api.transports.BaseProtocol {
        final Future<Void> lost = Asyncio.getRunningLoop().createFuture();

        @Override
        public void connectionMade(BaseTransport transport) {
        }

        @Override
        public void connectionLost(Throwable error) {
            lost.setResult(null);
        }
    }
}
