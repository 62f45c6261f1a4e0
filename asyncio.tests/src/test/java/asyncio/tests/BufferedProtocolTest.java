package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.BufferedProtocol;
import asyncio.api.transports.Server;
import asyncio.api.transports.Transport;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code BufferedProtocol}: the transport reads straight into the buffer the protocol lends it,
 * from the buffer's position (which then moves past the bytes), and reports how many arrived.
 */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class})
class BufferedProtocolTest {

    /** Lends the buffers {@code lender} makes, and keeps a copy of every byte reported. */
    static class Lending implements BufferedProtocol {
        final EventLoop loop = Asyncio.getEventLoop();
        final Future<Transport> made = loop.createFuture();
        final Future<Throwable> lost = loop.createFuture();
        final Future<Void> eof = loop.createFuture();
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final List<Integer> hints = new ArrayList<>();
        final List<String> events = new ArrayList<>();
        private final IntFunction<ByteBuffer> lender;
        private ByteBuffer lent;
        private int lentAt;
        boolean keepOpenOnEof;

        Lending(IntFunction<ByteBuffer> lender) {
            this.lender = lender;
        }

        @Override
        public void connectionMade(BaseTransport transport) {
            events.add("made");
            made.setResult((Transport) transport);
        }

        @Override
        public ByteBuffer getBuffer(int sizeHint) {
            hints.add(sizeHint);
            lent = lender.apply(sizeHint);
            lentAt = lent.position();
            return lent;
        }

        @Override
        public void bufferUpdated(int bytes) {
            if (!events.get(events.size() - 1).equals("data")) {
                events.add("data");
            }
            assertEquals(lentAt + bytes, lent.position(), "the position moves past the bytes read");
            received.write(lent.array(), lent.arrayOffset() + lentAt, bytes);
        }

        @Override
        public boolean eofReceived() {
            events.add("eof");
            eof.setResult(null);
            return keepOpenOnEof;
        }

        @Override
        public void connectionLost(Throwable error) {
            events.add("lost");
            lost.setResult(error);
        }
    }

    @LoopTest
    void bytesLandFromTheLentBuffersPositionAndNothingOutsideItsWindowIsTouched(LoopKind kind) {
        byte[] backing = new byte[16];
        kind.run(() -> {
            Accepted<Lending> accepted = new Accepted<>(() -> new Lending(hint -> ByteBuffer.wrap(backing).position(3).limit(10)));
            try (Server server = Net.server(accepted)) {
                SocketChannel peer = Net.plainClient(server);
                try {
                    Lending protocol = accepted.first();
                    Net.writeAll(peer, new byte[] {1, 2, 3, 4, 5});
                    peer.shutdownOutput();
                    assertNull(Asyncio.waitFor(protocol.lost, RecordingProtocol.PATIENCE));
                    assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, protocol.received.toByteArray());
                    assertEquals(List.of("made", "data", "eof", "lost"), protocol.events);
                    assertTrue(protocol.hints.stream().allMatch(hint -> hint == -1), "asyncio passes no size hint");
                } finally {
                    peer.close();
                }
                Net.closeAndWait(server);
            }
            return null;
        });
        assertArrayEquals(new byte[] {0, 0, 0, 1, 2, 3, 4, 5, 0, 0, 0, 0, 0, 0, 0, 0}, backing);
    }

    @LoopTest
    void aStreamArrivesIntactThroughTinyBuffers(LoopKind kind) {
        int size = 100_000;
        byte[] received = kind.run(() -> {
            Accepted<Lending> accepted = new Accepted<>(() -> new Lending(hint -> ByteBuffer.allocate(7)));
            try (Server server = Net.server(accepted)) {
                SocketChannel peer = Net.plainClient(server);
                try {
                    Lending protocol = accepted.first();
                    Net.writeAll(peer, Net.patternBytes(size));
                    peer.shutdownOutput();
                    Asyncio.waitFor(protocol.lost, RecordingProtocol.PATIENCE);
                    return protocol.received.toByteArray();
                } finally {
                    peer.close();
                    Net.closeAndWait(server);
                }
            }
        });
        assertArrayEquals(Net.patternBytes(size), received);
    }

    @LoopTest
    void eofReceivedReturningTrueKeepsABufferedTransportWritable(LoopKind kind) {
        kind.run(() -> {
            Accepted<Lending> accepted = new Accepted<>(() -> {
                Lending lending = new Lending(hint -> ByteBuffer.allocate(64));
                lending.keepOpenOnEof = true;
                return lending;
            });
            try (Server server = Net.server(accepted)) {
                SocketChannel peer = Net.plainClient(server);
                try {
                    peer.shutdownOutput();
                    Lending protocol = accepted.first();
                    Transport transport = Asyncio.waitFor(protocol.made, RecordingProtocol.PATIENCE);
                    Asyncio.waitFor(protocol.eof, RecordingProtocol.PATIENCE);
                    assertFalse(transport.isClosing());
                    transport.write(new byte[] {4, 2});
                    transport.close();
                    assertArrayEquals(new byte[] {4, 2}, Net.readToEnd(peer));
                    assertNull(Asyncio.waitFor(protocol.lost, RecordingProtocol.PATIENCE));
                } finally {
                    peer.close();
                }
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    private static Map<String, Object> failingCallback(LoopKind kind, IntFunction<ByteBuffer> lender,
                                                       RuntimeException bufferUpdatedFailure) {
        return kind.run(() -> {
            ErrorRecorder errors = ErrorRecorder.on(Asyncio.getRunningLoop());
            Accepted<Lending> accepted = new Accepted<>(() -> new Lending(lender) {
                @Override
                public void bufferUpdated(int bytes) {
                    super.bufferUpdated(bytes);
                    if (bufferUpdatedFailure != null) {
                        throw bufferUpdatedFailure;
                    }
                }
            });
            try (Server server = Net.server(accepted)) {
                SocketChannel peer = Net.plainClient(server);
                try {
                    Net.writeAll(peer, new byte[] {1});
                    Lending protocol = accepted.first();
                    Throwable lost = Asyncio.waitFor(protocol.lost, RecordingProtocol.PATIENCE);
                    assertArrayEquals(new byte[0], Net.readUntilClosed(peer));
                    assertEquals(1, errors.contexts().size(), errors.contexts().toString());
                    Map<String, Object> report = errors.contexts().get(0);
                    assertSame(lost, report.get("exception"), "connectionLost gets the reported exception");
                    assertSame(protocol, report.get("protocol"));
                    assertSame(protocol.made.result(), report.get("transport"));
                    return report;
                } finally {
                    peer.close();
                    Net.closeAndWait(server);
                }
            }
        });
    }

    @LoopTest
    void aFailingGetBufferClosesTheTransportAndIsReported(LoopKind kind) {
        IllegalStateException failure = new IllegalStateException("no buffer for you");
        Map<String, Object> report = failingCallback(kind, hint -> {
            throw failure;
        }, null);
        assertEquals("Fatal error: protocol.getBuffer() call failed.", report.get("message"));
        assertSame(failure, report.get("exception"));
    }

    @LoopTest
    void anEmptyLentBufferIsAnError(LoopKind kind) {
        Map<String, Object> report = failingCallback(kind, hint -> ByteBuffer.allocate(0), null);
        assertEquals("Fatal error: protocol.getBuffer() call failed.", report.get("message"));
        assertEquals("getBuffer() returned an empty buffer", ((Throwable) report.get("exception")).getMessage());
    }

    @LoopTest
    void aFailingBufferUpdatedClosesTheTransportAndIsReported(LoopKind kind) {
        IllegalStateException failure = new IllegalStateException("cannot take it");
        Map<String, Object> report = failingCallback(kind, hint -> ByteBuffer.allocate(8), failure);
        assertEquals("Fatal error: protocol.bufferUpdated() call failed.", report.get("message"));
        assertSame(failure, report.get("exception"));
    }
}
