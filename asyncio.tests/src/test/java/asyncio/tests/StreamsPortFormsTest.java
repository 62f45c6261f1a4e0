package asyncio.tests;

import static asyncio.tests.StreamsTest.HOST;
import static asyncio.tests.StreamsTest.bytes;
import static asyncio.tests.StreamsTest.port;
import static asyncio.tests.StreamsTest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.streams.StreamConnection;
import asyncio.api.streams.StreamReader;
import asyncio.api.streams.StreamReaderProtocol;
import asyncio.api.streams.StreamWriter;
import asyncio.api.streams.Streams;
import asyncio.api.transports.Connection;
import asyncio.api.transports.Server;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The stream forms a Python program uses without thinking: a reader or protocol without a loop
 * argument, {@code async for line in reader}, and {@code wait_closed()} of writer and server alike.
 */
@ExtendWith({JdkNioWarmUp.class, NoDescriptorLeaks.class})
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StreamsPortFormsTest {

    /** Sends three lines, the last without its newline, then closes. */
    static void threeLines(StreamReader reader, StreamWriter writer) {
        writer.write("one\ntwo\n");
        writer.drain();
        // A separate write after a yield: the client's iteration has to suspend in between.
        Asyncio.sleep(0);
        writer.write("three");
        writer.close();
        writer.waitClosed().await();
    }

    @LoopTest
    void aReaderWithOnlyALimitRunsOnTheRunningLoop(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = new StreamReader(10);
            assertSame(Asyncio.getRunningLoop(), reader.getLoop());
            assertEquals(10, reader.limit());
            assertThrows(IllegalArgumentException.class, () -> new StreamReader(0));
            return null;
        });
    }

    @LoopTest
    void aProtocolWithoutALoopFeedsItsReaderOverAConnection(LoopKind kind) {
        kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = Streams.startServer(StreamsPortFormsTest::threeLines, HOST, 0).await();
            try {
                StreamReader reader = new StreamReader();
                StreamReaderProtocol protocol = new StreamReaderProtocol(reader);
                Connection<StreamReaderProtocol> connection = loop.createConnection(() -> protocol, HOST, port(server))
                        .await();
                StreamWriter writer = new StreamWriter(connection.transport(), protocol, reader, loop);
                assertEquals("one\n", text(reader.readline()));
                writer.close();
                writer.waitClosed().await();
            } finally {
                server.close();
                server.waitClosed().await();
            }
            return null;
        });
    }

    @LoopTest
    void iteratingAReaderYieldsEachLineUntilEof(LoopKind kind) {
        kind.run(() -> {
            Server server = Streams.startServer(StreamsPortFormsTest::threeLines, HOST, 0).await();
            try {
                StreamConnection connection = Streams.openConnection(HOST, port(server)).await();
                List<String> lines = new ArrayList<>();
                for (byte[] line : connection.reader()) {
                    lines.add(text(line));
                }
                assertEquals(List.of("one\n", "two\n", "three"), lines);
                assertTrue(connection.reader().atEof());
                connection.writer().close();
                connection.writer().waitClosed().await();
            } finally {
                server.close();
                server.waitClosed().await();
            }
            return null;
        });
    }

    @LoopTest
    void anExhaustedLineIteratorRefusesNextAndAFailedStreamRaisesFromHasNext(LoopKind kind) {
        kind.run(() -> {
            StreamReader done = new StreamReader();
            done.feedData(bytes("last\n"));
            done.feedEof();
            Iterator<byte[]> lines = done.iterator();
            assertEquals("last\n", text(lines.next()));
            assertFalse(lines.hasNext());
            assertThrows(NoSuchElementException.class, lines::next);

            StreamReader failed = new StreamReader();
            failed.setException(new IOException("reset"));
            IOException raised = assertThrows(IOException.class, () -> failed.iterator().hasNext());
            assertEquals("reset", raised.getMessage());
            return null;
        });
    }

    @LoopTest
    void writerAndServerWaitClosedAreFuturesOfOneShape(LoopKind kind) {
        kind.run(() -> {
            Server server = Streams.startServer(StreamsPortFormsTest::threeLines, HOST, 0).await();
            StreamConnection connection = Streams.openConnection(HOST, port(server)).await();
            Future<Void> writerClosed = connection.writer().waitClosed();
            Future<Void> abandoned = connection.writer().waitClosed();
            Future<Void> serverClosed = server.waitClosed();
            assertFalse(writerClosed.done());
            // Cancelling one waiter leaves the connection and the other waiters alone.
            abandoned.cancel();
            connection.reader().read(-1);
            connection.writer().close();
            server.close();
            Asyncio.gather(writerClosed, serverClosed).await();
            assertTrue(writerClosed.done() && !writerClosed.cancelled());
            // Already closed: a new waiter is done at once (a loop iteration later at most).
            Asyncio.waitFor(connection.writer().waitClosed(), 5);
            Asyncio.waitFor(server.waitClosed(), 5);
            return null;
        });
    }

    @LoopTest
    void theLineIteratorReadsFromBufferedDataWithoutALoopRoundTrip(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = new StreamReader(16);
            reader.feedData(ByteBuffer.wrap(bytes("a\nb\n")));
            reader.feedEof();
            List<String> lines = new ArrayList<>();
            reader.forEach(line -> lines.add(text(line)));
            assertEquals(List.of("a\n", "b\n"), lines);
            return null;
        });
    }
}
