package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.Future;
import asyncio.api.TimerHandle;
import asyncio.api.streams.IncompleteReadError;
import asyncio.api.streams.LimitOverrunError;
import asyncio.api.streams.StreamConnection;
import asyncio.api.streams.Streams;
import asyncio.api.transports.Connection;
import asyncio.api.transports.Server;
import asyncio.api.transports.ServerOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fault injection: slowloris, a peer that sends one byte at a time, against a stream server that
 * reads lines with {@code readuntil} under a limit. The limit ends a line that never comes with
 * {@code LimitOverrunError}, a peer that gives up mid-line ends with {@code IncompleteReadError},
 * as in asyncio, and the server serves other clients all the while. The peer is driven by loop
 * timers, so the test waits for nothing but the loop.
 */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class, BackToStart.class})
class SlowlorisTest {
    private static final int LIMIT = 64;
    private static final double INTERVAL = 0.002;
    private static final byte[] NEWLINE = {'\n'};

    /** A client that writes one byte per timer tick until it has sent a given count. */
    static final class Dripper extends RecordingProtocol {
        int sent;
        private int stopAt;
        private Future<Void> stopped;
        private TimerHandle timer;

        /** Drips until {@code count} bytes are sent in all, or the connection closes; the future says when. */
        Future<Void> dripUntil(int count) {
            stopAt = count;
            stopped = loop.createFuture();
            timer = loop.callLater(INTERVAL, this::drip);
            return stopped;
        }

        private void drip() {
            timer = null;
            if (lost.done() || transport().isClosing()) {
                stopped.setResult(null);
                return;
            }
            transport().write(new byte[] {'x'});
            sent++;
            if (sent >= stopAt) {
                stopped.setResult(null);
            } else {
                timer = loop.callLater(INTERVAL, this::drip);
            }
        }
    }

    /** A line server: echoes one line, or answers an overlong one with "too long"; keeps what each handler ended with. */
    private static Server lineServer(List<Object> outcomes) {
        return Streams.startServer((reader, writer) -> {
            try {
                byte[] line = reader.readuntil(NEWLINE);
                outcomes.add(new String(line, StandardCharsets.US_ASCII));
                writer.write(line);
                writer.drain();
            } catch (LimitOverrunError | IncompleteReadError ended) {
                outcomes.add(ended);
                if (ended instanceof LimitOverrunError) {
                    writer.write("too long\n");
                }
            } catch (CancelledError cancelled) {
                throw cancelled;
            } finally {
                writer.close();
            }
        }, Net.LOCALHOST, 0, LIMIT, new ServerOptions()).await();
    }

    private static Connection<Dripper> dripper(Server server) {
        return Net.connect(server, Dripper::new);
    }

    @LoopTest
    void aLineThatOutgrowsTheLimitOneByteAtATimeEndsInLimitOverrunErrorWhileOthersAreServed(LoopKind kind) {
        kind.run(() -> {
            ErrorRecorder errors = ErrorRecorder.on(Asyncio.getRunningLoop());
            List<Object> outcomes = new ArrayList<>();
            try (Server server = lineServer(outcomes)) {
                Dripper slow = dripper(server).protocol();
                Future<Void> halfway = slow.dripUntil(LIMIT / 2);

                for (int i = 0; i < 3; i++) {
                    StreamConnection other = Streams.openConnection(Net.LOCALHOST, Net.port(server)).await();
                    other.writer().write("hello " + i + "\n");
                    assertEquals("hello " + i + "\n", new String(other.reader().readline(), StandardCharsets.US_ASCII));
                    other.writer().close();
                    other.writer().waitClosed().await();
                }
                assertEquals(0, slow.received.size(), "the slow client was answered early");
                assertFalse(slow.lost.done());

                Asyncio.waitFor(halfway, RecordingProtocol.PATIENCE);
                Asyncio.waitFor(slow.dripUntil(LIMIT + 1), RecordingProtocol.PATIENCE);
                assertNull(slow.awaitLost(), "the server closes the slow client's connection");
                assertEquals("too long\n", slow.received.toString(StandardCharsets.US_ASCII));

                assertEquals(List.of("hello 0\n", "hello 1\n", "hello 2\n"), outcomes.subList(0, 3));
                LimitOverrunError overrun = assertInstanceOf(LimitOverrunError.class, outcomes.get(3));
                // asyncio reports how far it looked: the bytes buffered, which passed the limit.
                assertTrue(overrun.consumed() > LIMIT && overrun.consumed() <= slow.sent, "consumed " + overrun.consumed());
                assertEquals(4, outcomes.size());
                assertEquals(List.of(), errors.contexts());
                Net.closeAndWait(server);
            }
            BackToStart.assertOnlyThisTaskLeft();
            return null;
        });
    }

    @LoopTest
    void aSlowPeerThatGivesUpMidLineEndsInIncompleteReadErrorWithWhatItSent(LoopKind kind) {
        kind.run(() -> {
            ErrorRecorder errors = ErrorRecorder.on(Asyncio.getRunningLoop());
            List<Object> outcomes = new ArrayList<>();
            try (Server server = lineServer(outcomes)) {
                Dripper slow = dripper(server).protocol();
                Asyncio.waitFor(slow.dripUntil(10), RecordingProtocol.PATIENCE);
                slow.transport().writeEof();
                slow.awaitLost();
                Faults.until(() -> !outcomes.isEmpty(), "the handler to end");

                IncompleteReadError incomplete = assertInstanceOf(IncompleteReadError.class, outcomes.get(0));
                byte[] tenX = new byte[10];
                Arrays.fill(tenX, (byte) 'x');
                assertArrayEquals(tenX, incomplete.partial());
                assertNull(incomplete.expected());
                assertEquals(List.of(), errors.contexts());
                Net.closeAndWait(server);
            }
            BackToStart.assertOnlyThisTaskLeft();
            return null;
        });
    }
}
