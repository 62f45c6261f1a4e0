package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.Future;
import asyncio.api.Task;
import asyncio.api.streams.StreamConnection;
import asyncio.api.streams.Streams;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.Server;
import asyncio.api.transports.Transport;
import asyncio.api.transports.TransportSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fault injection: an echo client task is cancelled at each await point of its session in turn
 * (connect, drain, read, wait_closed) while other sessions run on the same loop and server. The
 * cancelled session ends cancelled, leaves no transport or socket behind, and the other sessions
 * lose no byte.
 */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class, BackToStart.class})
class EchoCancellationTest {
    private static final int STEADY_SESSIONS = 3;
    private static final int STEADY_CHUNK = 8 * 1024;

    /** The await points of an echo session, in the order it reaches them. */
    enum AwaitPoint { CONNECT, DRAIN, READ, WAIT_CLOSED }

    /** An echo server protocol that can be held (reading paused) to keep its client waiting. */
    static class HoldableEcho extends EchoProtocol {
        private boolean held;
        private boolean writingPaused;

        void hold() {
            held = true;
            transport.pauseReading();
        }

        void release() {
            held = false;
            if (!writingPaused && !transport.isClosing()) {
                transport.resumeReading();
            }
        }

        @Override
        public void pauseWriting() {
            writingPaused = true;
            transport.pauseReading();
        }

        @Override
        public void resumeWriting() {
            writingPaused = false;
            if (!held) {
                transport.resumeReading();
            }
        }
    }

    /** The server's protocols by the client's port, so a client can find its server side. */
    static final class Registry {
        private final Map<Integer, HoldableEcho> byPeerPort = new HashMap<>();
        private final Map<Integer, Future<HoldableEcho>> waiters = new HashMap<>();

        HoldableEcho make() {
            return new HoldableEcho() {
                @Override
                public void connectionMade(BaseTransport made) {
                    super.connectionMade(made);
                    int port = ((InetSocketAddress) made.getExtraInfo("peername")).getPort();
                    byPeerPort.put(port, this);
                    Future<HoldableEcho> waiter = waiters.remove(port);
                    if (waiter != null) {
                        waiter.setResult(this);
                    }
                }
            };
        }

        HoldableEcho serverSideOf(Transport client) {
            int port = ((InetSocketAddress) client.getExtraInfo("sockname")).getPort();
            HoldableEcho known = byPeerPort.get(port);
            if (known != null) {
                return known;
            }
            Future<HoldableEcho> waiter = Asyncio.getRunningLoop().createFuture();
            waiters.put(port, waiter);
            return Asyncio.waitFor(waiter, RecordingProtocol.PATIENCE);
        }
    }

    /** An echo session that the test cancels when it waits at {@code target}. */
    static final class Session {
        final AwaitPoint target;
        AwaitPoint at;
        AwaitPoint cancelledAt;
        Transport transport;
        HoldableEcho serverSide;

        Session(AwaitPoint target) {
            this.target = target;
        }

        Void run(Server server, Registry registry) {
            StreamConnection connection = null;
            try {
                at = AwaitPoint.CONNECT;
                connection = Streams.openConnection(Net.LOCALHOST, Net.port(server)).await();
                transport = connection.writer().transport();
                serverSide = registry.serverSideOf(transport);
                // Holding the server side keeps each later await point waiting until the cancel.
                serverSide.hold();
                at = AwaitPoint.DRAIN;
                if (target == AwaitPoint.DRAIN) {
                    fillPastTheHighMark(transport);
                } else {
                    connection.writer().write(Net.patternBytes(1000));
                }
                connection.writer().drain();
                if (target != AwaitPoint.WAIT_CLOSED) {
                    at = AwaitPoint.READ;
                    connection.reader().readexactly(1000);
                }
                fillPastTheHighMark(transport);
                connection.writer().close();
                at = AwaitPoint.WAIT_CLOSED;
                connection.writer().waitClosed().await();
                throw new AssertionError("the session was not cancelled");
            } catch (CancelledError cancelled) {
                cancelledAt = at;
                throw cancelled;
            } finally {
                if (connection != null) {
                    connection.writer().close();
                }
            }
        }

        private static void fillPastTheHighMark(Transport transport) {
            int high = transport.getWriteBufferLimits().high();
            while (transport.getWriteBufferSize() <= high) {
                transport.write(ByteBuffer.allocate(256 * 1024));
            }
        }
    }

    /** Echoes the test pattern chunk by chunk until told to stop; returns the bytes checked. */
    private static long steadySession(Server server, boolean[] stop) {
        StreamConnection connection = Streams.openConnection(Net.LOCALHOST, Net.port(server)).await();
        long offset = 0;
        try {
            while (!stop[0]) {
                ByteBuffer chunk = Net.patternChunk(offset, STEADY_CHUNK);
                byte[] sent = new byte[STEADY_CHUNK];
                chunk.duplicate().get(sent);
                connection.writer().write(chunk);
                connection.writer().drain();
                assertArrayEquals(sent, connection.reader().readexactly(STEADY_CHUNK), "at offset " + offset);
                offset += STEADY_CHUNK;
            }
        } finally {
            connection.writer().close();
            connection.writer().waitClosed().await();
        }
        return offset;
    }

    @LoopTest
    void cancellingASessionAtEachAwaitPointLeaksNothingAndLosesNoByteOfTheOthers(LoopKind kind) {
        kind.run(() -> {
            ErrorRecorder errors = ErrorRecorder.on(Asyncio.getRunningLoop());
            Registry registry = new Registry();
            try (Server server = Net.server(registry::make)) {
                boolean[] stop = {false};
                List<Task<Long>> steady = new ArrayList<>();
                for (int i = 0; i < STEADY_SESSIONS; i++) {
                    steady.add(Asyncio.createTask(() -> steadySession(server, stop)));
                }
                Faults.until(() -> registry.byPeerPort.size() == STEADY_SESSIONS, "the steady sessions to connect");

                for (AwaitPoint target : AwaitPoint.values()) {
                    Session session = new Session(target);
                    Task<Void> task = Asyncio.createTask(() -> session.run(server, registry));
                    Faults.until(() -> session.at == target, "the session to wait at " + target);
                    task.cancel();
                    assertThrows(CancelledError.class, () -> Asyncio.waitFor(task, RecordingProtocol.PATIENCE));
                    assertTrue(task.cancelled());
                    assertEquals(target, session.cancelledAt);
                    if (session.serverSide != null) {
                        session.serverSide.release();
                        Asyncio.waitFor(session.serverSide.lost, RecordingProtocol.PATIENCE);
                    }
                    if (session.transport != null) {
                        Transport transport = session.transport;
                        assertTrue(transport.isClosing());
                        Faults.until(() -> !((TransportSocket) transport.getExtraInfo("socket")).isOpen(),
                                "the cancelled session's socket to close");
                    }
                }
                for (Task<Long> each : steady) {
                    assertFalse(each.done(), "a steady session ended before the cancellations did");
                }
                stop[0] = true;
                for (Task<Long> each : steady) {
                    assertTrue(Asyncio.waitFor(each, RecordingProtocol.PATIENCE) > 0);
                }
                assertEquals(List.of(), errors.contexts());
                Net.closeAndWait(server);
            }
            BackToStart.assertOnlyThisTaskLeft();
            return null;
        });
    }
}
