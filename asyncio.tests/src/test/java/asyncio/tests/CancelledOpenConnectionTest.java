package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.Task;
import asyncio.api.streams.StreamConnection;
import asyncio.api.streams.Streams;
import asyncio.api.transports.Connection;
import asyncio.api.transports.Server;
import java.net.InetSocketAddress;
import java.util.Arrays;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A task awaiting {@code open_connection()} or {@code create_connection()} that is cancelled at
 * any moment leaks no connection:
 * whatever the connection attempt had made is closed, so the server sees every accepted
 * connection end. Found by the soak (asyncio.bench Soak): cancelled just after the connection was
 * made but before the awaiting task resumed, the connection was dropped open.
 */
@ExtendWith(NoDescriptorLeaks.class)
class CancelledOpenConnectionTest {
    /** Enough loop iterations to cover the connect, the accept, connection_made and the hand-back. */
    private static final int MAX_ITERATIONS = 12;
    private static final byte[] SENTINEL = "sentinel".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @LoopTest
    void cancellingATaskAtAnyIterationOfOpenConnectionLeavesNoConnectionOpen(LoopKind kind) {
        kind.run(() -> everyConnectionEnds(port -> {
            StreamConnection connection = Streams.openConnection("127.0.0.1", port).await();
            try {
                connection.reader().readline();
            } finally {
                connection.writer().close();
            }
        }));
    }

    @LoopTest
    void cancellingATaskAtAnyIterationOfCreateConnectionLeavesNoConnectionOpen(LoopKind kind) {
        kind.run(() -> everyConnectionEnds(port -> {
            Connection<RecordingProtocol> connection = Asyncio.getRunningLoop()
                    .createConnection(RecordingProtocol::new, "127.0.0.1", port).await();
            try {
                Asyncio.getRunningLoop().createFuture().await();
            } finally {
                connection.transport().close();
            }
        }));
    }

    private interface Client {
        void connectAndWait(int port) throws Exception;
    }

    /** Starts {@code client} against a server and cancels it after 0, 1, 2... loop iterations; the server must see each connection end. */
    private static Void everyConnectionEnds(Client client) throws Exception {
        EventLoop loop = Asyncio.getRunningLoop();
        int[] accepted = {0};
        int[] ended = {0};
        Future<Void> allEnded = loop.createFuture();
        Future<Void> sentinelRead = loop.createFuture();
        int[] expected = {-1};
        Server server = Streams.startServer((reader, writer) -> {
            accepted[0]++;
            try {
                if (Arrays.equals(SENTINEL, reader.read(-1))) {
                    sentinelRead.setResult(null);
                }
            } finally {
                writer.close();
                ended[0]++;
                if (ended[0] == expected[0] && !allEnded.done()) {
                    allEnded.setResult(null);
                }
            }
        }, "127.0.0.1", 0).await();
        int port = ((InetSocketAddress) server.sockets().get(0).localAddress()).getPort();
        for (int iterations = 0; iterations <= MAX_ITERATIONS; iterations++) {
            Task<Void> victim = loop.createTask(() -> {
                client.connectAndWait(port);
                return null;
            });
            for (int i = 0; i < iterations; i++) {
                Asyncio.sleep(0);
            }
            victim.cancel();
            try {
                victim.await();
            } catch (CancelledError expectedCancel) {
                // what cancel() promises
            }
        }
        // Let the last connects land: a loopback connect is queued for accept when connect
        // returns, and the server accepts in order, so once a sentinel connection made after
        // them all is served, so are they. Then every accepted connection must end (the client
        // closed it).
        StreamConnection sentinel = Streams.openConnection("127.0.0.1", port).await();
        sentinel.writer().write(SENTINEL);
        sentinel.writer().close();
        Asyncio.waitFor(sentinelRead, RecordingProtocol.PATIENCE);
        sentinel.writer().waitClosed().await();
        expected[0] = accepted[0];
        if (ended[0] < accepted[0]) {
            Asyncio.waitFor(allEnded, 5.0);
        }
        assertEquals(accepted[0], ended[0], "connections the server accepted that the client never closed");
        assertTrue(accepted[0] > 0);
        server.close();
        server.waitClosed().await();
        return null;
    }
}
