package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.Future;
import asyncio.api.Task;
import asyncio.api.streams.StreamConnection;
import asyncio.api.streams.StreamReader;
import asyncio.api.streams.StreamWriter;
import asyncio.api.streams.Streams;
import asyncio.api.transports.Server;
import asyncio.api.transports.ServerOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Streams over Unix domain sockets in a temporary directory. */
@ExtendWith({JdkNioWarmUp.class, NoDescriptorLeaks.class})
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UnixStreamsTest {
    @TempDir
    Path directory;

    @LoopTest
    void aUnixClientAndServerExchangeLinesAndBinaryData(LoopKind kind) {
        Path path = directory.resolve("streams-" + kind + ".sock");
        kind.run(() -> {
            Server server = Streams.startUnixServer(UnixStreamsTest::echoUntilEof, path).await();
            try {
                assertTrue(Files.exists(path));
                StreamConnection connection = Streams.openUnixConnection(path).await();
                StreamReader reader = connection.reader();
                StreamWriter writer = connection.writer();
                writer.write("ping\n");
                assertEquals("ping\n", new String(reader.readline(), StandardCharsets.UTF_8));
                byte[] payload = new byte[3 << 20];
                new Random(3).nextBytes(payload);
                // Written by another task: waiting in drain() while not reading the echo would deadlock.
                Task<Void> sending = Asyncio.createTask(() -> {
                    writer.write(payload);
                    writer.drain();
                    return null;
                });
                assertArrayEquals(payload, reader.readexactly(payload.length));
                sending.await();
                writer.writeEof();
                assertEquals(0, reader.read(-1).length);
                writer.close();
                writer.waitClosed().await();
            } finally {
                server.close();
                server.waitClosed().await();
            }
            assertFalse(Files.exists(path), "the socket file is removed when the server closes");
            return null;
        });
    }

    @LoopTest
    void theUnixLimitOptionReachesTheHandlersReader(LoopKind kind) {
        Path path = directory.resolve("limit-" + kind + ".sock");
        kind.run(() -> {
            Future<String> answer = Asyncio.getRunningLoop().createFuture();
            Server server = Streams.startUnixServer((reader, writer) -> {
                try {
                    reader.readline();
                    answer.setResult("read");
                } catch (IllegalArgumentException overLimit) {
                    answer.setResult("limit " + reader.limit());
                }
                writer.close();
            }, path, 4, new ServerOptions()).await();
            try {
                StreamConnection connection = Streams.openUnixConnection(path, 100).await();
                assertEquals(100, connection.reader().limit());
                connection.writer().write("longer than four\n");
                assertEquals("limit 4", answer.await());
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
    void connectingToAMissingUnixSocketFails(LoopKind kind) {
        Path path = directory.resolve("nobody-" + kind + ".sock");
        kind.run(() -> {
            assertThrows(IOException.class, () -> Streams.openUnixConnection(path).await());
            return null;
        });
    }

    private static void echoUntilEof(StreamReader reader, StreamWriter writer) {
        while (true) {
            byte[] block = reader.read(100_000);
            if (block.length == 0) {
                break;
            }
            writer.write(block);
            writer.drain();
        }
        writer.writeEof();
        writer.close();
    }
}
