package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.Future;
import asyncio.api.transports.Connection;
import asyncio.api.transports.Server;
import asyncio.api.transports.Transport;
import asyncio.api.transports.WriteBufferLimits;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Flow control both ways: reading paused and resumed, and {@code pauseWriting}/{@code resumeWriting}
 * at the write buffer's high and low marks.
 */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class})
class FlowControlTest {

    /** Records the write buffer size at the moment {@code resumeWriting} is called. */
    static final class ResumeWatcher extends RecordingProtocol {
        final Future<Integer> resumedAt = loop.createFuture();

        @Override
        public void resumeWriting() {
            super.resumeWriting();
            resumedAt.setResult(transport().getWriteBufferSize());
        }
    }

    @LoopTest
    void nothingIsDeliveredWhileReadingIsPausedAndNothingIsLost(LoopKind kind) {
        kind.run(() -> {
            Accepted<RecordingProtocol> accepted = new Accepted<>(RecordingProtocol::new);
            try (Server server = Net.server(accepted)) {
                Connection<RecordingProtocol> client = Net.echoPair(server);
                Transport transport = client.transport();
                transport.pauseReading();
                transport.pauseReading();
                assertFalse(transport.isReading());

                Transport serverSide = accepted.first().awaitMade();
                serverSide.write(Net.patternChunk(0, 1000));
                serverSide.write(Net.patternChunk(1000, 1000));
                // Once the server's transport holds none of it, the data is in our socket (or, on
                // a completion loop, in a receive that completed): the loop polls many times, and
                // it must stay there.
                Faults.until(() -> serverSide.getWriteBufferSize() == 0, "the server's writes to leave");
                Turns.pass(20);
                assertEquals(0, client.protocol().received.size());

                transport.resumeReading();
                transport.resumeReading();
                assertTrue(transport.isReading());
                assertArrayEquals(Net.patternBytes(2000), client.protocol().awaitReceived(2000));

                transport.close();
                assertFalse(transport.isReading(), "a closing transport is not reading");
                transport.resumeReading();
                assertFalse(transport.isReading());
                client.protocol().awaitLost();
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void pausingReadingAlsoHoldsBackTheEof(LoopKind kind) {
        kind.run(() -> {
            Accepted<RecordingProtocol> accepted = new Accepted<>(RecordingProtocol::new);
            try (Server server = Net.server(accepted)) {
                Connection<RecordingProtocol> client = Net.echoPair(server);
                client.transport().pauseReading();
                Transport serverSide = accepted.first().awaitMade();
                serverSide.write(new byte[] {7});
                serverSide.close();
                accepted.first().awaitLost();
                Turns.pass(10);
                assertEquals(List.of("made"), client.protocol().events);

                client.transport().resumeReading();
                client.protocol().awaitLost();
                assertEquals(List.of("made", "data", "eof", "lost"), client.protocol().events);
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void anEofAloneWhileReadingIsPausedWaitsForResume(LoopKind kind) {
        kind.run(() -> {
            Accepted<RecordingProtocol> accepted = new Accepted<>(RecordingProtocol::new);
            try (Server server = Net.server(accepted)) {
                Connection<RecordingProtocol> client = Net.echoPair(server);
                client.transport().pauseReading();
                // No data first: on a proactor the pending receive itself completes with the EOF.
                accepted.first().awaitMade().close();
                accepted.first().awaitLost();
                Turns.pass(10);
                assertEquals(List.of("made"), client.protocol().events);

                client.transport().resumeReading();
                client.protocol().awaitLost();
                assertEquals(List.of("made", "eof", "lost"), client.protocol().events);
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void theDefaultMarksAre64KiBAndAQuarterOfIt(LoopKind kind) {
        kind.run(() -> {
            try (Server server = Net.server(EchoProtocol::new)) {
                Connection<RecordingProtocol> client = Net.echoPair(server);
                Transport transport = client.transport();
                assertEquals(new WriteBufferLimits(16 * 1024, 64 * 1024), transport.getWriteBufferLimits());

                transport.setWriteBufferLimits(1000, null);
                assertEquals(new WriteBufferLimits(250, 1000), transport.getWriteBufferLimits());
                transport.setWriteBufferLimits(null, 100);
                assertEquals(new WriteBufferLimits(100, 400), transport.getWriteBufferLimits());
                transport.setWriteBufferLimits(0, 0);
                assertEquals(new WriteBufferLimits(0, 0), transport.getWriteBufferLimits());
                transport.setWriteBufferLimits(null, null);
                assertEquals(new WriteBufferLimits(16 * 1024, 64 * 1024), transport.getWriteBufferLimits());

                IllegalArgumentException inverted = assertThrows(IllegalArgumentException.class,
                        () -> transport.setWriteBufferLimits(10, 20));
                assertEquals("high (10) must be >= low (20) must be >= 0", inverted.getMessage());
                assertThrows(IllegalArgumentException.class, () -> transport.setWriteBufferLimits(10, -1));
                assertThrows(IllegalArgumentException.class, () -> transport.setWriteBufferLimits(-4, null));
                assertEquals(new WriteBufferLimits(16 * 1024, 64 * 1024), transport.getWriteBufferLimits(),
                        "a rejected setting changes nothing");

                transport.close();
                client.protocol().awaitLost();
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void pauseWritingFiresOnceAboveTheHighMarkAndResumeWritingBelowTheLowMark(LoopKind kind) {
        kind.run(() -> {
            Accepted<RecordingProtocol> accepted = new Accepted<>(NotReading::new);
            try (Server server = Net.server(accepted)) {
                Connection<ResumeWatcher> client = Net.connect(server, ResumeWatcher::new);
                Transport transport = client.transport();
                long written = 0;
                ByteBuffer chunk = ByteBuffer.allocate(16 * 1024);
                while (!client.protocol().events.contains("pause")) {
                    transport.write(chunk.clear());
                    written += chunk.capacity();
                    assertTrue(written < 512L * 1024 * 1024, "never paused");
                }
                int sizeAtPause = transport.getWriteBufferSize();
                assertTrue(sizeAtPause > 64 * 1024, "paused at " + sizeAtPause);
                assertTrue(sizeAtPause <= 64 * 1024 + chunk.capacity(), "paused late, at " + sizeAtPause);

                // The protocol may ignore the pause: the buffer then grows by exactly what it writes.
                for (int i = 0; i < 3; i++) {
                    transport.write(new byte[1000]);
                    written += 1000;
                }
                assertEquals(sizeAtPause + 3000, transport.getWriteBufferSize());
                assertEquals(1, client.protocol().count("pause"));

                RecordingProtocol serverSide = accepted.first();
                serverSide.awaitMade().resumeReading();
                int sizeAtResume = Asyncio.waitFor(client.protocol().resumedAt, RecordingProtocol.PATIENCE);
                assertTrue(sizeAtResume <= 16 * 1024, "resumed at " + sizeAtResume);

                transport.close();
                client.protocol().awaitLost();
                serverSide.awaitEof();
                assertEquals(written, serverSide.received.size());
                assertEquals(List.of("made", "pause", "resume", "lost"), client.protocol().events);
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void loweringTheHighMarkBelowTheBufferedSizePausesAtOnce(LoopKind kind) {
        kind.run(() -> {
            Accepted<RecordingProtocol> accepted = new Accepted<>(NotReading::new);
            try (Server server = Net.server(accepted)) {
                Connection<ResumeWatcher> client = Net.connect(server, ResumeWatcher::new);
                Transport transport = client.transport();
                transport.setWriteBufferLimits(Integer.MAX_VALUE, 0);
                Net.fillUntilBuffered(transport);
                assertFalse(client.protocol().events.contains("pause"));

                transport.setWriteBufferLimits(1, 0);
                assertEquals(List.of("made", "pause"), client.protocol().events);

                accepted.first().awaitMade().resumeReading();
                assertEquals(0, Asyncio.waitFor(client.protocol().resumedAt, RecordingProtocol.PATIENCE),
                        "with a low mark of 0 writing resumes only once the buffer is empty");
                transport.close();
                client.protocol().awaitLost();
                Net.closeAndWait(server);
            }
            return null;
        });
    }
}
