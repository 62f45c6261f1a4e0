package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.Connection;
import asyncio.api.transports.Server;
import asyncio.api.transports.TransportSocket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fault injection: protocols that throw from every callback they get, on both ends of
 * connections. Each exception reaches the loop's exception handler once, with the keys asyncio
 * gives it (a callback the loop scheduled: {@code handle}; a transport's call into its protocol:
 * {@code transport} and {@code protocol}), the failing connections still close their sockets, and
 * the loop keeps serving.
 */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class, BackToStart.class})
class ThrowingProtocolTest {

    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failure(String where) {
            super("thrown by " + where);
        }
    }

    /** Records each callback, as its parent does, and then throws from it. */
    static final class ThrowsEverywhere extends RecordingProtocol {
        final Map<String, Failure> thrown = new LinkedHashMap<>();

        private Failure fail(String callback) {
            Failure failure = new Failure(callback);
            thrown.put(callback, failure);
            return failure;
        }

        @Override
        public void connectionMade(BaseTransport transport) {
            super.connectionMade(transport);
            throw fail("connectionMade");
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            super.dataReceived(data);
            throw fail("dataReceived");
        }

        @Override
        public boolean eofReceived() {
            super.eofReceived();
            throw fail("eofReceived");
        }

        @Override
        public void pauseWriting() {
            super.pauseWriting();
            throw fail("pauseWriting");
        }

        @Override
        public void resumeWriting() {
            super.resumeWriting();
            throw fail("resumeWriting");
        }

        @Override
        public void connectionLost(Throwable error) {
            super.connectionLost(error);
            throw fail("connectionLost");
        }
    }

    /** The one report of {@code callback}'s exception. */
    private static Map<String, Object> reportOf(ErrorRecorder errors, ThrowsEverywhere protocol, String callback) {
        Failure failure = protocol.thrown.get(callback);
        assertTrue(failure != null, callback + " was not called");
        List<Map<String, Object>> reports = errors.contexts().stream()
                .filter(context -> context.get("exception") == failure).toList();
        assertEquals(1, reports.size(), callback + ": " + errors.contexts());
        return reports.get(0);
    }

    /** A callback the loop ran for the transport: reported as asyncio's Handle._run does. */
    private static void assertReportedAsCallback(ErrorRecorder errors, ThrowsEverywhere protocol, String callback) {
        Map<String, Object> report = reportOf(errors, protocol, callback);
        assertTrue(String.valueOf(report.get("message")).startsWith("Exception in callback"), report.toString());
        assertTrue(report.containsKey("handle"), report.toString());
    }

    /** A transport's call into its protocol: reported with the transport and the protocol. */
    private static void assertReportedByTransport(ErrorRecorder errors, ThrowsEverywhere protocol, String callback,
                                                  String message) {
        Map<String, Object> report = reportOf(errors, protocol, callback);
        assertEquals(message, report.get("message"));
        assertSame(protocol.transport(), report.get("transport"));
        assertSame(protocol, report.get("protocol"));
    }

    private static void assertSocketClosed(ThrowsEverywhere protocol) {
        assertTrue(!((TransportSocket) protocol.transport().getExtraInfo("socket")).isOpen(), "the socket is still open");
    }

    @LoopTest
    void everyCallbackOfAClientThatThrowsIsReportedAndTheLoopKeepsServing(LoopKind kind) {
        kind.run(() -> {
            ErrorRecorder errors = ErrorRecorder.on(Asyncio.getRunningLoop());
            Accepted<RecordingProtocol> accepted = new Accepted<>(NotReading::new);
            try (Server server = Net.server(accepted)) {
                // made, pause, resume, data (fatal), then lost.
                Connection<ThrowsEverywhere> first = Net.connect(server, ThrowsEverywhere::new);
                first.transport().setWriteBufferLimits(0, 0);
                Net.fillUntilBuffered(first.transport());
                RecordingProtocol firstServerSide = accepted.get(0);
                firstServerSide.awaitMade().resumeReading();
                first.protocol().awaitEvent("resume");
                firstServerSide.transport().write(new byte[] {1, 2, 3});
                first.protocol().awaitLost();
                Turns.pass(3);

                assertReportedAsCallback(errors, first.protocol(), "connectionMade");
                assertReportedByTransport(errors, first.protocol(), "pauseWriting", "protocol.pauseWriting() failed");
                assertReportedByTransport(errors, first.protocol(), "resumeWriting", "protocol.resumeWriting() failed");
                assertReportedByTransport(errors, first.protocol(), "dataReceived",
                        "Fatal error: protocol.dataReceived() call failed.");
                assertSame(first.protocol().thrown.get("dataReceived"), first.protocol().lost.result());
                assertReportedAsCallback(errors, first.protocol(), "connectionLost");
                assertSocketClosed(first.protocol());

                // made, eof (fatal), then lost.
                Connection<ThrowsEverywhere> second = Net.connect(server, ThrowsEverywhere::new);
                accepted.get(1).awaitMade().writeEof();
                second.protocol().awaitLost();
                Turns.pass(3);
                assertReportedAsCallback(errors, second.protocol(), "connectionMade");
                assertReportedByTransport(errors, second.protocol(), "eofReceived",
                        "Fatal error: protocol.eofReceived() call failed.");
                assertReportedAsCallback(errors, second.protocol(), "connectionLost");
                assertSocketClosed(second.protocol());

                assertEquals(8, errors.contexts().size(), errors.contexts().toString());
                assertEchoStillWorks();
                server.closeClients();
                Net.closeAndWait(server);
            }
            BackToStart.assertOnlyThisTaskLeft();
            return null;
        });
    }

    @LoopTest
    void everyCallbackOfAServerProtocolThatThrowsIsReportedAndTheServerKeepsAccepting(LoopKind kind) {
        kind.run(() -> {
            ErrorRecorder errors = ErrorRecorder.on(Asyncio.getRunningLoop());
            Accepted<ThrowsEverywhere> accepted = new Accepted<>(ThrowsEverywhere::new);
            try (Server server = Net.server(accepted)) {
                for (int i = 0; i < 3; i++) {
                    SocketChannel peer = Net.plainClient(server);
                    Net.writeAll(peer, new byte[] {(byte) i});
                    ThrowsEverywhere serverSide = accepted.get(i);
                    serverSide.awaitLost();
                    Net.readUntilClosed(peer);
                    peer.close();
                    Turns.pass(3);
                    assertReportedAsCallback(errors, serverSide, "connectionMade");
                    assertReportedByTransport(errors, serverSide, "dataReceived",
                            "Fatal error: protocol.dataReceived() call failed.");
                    assertReportedAsCallback(errors, serverSide, "connectionLost");
                    assertSocketClosed(serverSide);
                }
                assertEquals(9, errors.contexts().size(), errors.contexts().toString());
                assertEchoStillWorks();
                Net.closeAndWait(server);
            }
            BackToStart.assertOnlyThisTaskLeft();
            return null;
        });
    }

    /** The loop still runs callbacks and serves a new echo connection. */
    private static void assertEchoStillWorks() {
        asyncio.api.Future<String> ran = Asyncio.getRunningLoop().createFuture();
        Asyncio.getRunningLoop().callSoon(() -> ran.setResult("ran"));
        assertEquals("ran", Asyncio.waitFor(ran, RecordingProtocol.PATIENCE));
        try (Server echo = Net.server(EchoProtocol::new)) {
            Connection<RecordingProtocol> client = Net.echoPair(echo);
            byte[] message = Net.patternBytes(5000);
            client.transport().write(message);
            assertArrayEquals(message, client.protocol().awaitReceived(message.length));
            client.transport().close();
            client.protocol().awaitLost();
            Net.closeAndWait(echo);
        }
    }
}
