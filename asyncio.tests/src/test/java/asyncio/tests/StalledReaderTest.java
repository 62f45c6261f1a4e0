package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.Future;
import asyncio.api.streams.StreamWriter;
import asyncio.api.streams.Streams;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.Server;
import asyncio.api.transports.ServerOptions;
import asyncio.api.transports.WriteBufferLimits;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fault injection: a peer that never reads. A server that writes as long as flow control lets it
 * is paused once its transport buffers past the high-water mark; the buffer then stays under the
 * mark plus one write however long the peer stalls, and nothing written is lost when the peer
 * finally reads. A stream handler is held in {@code drain()} the same way, and a reset frees it.
 */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class, BackToStart.class})
class StalledReaderTest {
    static final int CHUNK = 16 * 1024;
    /** More than loopback's socket buffers take, so only flow control can stop the writer first. */
    private static final long TOTAL = 16L * 1024 * 1024;
    private static final int STALLED_TURNS = 200;

    /** Writes the test pattern while it is not paused, up to {@link #TOTAL}, then closes; notes the largest buffer seen. */
    static final class PoliteWriter extends RecordingProtocol {
        private final long total;
        long written;
        int largestBuffer;
        private boolean paused;

        PoliteWriter() {
            this(TOTAL);
        }

        PoliteWriter(long total) {
            this.total = total;
        }

        @Override
        public void connectionMade(BaseTransport transport) {
            super.connectionMade(transport);
            writeWhileAllowed();
        }

        @Override
        public void pauseWriting() {
            super.pauseWriting();
            paused = true;
        }

        @Override
        public void resumeWriting() {
            super.resumeWriting();
            paused = false;
            writeWhileAllowed();
        }

        private void writeWhileAllowed() {
            while (!paused && written < total) {
                transport().write(Net.patternChunk(written, CHUNK));
                written += CHUNK;
                largestBuffer = Math.max(largestBuffer, transport().getWriteBufferSize());
            }
            if (written == total && !transport().isClosing()) {
                transport().close();
            }
        }
    }

    @LoopTest
    void aWriterToAPeerThatNeverReadsIsPausedAndItsBufferStaysBounded(LoopKind kind) {
        kind.run(() -> {
            ErrorRecorder errors = ErrorRecorder.on(Asyncio.getRunningLoop());
            Accepted<PoliteWriter> accepted = new Accepted<>(PoliteWriter::new);
            try (Server server = Net.server(accepted); SocketChannel peer = Faults.silentPeer(server)) {
                PoliteWriter writer = accepted.first();
                writer.awaitEvent("pause");
                WriteBufferLimits limits = writer.transport().getWriteBufferLimits();
                assertTrue(writer.largestBuffer > limits.high(), "paused at " + writer.largestBuffer + " of " + limits);
                // A completion loop counts the bytes in flight as buffered, and the kernel may
                // still take some after the first pause: wait until it takes no more.
                long writtenWhenStalled = Faults.untilStalled(() -> writer.written, 50, "the writer");
                assertTrue(writtenWhenStalled < TOTAL, "the kernel took everything: nothing was paused");
                int bufferedWhenStalled = writer.transport().getWriteBufferSize();

                // The peer stalls for a while: nothing more is written, nothing more is buffered.
                Turns.pass(STALLED_TURNS);
                assertEquals(writtenWhenStalled, writer.written);
                assertEquals(bufferedWhenStalled, writer.transport().getWriteBufferSize());
                assertTrue(writer.largestBuffer <= limits.high() + CHUNK,
                        "buffered " + writer.largestBuffer + " with a high mark of " + limits.high());
                assertEquals("pause", writer.events.get(writer.events.size() - 1));

                // When the peer reads at last, it gets every byte in order.
                byte[] all = Net.readToEnd(peer);
                assertEquals(TOTAL, all.length);
                for (int i = 0; i < all.length; i++) {
                    if (all[i] != Net.pattern(i)) {
                        throw new AssertionError("byte " + i + " differs");
                    }
                }
                assertTrue(writer.largestBuffer <= limits.high() + CHUNK, "buffered " + writer.largestBuffer);
                assertTrue(writer.count("resume") >= 1);
                writer.awaitLost();
                assertEquals(List.of(), errors.contexts());
                Net.closeAndWait(server);
            }
            BackToStart.assertOnlyThisTaskLeft();
            return null;
        });
    }

    @LoopTest
    void aStreamHandlerWritingToAPeerThatNeverReadsWaitsInDrainUntilTheResetFreesIt(LoopKind kind) {
        kind.run(() -> {
            ErrorRecorder errors = ErrorRecorder.on(Asyncio.getRunningLoop());
            long[] written = {0};
            int[] largestBuffer = {0};
            boolean[] inDrain = {false};
            StreamWriter[] serverWriter = new StreamWriter[1];
            Future<Throwable> handlerEnded = Asyncio.getRunningLoop().createFuture();
            Server server = Streams.startServer((reader, writer) -> {
                serverWriter[0] = writer;
                try {
                    while (true) {
                        writer.write(new byte[CHUNK]);
                        written[0] += CHUNK;
                        largestBuffer[0] = Math.max(largestBuffer[0], writer.transport().getWriteBufferSize());
                        inDrain[0] = true;
                        writer.drain();
                        inDrain[0] = false;
                        if (written[0] > TOTAL) {
                            throw new AssertionError("drain() never held the writer back");
                        }
                    }
                } catch (CancelledError cancelled) {
                    throw cancelled;
                } catch (Exception lost) {
                    handlerEnded.setResult(lost);
                } finally {
                    writer.close();
                }
            }, Net.LOCALHOST, 0, 64 * 1024, new ServerOptions()).await();
            try (server; SocketChannel peer = Faults.silentPeer(server)) {
                Faults.until(() -> inDrain[0], "the handler to wait in drain()");
                long writtenWhenHeld = Faults.untilStalled(() -> written[0], 50, "the handler");
                Turns.pass(STALLED_TURNS);
                assertTrue(inDrain[0], "drain() returned while the peer read nothing");
                assertEquals(writtenWhenHeld, written[0]);
                int high = serverWriter[0].transport().getWriteBufferLimits().high();
                assertTrue(largestBuffer[0] <= high + CHUNK, "buffered " + largestBuffer[0] + " with a high mark of " + high);

                Net.reset(peer);
                assertInstanceOf(IOException.class, Asyncio.waitFor(handlerEnded, RecordingProtocol.PATIENCE));
                assertFalse(inDrain[0] && !handlerEnded.done());
                Turns.pass(3);
                assertEquals(List.of(), errors.contexts());
                Net.closeAndWait(server);
            }
            BackToStart.assertOnlyThisTaskLeft();
            return null;
        });
    }
}
