package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.BufferedProtocol;
import asyncio.api.transports.Connection;
import asyncio.api.transports.Server;
import asyncio.api.transports.Transport;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A large echo: 64 MiB up and the same 64 MiB back (128 MiB through the loop), written in random
 * chunks under flow control and read into random-sized buffers; every byte is checked in order.
 */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class})
class LargeTransferTest {
    private static final long TOTAL = 64L * 1024 * 1024;

    /** Reads into random windows of one buffer, checks each byte against the pattern, and sends on request. */
    static final class CheckingClient implements BufferedProtocol {
        final EventLoop loop = Asyncio.getEventLoop();
        final Future<Throwable> lost = loop.createFuture();
        private final Random random;
        private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        private Future<Void> resumed;
        private boolean writingPaused;
        Transport transport;
        long checked;
        long firstMismatch = -1;

        CheckingClient(Random random) {
            this.random = random;
        }

        @Override
        public void connectionMade(BaseTransport made) {
            transport = (Transport) made;
        }

        @Override
        public ByteBuffer getBuffer(int sizeHint) {
            int window = 1 + random.nextInt(buffer.capacity());
            int start = random.nextInt(buffer.capacity() - window + 1);
            return buffer.limit(start + window).position(start);
        }

        @Override
        public void bufferUpdated(int bytes) {
            int start = buffer.position() - bytes;
            for (int i = 0; i < bytes; i++) {
                if (firstMismatch < 0 && buffer.get(start + i) != Net.pattern(checked + i)) {
                    firstMismatch = checked + i;
                }
            }
            checked += bytes;
        }

        @Override
        public void pauseWriting() {
            writingPaused = true;
            resumed = loop.createFuture();
        }

        @Override
        public void resumeWriting() {
            writingPaused = false;
            resumed.setResult(null);
        }

        @Override
        public void connectionLost(Throwable error) {
            lost.setResult(error);
        }

        /** Sends {@code total} pattern bytes in random chunks, waiting whenever the transport asks to. */
        void send(long total) {
            long sent = 0;
            while (sent < total) {
                int length = (int) Math.min(total - sent, 1 + random.nextInt(256 * 1024));
                transport.write(Net.patternChunk(sent, length));
                sent += length;
                if (writingPaused) {
                    Asyncio.waitFor(resumed, RecordingProtocol.PATIENCE);
                }
            }
            transport.writeEof();
        }
    }

    @LoopTest
    void sixtyFourMebibytesEchoBackIntactAndInOrder(LoopKind kind) {
        long seed = System.nanoTime();
        CheckingClient result = kind.run(() -> {
            try (Server server = Net.server(EchoProtocol::new)) {
                Connection<CheckingClient> client = Net.connect(server, () -> new CheckingClient(new Random(seed)));
                client.protocol().send(TOTAL);
                assertNull(Asyncio.waitFor(client.protocol().lost, 60.0));
                Net.closeAndWait(server);
                return client.protocol();
            }
        });
        assertEquals(-1, result.firstMismatch, "first wrong byte (seed " + seed + ")");
        assertEquals(TOTAL, result.checked, "bytes echoed (seed " + seed + ")");
    }
}
