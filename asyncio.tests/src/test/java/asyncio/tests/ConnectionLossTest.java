package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.transports.Connection;
import asyncio.api.transports.Server;
import asyncio.api.transports.Transport;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How a connection ends: reset by the peer, aborted, closed with data still buffered, and what
 * writes do afterwards. A reset is the network's doing, so nothing goes to the exception handler.
 */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class})
class ConnectionLossTest {

    @LoopTest
    void aResetByThePeerEndsTheConnectionWithAnIOExceptionAndReportsNothing(LoopKind kind) {
        kind.run(() -> {
            ErrorRecorder errors = ErrorRecorder.on(Asyncio.getRunningLoop());
            Accepted<RecordingProtocol> accepted = new Accepted<>(RecordingProtocol::new);
            try (Server server = Net.server(accepted)) {
                SocketChannel peer = Net.plainClient(server);
                RecordingProtocol serverSide = accepted.first();
                serverSide.awaitMade();
                Net.reset(peer);

                assertInstanceOf(IOException.class, serverSide.awaitLost());
                assertTrue(serverSide.transport().isClosing());
                assertEquals(List.of("made", "lost"), serverSide.events);
                assertEquals(List.of(), errors.contexts());
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void aResetWhileDataIsBufferedDropsTheBuffer(LoopKind kind) {
        kind.run(() -> {
            ErrorRecorder errors = ErrorRecorder.on(Asyncio.getRunningLoop());
            Accepted<RecordingProtocol> accepted = new Accepted<>(RecordingProtocol::new);
            try (Server server = Net.server(accepted)) {
                SocketChannel peer = Net.plainClient(server);
                RecordingProtocol serverSide = accepted.first();
                Transport transport = serverSide.awaitMade();
                Net.fillUntilBuffered(transport);
                Net.reset(peer);

                assertInstanceOf(IOException.class, serverSide.awaitLost());
                assertEquals(0, transport.getWriteBufferSize());
                assertEquals(List.of(), errors.contexts());
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void abortDropsTheBufferAndReportsAPlainLossLater(LoopKind kind) {
        kind.run(() -> {
            try (Server server = Net.server(NotReading::new)) {
                Connection<RecordingProtocol> client = Net.echoPair(server);
                Transport transport = client.transport();
                Net.fillUntilBuffered(transport);

                transport.abort();
                assertTrue(transport.isClosing());
                assertFalse(transport.isReading());
                assertEquals(0, transport.getWriteBufferSize());
                assertFalse(client.protocol().events.contains("lost"), "connectionLost comes in a later callback");
                transport.abort();
                transport.close();

                assertNull(client.protocol().awaitLost());
                Asyncio.sleep(0);
                assertEquals(1, client.protocol().count("lost"));
                server.closeClients();
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void closeSendsTheBufferedDataBeforeTheConnectionIsLost(LoopKind kind) {
        kind.run(() -> {
            Accepted<RecordingProtocol> accepted = new Accepted<>(NotReading::new);
            try (Server server = Net.server(accepted)) {
                Connection<RecordingProtocol> client = Net.echoPair(server);
                long written = Net.fillUntilBuffered(client.transport());

                client.transport().close();
                assertTrue(client.transport().isClosing());
                assertFalse(client.transport().isReading());
                RecordingProtocol serverSide = accepted.first();
                serverSide.awaitMade().resumeReading();

                assertNull(client.protocol().awaitLost());
                serverSide.awaitEof();
                assertEquals(written, serverSide.received.size());
                assertEquals(0, client.transport().getWriteBufferSize());
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void writesAfterCloseAreDroppedSilently(LoopKind kind) {
        kind.run(() -> {
            ErrorRecorder errors = ErrorRecorder.on(Asyncio.getRunningLoop());
            Accepted<RecordingProtocol> accepted = new Accepted<>(RecordingProtocol::new);
            try (Server server = Net.server(accepted)) {
                Connection<RecordingProtocol> client = Net.echoPair(server);
                Transport transport = client.transport();
                transport.close();
                // asyncio ignores them, logging a warning from the fifth on: no exception, no report.
                for (int i = 0; i < 10; i++) {
                    transport.write(new byte[] {1, 2, 3});
                    transport.writelines(List.of(java.nio.ByteBuffer.wrap(new byte[] {4})));
                }
                assertEquals(0, transport.getWriteBufferSize());
                assertNull(client.protocol().awaitLost());
                transport.write(new byte[] {5});
                transport.writeEof();

                RecordingProtocol serverSide = accepted.first();
                serverSide.awaitLost();
                assertEquals(0, serverSide.received.size(), "nothing written after close() reaches the peer");
                assertEquals(List.of(), errors.contexts());
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void aWriteAfterABufferedCloseCompletedDoesNotReportTheLossAgain(LoopKind kind) {
        kind.run(() -> {
            ErrorRecorder errors = ErrorRecorder.on(Asyncio.getRunningLoop());
            Accepted<RecordingProtocol> accepted = new Accepted<>(NotReading::new);
            try (Server server = Net.server(accepted)) {
                Connection<RecordingProtocol> client = Net.echoPair(server);
                Net.fillUntilBuffered(client.transport());
                client.transport().close();
                accepted.first().awaitMade().resumeReading();
                assertNull(client.protocol().awaitLost());

                client.transport().write(new byte[] {1});
                client.transport().abort();
                Turns.pass(3);
                // A proactor counts the bytes in flight as buffered (as asyncio's does), so its
                // protocol may also be paused and resumed on the way: what matters is one loss.
                List<String> events = client.protocol().events.stream()
                        .filter(event -> !event.equals("pause") && !event.equals("resume")).toList();
                assertEquals(List.of("made", "lost"), events);
                assertEquals(List.of(), errors.contexts());
                Net.closeAndWait(server);
            }
            return null;
        });
    }
}
