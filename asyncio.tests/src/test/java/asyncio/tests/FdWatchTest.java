package asyncio.tests;

import static asyncio.tests.LoopbackPeers.ascii;
import static asyncio.tests.LoopbackPeers.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.transports.Connection;
import asyncio.api.transports.ConnectionOptions;
import asyncio.api.transports.Protocol;
import asyncio.api.transports.Server;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;

/** add_reader/remove_reader/add_writer/remove_writer on any selectable channel. */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class})
class FdWatchTest {

    @LoopTest
    void readerIsCalledWhenDataArrivesOnAPipe(LoopKind kind) throws IOException {
        try (LoopbackPeers.PipeEnds pipe = LoopbackPeers.pipe()) {
            Pipe.SourceChannel source = pipe.source();
            Pipe.SinkChannel sink = pipe.sink();
            source.configureBlocking(false);
            String received = kind.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Future<String> arrived = loop.createFuture();
                loop.addReader(source, () -> arrived.setResult(readAll(source)));
                sink.write(ascii("ping"));
                String data = within(arrived);
                assertTrue(loop.removeReader(source));
                return data;
            });
            assertEquals("ping", received);
        }
    }

    @LoopTest
    void removeReaderSaysWhetherOneWasRegistered(LoopKind kind) throws IOException {
        try (LoopbackPeers.PipeEnds pipe = LoopbackPeers.pipe()) {
            Pipe.SourceChannel source = pipe.source();
            Pipe.SinkChannel sink = pipe.sink();
            source.configureBlocking(false);
            List<Boolean> answers = kind.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                List<Boolean> removed = new ArrayList<>();
                removed.add(loop.removeReader(source));
                loop.addReader(source, () -> { });
                removed.add(loop.removeReader(source));
                removed.add(loop.removeReader(source));
                return removed;
            });
            assertEquals(List.of(false, true, false), answers);
        }
    }

    @LoopTest
    void aNewReaderReplacesTheOldOne(LoopKind kind) throws IOException {
        try (LoopbackPeers.PipeEnds pipe = LoopbackPeers.pipe()) {
            Pipe.SourceChannel source = pipe.source();
            Pipe.SinkChannel sink = pipe.sink();
            source.configureBlocking(false);
            List<String> calls = kind.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                List<String> log = new ArrayList<>();
                Future<Void> done = loop.createFuture();
                loop.addReader(source, () -> log.add("old"));
                loop.addReader(source, () -> {
                    log.add("new " + readAll(source));
                    done.setResult(null);
                });
                sink.write(ascii("x"));
                within(done);
                loop.removeReader(source);
                return log;
            });
            assertEquals(List.of("new x"), calls);
        }
    }

    @LoopTest
    void readerAndWriterOfOneChannelWorkSideBySide(LoopKind kind) throws IOException {
        try (LoopbackPeers.Pair pair = LoopbackPeers.tcpPair()) {
            SocketChannel watched = pair.left();
            watched.configureBlocking(false);
            List<String> calls = kind.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                List<String> log = new ArrayList<>();
                Future<Void> wrote = loop.createFuture();
                Future<Void> read = loop.createFuture();
                loop.addWriter(watched, () -> {
                    log.add("writable");
                    loop.removeWriter(watched);
                    wrote.setResult(null);
                });
                loop.addReader(watched, () -> {
                    log.add("readable " + readAll(watched));
                    read.setResult(null);
                });
                within(wrote);
                pair.right().write(ascii("hi"));
                within(read);
                log.add("reader still there: " + loop.removeReader(watched));
                log.add("writer still there: " + loop.removeWriter(watched));
                return log;
            });
            assertEquals(List.of("writable", "readable hi", "reader still there: true", "writer still there: false"), calls);
        }
    }

    @LoopTest
    void anExceptionInTheReaderGoesToTheHandlerAndTheLoopGoesOn(LoopKind kind) throws IOException {
        try (LoopbackPeers.PipeEnds pipe = LoopbackPeers.pipe()) {
            Pipe.SourceChannel source = pipe.source();
            Pipe.SinkChannel sink = pipe.sink();
            source.configureBlocking(false);
            String reported = kind.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Future<Throwable> handled = loop.createFuture();
                loop.setExceptionHandler((where, context) -> handled.setResult((Throwable) context.get("exception")));
                loop.addReader(source, () -> {
                    readAll(source);
                    loop.removeReader(source);
                    throw new IllegalStateException("reader failed");
                });
                sink.write(ascii("x"));
                String message = within(handled).getMessage();
                Turns.pass(1); // "the loop goes on": this task is resumed by a later turn of it
                return message;
            });
            assertEquals("reader failed", reported);
        }
    }

    @LoopTest
    void aBlockingChannelIsRefused(LoopKind kind) throws IOException {
        try (LoopbackPeers.PipeEnds pipe = LoopbackPeers.pipe(); EventLoop loop = kind.newLoop()) {
            Pipe.SourceChannel source = pipe.source();
            Pipe.SinkChannel sink = pipe.sink();
            assertThrows(IllegalArgumentException.class, () -> loop.addReader(source, () -> { }));
        }
    }

    @LoopTest
    void theWriteEndOfAPipeCannotBeWatchedForReading(LoopKind kind) throws IOException {
        try (LoopbackPeers.PipeEnds pipe = LoopbackPeers.pipe(); EventLoop loop = kind.newLoop()) {
            Pipe.SourceChannel source = pipe.source();
            Pipe.SinkChannel sink = pipe.sink();
            sink.configureBlocking(false);
            assertThrows(IllegalArgumentException.class, () -> loop.addReader(sink, () -> { }));
        }
    }

    @LoopTest
    void aChannelALiveTransportUsesIsRefused(LoopKind kind) {
        String message = kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = within(loop.createServer(() -> new Protocol() { }, "127.0.0.1", 0));
            // The test hands the transport a channel of its own: the transport owns it from then on.
            SocketChannel used = SocketChannel.open(server.sockets().get(0).localAddress());
            Connection<Protocol> connection = within(loop.createConnection(() -> new Protocol() { }, null, 0,
                    new ConnectionOptions().sock(used)));
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> loop.addReader(used, () -> { }));
            assertThrows(IllegalStateException.class, () -> loop.removeWriter(used));
            connection.transport().close();
            server.close();
            within(server.waitClosed());
            return refused.getMessage();
        });
        assertTrue(message.contains("is used by transport"), message);
    }

    @LoopTest
    void aClosedLoopRemovesNothingAndAddsNothing(LoopKind kind) throws IOException {
        try (LoopbackPeers.PipeEnds pipe = LoopbackPeers.pipe()) {
            Pipe.SourceChannel source = pipe.source();
            Pipe.SinkChannel sink = pipe.sink();
            source.configureBlocking(false);
            EventLoop loop = kind.newLoop();
            loop.close();
            assertFalse(loop.removeReader(source));
            assertFalse(loop.removeWriter(source));
            assertThrows(IllegalStateException.class, () -> loop.addReader(source, () -> { }));
        }
    }

    private static String readAll(java.nio.channels.ReadableByteChannel channel) {
        ByteBuffer buffer = ByteBuffer.allocate(1024);
        try {
            channel.read(buffer);
        } catch (IOException failed) {
            throw new java.io.UncheckedIOException(failed);
        }
        return LoopbackPeers.text(buffer.flip());
    }
}
