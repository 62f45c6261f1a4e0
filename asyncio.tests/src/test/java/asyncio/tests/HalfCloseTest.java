package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.transports.Connection;
import asyncio.api.transports.Server;
import asyncio.api.transports.Transport;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Half-close: {@code writeEof} ends our side while we keep reading, and a peer's EOF closes the
 * transport unless {@code eofReceived} returns true, which keeps it open for writing.
 */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class})
class HalfCloseTest {

    /** Answers "bye" to the peer's EOF on a transport kept open, then closes. */
    static final class ByeOnEof extends RecordingProtocol {
        ByeOnEof() {
            keepOpenOnEof = true;
        }

        @Override
        public boolean eofReceived() {
            boolean keep = super.eofReceived();
            transport().write("bye".getBytes(StandardCharsets.US_ASCII));
            transport().close();
            return keep;
        }
    }

    @LoopTest
    void afterWriteEofThePeerSeesEofAndWeStillRead(LoopKind kind) {
        kind.run(() -> {
            Accepted<ByeOnEof> accepted = new Accepted<>(ByeOnEof::new);
            try (Server server = Net.server(accepted)) {
                Connection<RecordingProtocol> client = Net.echoPair(server);
                Transport transport = client.transport();
                transport.write("hi".getBytes(StandardCharsets.US_ASCII));
                transport.writeEof();
                assertFalse(transport.isClosing(), "write_eof() does not close the transport");
                assertTrue(transport.isReading());

                assertEquals("bye", new String(client.protocol().awaitReceived(3), StandardCharsets.US_ASCII));
                assertNull(client.protocol().awaitLost());
                ByeOnEof serverSide = accepted.first();
                assertEquals("hi", serverSide.received.toString(StandardCharsets.US_ASCII));
                assertEquals(List.of("made", "data", "eof", "lost"), client.protocol().events);
                assertEquals(List.of("made", "data", "eof", "lost"), serverSide.events);
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void writeAfterWriteEofRaisesAndWriteEofIsIdempotent(LoopKind kind) {
        kind.run(() -> {
            try (Server server = Net.server(EchoProtocol::new)) {
                Connection<RecordingProtocol> client = Net.echoPair(server);
                Transport transport = client.transport();
                transport.writeEof();
                transport.writeEof();

                IllegalStateException write = assertThrows(IllegalStateException.class, () -> transport.write(new byte[] {1}));
                assertEquals("Cannot call write() after write_eof()", write.getMessage());
                IllegalStateException lines = assertThrows(IllegalStateException.class,
                        () -> transport.writelines(List.of(ByteBuffer.allocate(1))));
                assertEquals("Cannot call writelines() after write_eof()", lines.getMessage());
                // Even an empty write is refused, as asyncio checks EOF first.
                assertThrows(IllegalStateException.class, () -> transport.write(new byte[0]));

                assertNull(client.protocol().awaitLost(), "the echo server closes on our EOF");
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void writeEofWaitsForTheBufferedDataToBeSent(LoopKind kind) {
        kind.run(() -> {
            Accepted<RecordingProtocol> accepted = new Accepted<>(NotReading::new);
            try (Server server = Net.server(accepted)) {
                Connection<RecordingProtocol> client = Net.echoPair(server);
                long written = Net.fillUntilBuffered(client.transport());
                client.transport().writeEof();
                assertTrue(client.transport().getWriteBufferSize() > 0);

                RecordingProtocol serverSide = accepted.first();
                serverSide.awaitMade().resumeReading();
                serverSide.awaitEof();
                assertEquals(written, serverSide.received.size(), "every byte arrives before the EOF");
                assertEquals(0, client.transport().getWriteBufferSize());
                assertNull(client.protocol().awaitLost());
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void eofReceivedReturningTrueKeepsTheTransportWritable(LoopKind kind) {
        kind.run(() -> {
            Accepted<RecordingProtocol> accepted = new Accepted<>(() -> {
                RecordingProtocol protocol = new RecordingProtocol();
                protocol.keepOpenOnEof = true;
                return protocol;
            });
            try (Server server = Net.server(accepted)) {
                SocketChannel peer = Net.plainClient(server);
                try {
                    RecordingProtocol serverSide = accepted.first();
                    Net.writeAll(peer, "ping".getBytes(StandardCharsets.US_ASCII));
                    peer.shutdownOutput();
                    serverSide.awaitEof();
                    Transport transport = serverSide.transport();
                    assertFalse(transport.isClosing(), "kept open by eofReceived");
                    assertEquals("ping", serverSide.received.toString(StandardCharsets.US_ASCII));

                    transport.write("pong".getBytes(StandardCharsets.US_ASCII));
                    transport.close();
                    assertArrayEquals("pong".getBytes(StandardCharsets.US_ASCII), Net.readToEnd(peer));
                    assertNull(serverSide.awaitLost());
                    assertEquals(List.of("made", "data", "eof", "lost"), serverSide.events);
                } finally {
                    peer.close();
                }
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void eofReceivedReturningFalseClosesTheTransport(LoopKind kind) {
        kind.run(() -> {
            Accepted<RecordingProtocol> accepted = new Accepted<>(RecordingProtocol::new);
            try (Server server = Net.server(accepted)) {
                SocketChannel peer = Net.plainClient(server);
                try {
                    RecordingProtocol serverSide = accepted.first();
                    peer.shutdownOutput();
                    serverSide.awaitEof();
                    assertTrue(serverSide.transport().isClosing());
                    assertNull(serverSide.awaitLost());
                    assertArrayEquals(new byte[0], Net.readToEnd(peer), "the peer sees our side close");
                } finally {
                    peer.close();
                }
                Net.closeAndWait(server);
            }
            return null;
        });
    }
}
