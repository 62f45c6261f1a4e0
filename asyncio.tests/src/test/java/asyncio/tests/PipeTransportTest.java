package asyncio.tests;

import static asyncio.tests.LoopbackPeers.ascii;
import static asyncio.tests.LoopbackPeers.text;
import static asyncio.tests.LoopbackPeers.within;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.streams.StreamReader;
import asyncio.api.streams.StreamReaderProtocol;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.Protocol;
import asyncio.api.transports.ReadPipeConnection;
import asyncio.api.transports.WritePipeConnection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtendWith;

/** connect_read_pipe and connect_write_pipe: pipe transports with EOF, flow control and a vanished reader. */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class})
class PipeTransportTest {

    /** Records each event of a read pipe's protocol. */
    static final class Reading implements Protocol {
        final List<String> events = new ArrayList<>();
        Future<Void> lost;

        @Override
        public void connectionMade(BaseTransport transport) {
            lost = Asyncio.getRunningLoop().createFuture();
            events.add("made");
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            events.add("data " + text(data));
        }

        @Override
        public boolean eofReceived() {
            events.add("eof");
            return false;
        }

        @Override
        public void connectionLost(Throwable error) {
            events.add("lost " + error);
            lost.setResult(null);
        }
    }

    /** Records each event of a write pipe's protocol. */
    static final class Writing implements BaseProtocol {
        final List<String> events = new ArrayList<>();
        Future<Void> resumed;
        Future<Throwable> lost;

        @Override
        public void connectionMade(BaseTransport transport) {
            lost = Asyncio.getRunningLoop().createFuture();
            resumed = Asyncio.getRunningLoop().createFuture();
            events.add("made");
        }

        @Override
        public void pauseWriting() {
            events.add("pause");
        }

        @Override
        public void resumeWriting() {
            events.add("resume");
            resumed.setResult(null);
        }

        @Override
        public void connectionLost(Throwable error) {
            events.add("lost");
            lost.setResult(error);
        }
    }

    @LoopTest
    void aReadPipeDeliversDataThenEofThenConnectionLost(LoopKind kind) throws IOException {
        try (LoopbackPeers.PipeEnds pipe = LoopbackPeers.pipe()) {
            List<String> events = kind.run(() -> {
                ReadPipeConnection<Reading> reading = within(Asyncio.getRunningLoop().connectReadPipe(Reading::new, pipe.source()));
                assertSame(pipe.source(), reading.transport().getExtraInfo("pipe"));
                pipe.sink().write(ascii("abc"));
                pipe.sink().close();
                within(reading.protocol().lost);
                assertTrue(reading.transport().isClosing());
                return reading.protocol().events;
            });
            assertEquals(List.of("made", "data abc", "eof", "lost null"), events);
            assertFalse(pipe.source().isOpen(), "the transport closes its pipe");
        }
    }

    @LoopTest
    void aPausedReadPipeDeliversNothingUntilResumed(LoopKind kind) throws IOException {
        try (LoopbackPeers.PipeEnds pipe = LoopbackPeers.pipe()) {
            List<String> events = kind.run(() -> {
                ReadPipeConnection<Reading> reading = within(Asyncio.getRunningLoop().connectReadPipe(Reading::new, pipe.source()));
                reading.transport().pauseReading();
                assertFalse(reading.transport().isReading());
                pipe.sink().write(ascii("held"));
                // The bytes are in the pipe now: the loop polls it many times without reading.
                Turns.pass(20);
                List<String> whilePaused = List.copyOf(reading.protocol().events);
                reading.transport().resumeReading();
                pipe.sink().close();
                within(reading.protocol().lost);
                List<String> all = new ArrayList<>(whilePaused);
                all.add("|");
                all.addAll(reading.protocol().events);
                return all;
            });
            assertEquals(List.of("made", "|", "made", "data held", "eof", "lost null"), events);
        }
    }

    @LoopTest
    void closingAReadPipeReportsConnectionLostOnce(LoopKind kind) throws IOException {
        try (LoopbackPeers.PipeEnds pipe = LoopbackPeers.pipe()) {
            List<String> events = kind.run(() -> {
                ReadPipeConnection<Reading> reading = within(Asyncio.getRunningLoop().connectReadPipe(Reading::new, pipe.source()));
                reading.transport().close();
                reading.transport().close();
                within(reading.protocol().lost);
                Asyncio.sleep(0);
                return reading.protocol().events;
            });
            assertEquals(List.of("made", "lost null"), events);
        }
    }

    @LoopTest
    void aWritePipePausesAboveTheHighMarkAndResumesOnceDrained(LoopKind kind) throws IOException {
        byte[] payload = new byte[512 * 1024];
        new Random(7).nextBytes(payload);
        try (LoopbackPeers.PipeEnds pipe = LoopbackPeers.pipe()) {
            pipe.source().configureBlocking(false);
            List<Object> outcome = kind.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                WritePipeConnection<Writing> writing = within(loop.connectWritePipe(Writing::new, pipe.sink()));
                writing.transport().write(payload);
                List<Object> result = new ArrayList<>();
                result.add(List.copyOf(writing.protocol().events));
                result.add(writing.transport().getWriteBufferSize() > 64 * 1024);
                ByteBuffer received = ByteBuffer.allocate(payload.length);
                Future<Void> all = loop.createFuture();
                loop.addReader(pipe.source(), () -> {
                    try {
                        pipe.source().read(received);
                    } catch (IOException failed) {
                        all.setException(failed);
                    }
                    if (!received.hasRemaining() && !all.done()) {
                        all.setResult(null);
                    }
                });
                within(writing.protocol().resumed);
                within(all);
                loop.removeReader(pipe.source());
                result.add(writing.transport().getWriteBufferSize());
                writing.transport().close();
                result.add(within(writing.protocol().lost));
                result.add(List.copyOf(writing.protocol().events));
                result.add(received.array());
                return result;
            });
            assertEquals(List.of("made", "pause"), outcome.get(0));
            assertEquals(true, outcome.get(1));
            assertEquals(0, outcome.get(2));
            assertEquals(null, outcome.get(3));
            assertEquals(List.of("made", "pause", "resume", "lost"), outcome.get(4));
            assertArrayEquals(payload, (byte[]) outcome.get(5));
            assertFalse(pipe.sink().isOpen());
        }
    }

    @LoopTest
    void writeEofClosesThePipeOnceTheBufferDrained(LoopKind kind) throws IOException {
        byte[] payload = new byte[200 * 1024];
        try (LoopbackPeers.PipeEnds pipe = LoopbackPeers.pipe()) {
            pipe.source().configureBlocking(false);
            List<Object> outcome = kind.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                WritePipeConnection<Writing> writing = within(loop.connectWritePipe(Writing::new, pipe.sink()));
                writing.transport().write(payload);
                writing.transport().writeEof();
                List<Object> result = new ArrayList<>();
                result.add(writing.transport().isClosing());
                result.add(writing.protocol().lost.done());
                int total = 0;
                while (true) {
                    ByteBuffer chunk = within(readSome(loop, pipe));
                    if (chunk == null) {
                        break;
                    }
                    total += chunk.remaining();
                }
                result.add(total);
                result.add(within(writing.protocol().lost));
                return result;
            });
            assertEquals(List.of(true, false, payload.length), outcome.subList(0, 3));
            assertEquals(null, outcome.get(3));
        }
    }

    /** The next bytes from the pipe's source, or null at EOF. */
    private static Future<ByteBuffer> readSome(EventLoop loop, LoopbackPeers.PipeEnds pipe) {
        Future<ByteBuffer> next = loop.createFuture();
        loop.addReader(pipe.source(), () -> {
            ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
            try {
                int count = pipe.source().read(chunk);
                if (count == 0) {
                    return;
                }
                next.setResult(count < 0 ? null : chunk.flip());
            } catch (IOException failed) {
                next.setException(failed);
            }
            loop.removeReader(pipe.source());
        });
        return next;
    }

    @LoopTest
    void writingToAPipeWhoseReaderClosedLosesTheConnectionWithBrokenPipe(LoopKind kind) throws IOException {
        try (LoopbackPeers.PipeEnds pipe = LoopbackPeers.pipe()) {
            List<Object> outcome = kind.run(() -> {
                WritePipeConnection<Writing> writing = within(Asyncio.getRunningLoop().connectWritePipe(Writing::new, pipe.sink()));
                pipe.source().close();
                writing.transport().write(ascii("nobody reads this"));
                Throwable error = within(writing.protocol().lost);
                writing.transport().write(ascii("dropped quietly"));
                return List.of(error, writing.transport().isClosing(), writing.protocol().events);
            });
            IOException error = assertInstanceOf(IOException.class, outcome.get(0));
            assertTrue(error.getMessage().contains("Broken pipe"), error.getMessage());
            assertEquals(true, outcome.get(1));
            assertEquals(List.of("made", "lost"), outcome.get(2));
        }
    }

    @LoopTest
    void aReaderClosingWhileDataIsBufferedLosesTheConnectionWithAnError(LoopKind kind) throws IOException {
        try (LoopbackPeers.PipeEnds pipe = LoopbackPeers.pipe()) {
            Object outcome = kind.run(() -> {
                WritePipeConnection<Writing> writing = within(Asyncio.getRunningLoop().connectWritePipe(Writing::new, pipe.sink()));
                writing.transport().write(new byte[256 * 1024]);
                assertTrue(writing.transport().getWriteBufferSize() > 0);
                pipe.source().close();
                Throwable error = within(writing.protocol().lost);
                assertEquals(0, writing.transport().getWriteBufferSize());
                return error;
            });
            IOException error = assertInstanceOf(IOException.class, outcome);
            assertTrue(error.getMessage().contains("Broken pipe"), error.getMessage());
        }
    }

    @LoopTest
    void abortDropsTheBufferAndClosesAtOnce(LoopKind kind) throws IOException {
        try (LoopbackPeers.PipeEnds pipe = LoopbackPeers.pipe()) {
            List<Object> outcome = kind.run(() -> {
                WritePipeConnection<Writing> writing = within(Asyncio.getRunningLoop().connectWritePipe(Writing::new, pipe.sink()));
                writing.transport().write(new byte[256 * 1024]);
                writing.transport().abort();
                Throwable error = within(writing.protocol().lost);
                List<Object> result = new ArrayList<>();
                result.add(error);
                result.add(writing.transport().getWriteBufferSize());
                return result;
            });
            assertEquals(null, outcome.get(0));
            assertEquals(0, outcome.get(1));
            assertFalse(pipe.sink().isOpen());
        }
    }

    @LoopTest
    void aStreamReaderOverAReadPipePausesItAboveTwiceTheLimitAndResumesIt(LoopKind kind) throws IOException {
        try (LoopbackPeers.PipeEnds pipe = LoopbackPeers.pipe()) {
            List<Object> outcome = kind.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                List<Object> errors = new ArrayList<>();
                loop.setExceptionHandler((l, context) -> errors.add(context.get("exception")));
                StreamReader reader = new StreamReader(10, loop);
                ReadPipeConnection<StreamReaderProtocol> reading =
                        within(loop.connectReadPipe(() -> new StreamReaderProtocol(reader, loop), pipe.source()));
                pipe.sink().write(ByteBuffer.wrap(new byte[100]));
                pipe.sink().close();
                byte[] first = reader.readexactly(1);
                boolean readingWhileFull = reading.transport().isReading();
                byte[] rest = reader.read(-1);
                return List.of(first.length, readingWhileFull, rest.length, errors);
            });
            assertEquals(List.of(1, false, 99, List.of()), outcome);
        }
    }

    @LoopTest
    void anIdleWritePipeLosesTheConnectionWithoutAnErrorWhenItsReaderCloses(LoopKind kind) throws IOException {
        // java.nio cannot watch a pipe's write end for its reader's going away (docs/python-mapping.md).
        Assumptions.assumeFalse(kind.toString().equals("selector"), "the selector loop learns it at the next write");
        // asyncio's proactor reads the write end of a Windows pipe to learn this; a Linux pipe's write end cannot be read.
        Assumptions.assumeFalse(kind.toString().equals("proactor-emulated"),
                "the emulated proactor's NIO pipes learn it at the next write");
        try (LoopbackPeers.PipeEnds pipe = LoopbackPeers.pipe()) {
            List<Object> outcome = kind.run(() -> {
                WritePipeConnection<Writing> writing = within(Asyncio.getRunningLoop().connectWritePipe(Writing::new, pipe.sink()));
                pipe.source().close();
                Throwable error = within(writing.protocol().lost);
                List<Object> result = new ArrayList<>();
                result.add(error);
                result.add(writing.transport().isClosing());
                result.add(writing.protocol().events);
                return result;
            });
            assertEquals(null, outcome.get(0));
            assertEquals(true, outcome.get(1));
            assertEquals(List.of("made", "lost"), outcome.get(2));
            assertFalse(pipe.sink().isOpen());
        }
    }
}
