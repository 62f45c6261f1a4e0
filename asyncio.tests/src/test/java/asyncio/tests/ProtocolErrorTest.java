package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.Connection;
import asyncio.api.transports.Server;
import asyncio.api.transports.Transport;
import asyncio.api.transports.TransportSocket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A protocol that throws: the exception goes to the loop's exception handler with the transport
 * and protocol, the transport is closed where asyncio closes it, and the loop keeps running.
 */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class})
class ProtocolErrorTest {

    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failure(String where) {
            super("thrown by " + where);
        }
    }

    /** Sends one byte and EOF from a plain peer to a server of {@code protocol}s; returns what was reported. */
    private static <P extends RecordingProtocol> P serveOneFailingConnection(Accepted<P> accepted, ErrorRecorder errors,
                                                                             boolean sendEof) throws Exception {
        try (Server server = Net.server(accepted)) {
            SocketChannel peer = Net.plainClient(server);
            try {
                Net.writeAll(peer, new byte[] {1});
                if (sendEof) {
                    peer.shutdownOutput();
                }
                P protocol = accepted.first();
                protocol.awaitLost();
                assertArrayEquals(new byte[0], Net.readToEnd(peer), "the failed transport closes its side");
                return protocol;
            } finally {
                peer.close();
                Net.closeAndWait(server);
            }
        }
    }

    private static void assertReported(ErrorRecorder errors, String message, Throwable exception, RecordingProtocol protocol) {
        List<Map<String, Object>> reports = errors.withMessage(message);
        assertEquals(1, reports.size(), errors.contexts().toString());
        assertSame(exception, reports.get(0).get("exception"));
        assertSame(protocol, reports.get(0).get("protocol"));
        assertSame(protocol.transport(), reports.get(0).get("transport"));
        assertEquals(1, errors.contexts().size(), errors.contexts().toString());
    }

    @LoopTest
    void aFailingDataReceivedClosesTheTransportAndIsReported(LoopKind kind) {
        kind.run(() -> {
            ErrorRecorder errors = ErrorRecorder.on(Asyncio.getRunningLoop());
            Failure failure = new Failure("dataReceived");
            RecordingProtocol protocol = serveOneFailingConnection(new Accepted<>(() -> new RecordingProtocol() {
                @Override
                public void dataReceived(ByteBuffer data) {
                    super.dataReceived(data);
                    throw failure;
                }
            }), errors, false);

            assertSame(failure, protocol.lost.result(), "connectionLost gets the protocol's exception");
            assertTrue(protocol.transport().isClosing());
            assertReported(errors, "Fatal error: protocol.dataReceived() call failed.", failure, protocol);
            return null;
        });
    }

    @LoopTest
    void aFailingEofReceivedClosesTheTransportAndIsReported(LoopKind kind) {
        kind.run(() -> {
            ErrorRecorder errors = ErrorRecorder.on(Asyncio.getRunningLoop());
            Failure failure = new Failure("eofReceived");
            RecordingProtocol protocol = serveOneFailingConnection(new Accepted<>(() -> new RecordingProtocol() {
                @Override
                public boolean eofReceived() {
                    super.eofReceived();
                    throw failure;
                }
            }), errors, true);

            assertSame(failure, protocol.lost.result());
            assertReported(errors, "Fatal error: protocol.eofReceived() call failed.", failure, protocol);
            assertEquals(List.of("made", "data", "eof", "lost"), protocol.events);
            return null;
        });
    }

    @LoopTest
    void aFailingPauseWritingIsReportedAndTheTransportStaysOpen(LoopKind kind) {
        kind.run(() -> {
            ErrorRecorder errors = ErrorRecorder.on(Asyncio.getRunningLoop());
            Failure failure = new Failure("pauseWriting");
            Accepted<RecordingProtocol> accepted = new Accepted<>(NotReading::new);
            try (Server server = Net.server(accepted)) {
                Connection<RecordingProtocol> client = Net.connect(server, () -> new RecordingProtocol() {
                    @Override
                    public void pauseWriting() {
                        super.pauseWriting();
                        throw failure;
                    }
                });
                client.transport().setWriteBufferLimits(0, 0);
                client.transport().write(new byte[1]);
                Net.fillUntilBuffered(client.transport());

                assertReported(errors, "protocol.pauseWriting() failed", failure, client.protocol());
                assertFalse(client.transport().isClosing(), "asyncio only reports a failing pause_writing()");
                client.transport().abort();
                client.protocol().awaitLost();
                server.abortClients();
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void aFailingResumeWritingIsReportedAndTheTransportStaysOpen(LoopKind kind) {
        kind.run(() -> {
            ErrorRecorder errors = ErrorRecorder.on(Asyncio.getRunningLoop());
            Failure failure = new Failure("resumeWriting");
            Accepted<RecordingProtocol> accepted = new Accepted<>(NotReading::new);
            try (Server server = Net.server(accepted)) {
                Connection<RecordingProtocol> client = Net.connect(server, () -> new RecordingProtocol() {
                    @Override
                    public void resumeWriting() {
                        super.resumeWriting();
                        throw failure;
                    }
                });
                Transport transport = client.transport();
                transport.setWriteBufferLimits(0, 0);
                Net.fillUntilBuffered(transport);
                accepted.first().awaitMade().resumeReading();
                client.protocol().awaitEvent("resume");

                assertReported(errors, "protocol.resumeWriting() failed", failure, client.protocol());
                assertFalse(transport.isClosing());
                transport.write(new byte[] {1});
                transport.close();
                assertNull(client.protocol().awaitLost());
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void aFailingConnectionMadeIsReportedAsACallbackErrorAndTheConnectionStillWorks(LoopKind kind) {
        kind.run(() -> {
            ErrorRecorder errors = ErrorRecorder.on(Asyncio.getRunningLoop());
            Failure failure = new Failure("connectionMade");
            try (Server server = Net.server(EchoProtocol::new)) {
                // asyncio calls connection_made() from its own callback: the loop's handler reports
                // it, and create_connection() completes as usual.
                Connection<RecordingProtocol> client = Net.connect(server, () -> new RecordingProtocol() {
                    @Override
                    public void connectionMade(BaseTransport transport) {
                        super.connectionMade(transport);
                        throw failure;
                    }
                });
                assertEquals(1, errors.contexts().size(), errors.contexts().toString());
                assertSame(failure, errors.contexts().get(0).get("exception"));
                assertTrue(String.valueOf(errors.contexts().get(0).get("message")).startsWith("Exception in callback"));

                client.transport().write(new byte[] {9});
                assertArrayEquals(new byte[] {9}, client.protocol().awaitReceived(1));
                client.transport().close();
                client.protocol().awaitLost();
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void aFailingConnectionLostIsReportedAndTheSocketIsStillClosed(LoopKind kind) {
        kind.run(() -> {
            ErrorRecorder errors = ErrorRecorder.on(Asyncio.getRunningLoop());
            Failure failure = new Failure("connectionLost");
            try (Server server = Net.server(EchoProtocol::new)) {
                Connection<RecordingProtocol> client = Net.connect(server, () -> new RecordingProtocol() {
                    @Override
                    public void connectionLost(Throwable error) {
                        super.connectionLost(error);
                        throw failure;
                    }
                });
                client.transport().close();
                client.protocol().awaitLost();
                Turns.pass(2);
                assertSame(failure, errors.contexts().get(0).get("exception"));
                assertFalse(((TransportSocket) client.transport().getExtraInfo("socket")).isOpen());
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void aFailingProtocolFactoryFailsCreateConnectionAndLeaksNothing(LoopKind kind) {
        kind.run(() -> {
            Failure failure = new Failure("the protocol factory");
            try (Server server = Net.server(EchoProtocol::new)) {
                Failure thrown = assertThrows(Failure.class, () -> Net.connect(server, () -> {
                    throw failure;
                }));
                assertSame(failure, thrown);
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void aFailingServerProtocolFactoryClosesTheConnectionAndIsReportedOnlyInDebugMode(LoopKind kind) {
        kind.run(() -> {
            ErrorRecorder errors = ErrorRecorder.on(Asyncio.getRunningLoop());
            Failure failure = new Failure("the server's protocol factory");
            try (Server server = Net.server(() -> {
                throw failure;
            })) {
                for (boolean debug : new boolean[] {false, true}) {
                    Asyncio.getRunningLoop().setDebug(debug);
                    Connection<RecordingProtocol> client = Net.echoPair(server);
                    assertNull(client.protocol().awaitLost(), "the client sees its connection closed");
                }
                Asyncio.getRunningLoop().setDebug(false);
                assertEquals(1, errors.contexts().size(), errors.contexts().toString());
                assertEquals("Error on transport creation for incoming connection", errors.contexts().get(0).get("message"));
                assertSame(failure, errors.contexts().get(0).get("exception"));
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void aProtocolThatIsNotAStreamProtocolIsRefused(LoopKind kind) {
        kind.run(() -> {
            try (Server server = Net.server(EchoProtocol::new)) {
                Connection<RecordingProtocol> client = Net.echoPair(server);
                assertThrows(IllegalArgumentException.class, () -> client.transport().setProtocol(new BaseProtocol() {
                }));
                assertSame(client.protocol(), client.transport().getProtocol());
                client.transport().close();
                client.protocol().awaitLost();
                Net.closeAndWait(server);
            }
            return null;
        });
    }
}
