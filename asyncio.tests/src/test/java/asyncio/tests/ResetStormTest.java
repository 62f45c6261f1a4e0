package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.TimerHandle;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.Connection;
import asyncio.api.transports.Server;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fault injection: many peers reset their connections (SO_LINGER 0, then close) while the server
 * is writing to them. Each connection ends with {@code connectionLost} of a plain reset error or
 * null, nothing reaches the exception handler (asyncio only logs a reset, in debug mode), the
 * server keeps serving, and every descriptor is given back.
 */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class, BackToStart.class})
class ResetStormTest {
    private static final int ROUNDS = 3;
    private static final int PEERS_PER_ROUND = 16;
    private static final int CHUNK = 64 * 1024;

    /**
     * A server protocol that writes until its transport buffers, and then keeps writing a chunk
     * every millisecond from a timer, as an application that does not watch the connection would;
     * its timer also writes once after the loss, which must be ignored.
     */
    static final class Flooding extends RecordingProtocol {
        private TimerHandle ticker;
        int writesAfterLoss;

        @Override
        public void connectionMade(BaseTransport transport) {
            super.connectionMade(transport);
            // A connection reset before it was accepted fails its first writes and closes.
            while (transport().getWriteBufferSize() == 0 && !transport().isClosing()) {
                transport().write(ByteBuffer.allocate(CHUNK));
            }
            tick();
        }

        private void tick() {
            if (lost.done()) {
                writesAfterLoss++;
                if (writesAfterLoss > 1) {
                    return;
                }
            }
            transport().write(ByteBuffer.allocate(CHUNK));
            ticker = loop.callLater(0.001, this::tick);
        }

        void stop() {
            if (ticker != null) {
                ticker.cancel();
            }
        }
    }

    private static void assertResetOrClean(Throwable error) {
        assertTrue(error == null || error instanceof IOException, "connectionLost got " + error);
    }

    @LoopTest
    void resetsWhileTheServerWritesEndEachConnectionWithoutAReport(LoopKind kind) {
        kind.run(() -> {
            ErrorRecorder errors = ErrorRecorder.on(Asyncio.getRunningLoop());
            Accepted<Flooding> accepted = new Accepted<>(Flooding::new);
            try (Server server = Net.server(accepted)) {
                for (int round = 0; round < ROUNDS; round++) {
                    List<SocketChannel> peers = new ArrayList<>();
                    for (int i = 0; i < PEERS_PER_ROUND; i++) {
                        peers.add(Faults.silentPeer(server));
                    }
                    int first = round * PEERS_PER_ROUND;
                    for (int i = 0; i < PEERS_PER_ROUND; i++) {
                        assertTrue(accepted.get(first + i).awaitMade().getWriteBufferSize() > 0, "the server is mid-write");
                    }
                    peers.forEach(Net::reset);
                    for (int i = 0; i < PEERS_PER_ROUND; i++) {
                        Flooding serverSide = accepted.get(first + i);
                        assertResetOrClean(serverSide.awaitLost());
                        assertEquals(0, serverSide.transport().getWriteBufferSize(), "a reset drops the buffer");
                    }
                }
                Turns.pass(5);
                for (int i = 0; i < accepted.count(); i++) {
                    accepted.get(i).stop();
                }
                assertEchoServerStillServes();
                assertEquals(List.of(), errors.contexts());
                Net.closeAndWait(server);
            }
            BackToStart.assertOnlyThisTaskLeft();
            return null;
        });
    }

    @LoopTest
    void peersThatResetBeforeTheServerAcceptsThemAreForgottenQuietly(LoopKind kind) {
        kind.run(() -> {
            ErrorRecorder errors = ErrorRecorder.on(Asyncio.getRunningLoop());
            Accepted<Flooding> accepted = new Accepted<>(Flooding::new);
            try (Server server = Net.server(accepted)) {
                // Connect and reset at once, many times, without letting the loop run in between:
                // the server accepts connections that are already reset.
                for (int i = 0; i < ROUNDS * PEERS_PER_ROUND; i++) {
                    Net.reset(Faults.silentPeer(server));
                }
                // Accepts are served in order: once a later client is served, every storm
                // connection was accepted or dropped by the kernel.
                // Its connect returning says nothing of the server's accept, and a storm connection
                // the kernel hands over already reset may make no protocol at all (no peer left to
                // name): the later client's server side is the one whose peer is its address.
                Connection<RecordingProtocol> later = Net.connect(server, RecordingProtocol::new);
                Object laterAddress = later.transport().getExtraInfo("sockname");
                int laterIndex = 0;
                while (true) {
                    accepted.get(laterIndex).awaitMade();
                    if (laterAddress.equals(accepted.get(laterIndex).transport().getExtraInfo("peername"))) {
                        break;
                    }
                    laterIndex++;
                }
                for (int i = 0; i < laterIndex; i++) {
                    assertResetOrClean(accepted.get(i).awaitLost());
                    accepted.get(i).stop();
                }
                later.transport().close();
                later.protocol().awaitLost();
                Flooding laterServerSide = accepted.get(laterIndex);
                laterServerSide.awaitLost();
                laterServerSide.stop();
                Turns.pass(5);
                assertEquals(List.of(), errors.contexts());
                Net.closeAndWait(server);
            }
            BackToStart.assertOnlyThisTaskLeft();
            return null;
        });
    }

    /** A new client of a fresh echo server on the same loop gets its bytes back. */
    private static void assertEchoServerStillServes() {
        try (Server echo = Net.server(EchoProtocol::new)) {
            Connection<RecordingProtocol> client = Net.echoPair(echo);
            byte[] message = Net.patternBytes(1000);
            client.transport().write(message);
            assertArrayEquals(message, client.protocol().awaitReceived(message.length));
            client.transport().close();
            client.protocol().awaitLost();
            Net.closeAndWait(echo);
        }
    }
}
