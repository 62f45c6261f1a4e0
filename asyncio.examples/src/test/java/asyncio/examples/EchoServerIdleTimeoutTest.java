package asyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.queues.Queue;
import asyncio.api.transports.Connection;
import asyncio.api.transports.Protocol;
import asyncio.api.transports.Server;
import asyncio.api.transports.Transport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class EchoServerIdleTimeoutTest {
    private static final double IDLE_TIMEOUT = 0.5;
    private static final double GAP = 0.05;
    private static final int MESSAGES = 12;

    /** Records what the server sends and when it hangs up. */
    private static final class RecordingClient implements Protocol {
        final Queue<String> received = new Queue<>();
        final Future<Double> lostAt;
        final EventLoop loop;

        RecordingClient(EventLoop loop) {
            this.loop = loop;
            this.lostAt = loop.createFuture();
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            received.putNowait(StandardCharsets.UTF_8.decode(data).toString());
        }

        @Override
        public void connectionLost(Throwable error) {
            lostAt.setResult(loop.time());
        }
    }

    @Test
    void anActiveConnectionStaysOpenAndAnIdleOneIsClosedAfterTheTimeout() throws Exception {
        double[] times = new double[3];
        List<String> lines = StandardOutput.linesOf(() -> Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = EchoServerIdleTimeout.start("127.0.0.1", 0, IDLE_TIMEOUT);
            int port = TcpEchoServerProtocol.address(server).getPort();
            Connection<RecordingClient> connection =
                    loop.createConnection(() -> new RecordingClient(loop), "127.0.0.1", port).await();
            Transport transport = connection.transport();
            RecordingClient client = connection.protocol();
            double start = loop.time();
            double lastWrite = start;
            for (int i = 0; i < MESSAGES; i++) {
                lastWrite = loop.time();
                transport.write(("ping " + i).getBytes(StandardCharsets.UTF_8));
                assertEquals("ping " + i, client.received.get());
                Asyncio.sleep(GAP);
            }
            times[0] = loop.time() - start;
            assertFalse(client.lostAt.done(), "closed while the peer was active");
            times[1] = client.lostAt.await() - lastWrite;
            server.close();
            server.waitClosed().await();
            return null;
        }));

        // Active for longer than the timeout: only rescheduling on each dataReceived kept it open.
        assertTrue(times[0] > IDLE_TIMEOUT, "active for " + times[0] + " s");
        assertTrue(times[1] >= IDLE_TIMEOUT - 1e-6, "closed " + times[1] + " s after the last data");
        assertTrue(lines.get(0).startsWith("Serving on /127.0.0.1:"), lines::toString);
        assertTrue(lines.get(1).startsWith("Connection from /127.0.0.1:"), lines::toString);
        String peer = lines.get(1).substring("Connection from ".length());
        assertEquals(List.of("Closing idle connection from " + peer, "Connection from " + peer + " closed"),
                lines.subList(2, lines.size()));
    }

}
