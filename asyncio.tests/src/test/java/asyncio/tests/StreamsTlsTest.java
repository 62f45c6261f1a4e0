package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.Future;
import asyncio.api.streams.StreamConnection;
import asyncio.api.streams.StreamReader;
import asyncio.api.streams.StreamWriter;
import asyncio.api.streams.Streams;
import asyncio.api.transports.ConnectionOptions;
import asyncio.api.transports.Server;
import asyncio.api.transports.ServerOptions;
import asyncio.api.transports.Transport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Streams over TLS: TLS from the first byte, and {@code start_tls()} in the middle of a conversation. */
@ExtendWith({JdkNioWarmUp.class, NoDescriptorLeaks.class})
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StreamsTlsTest {
    private static final String HOST = "127.0.0.1";

    @TempDir
    static Path directory;
    private static SSLContext serverContext;
    private static SSLContext clientContext;

    @BeforeAll
    static void makeContexts() {
        TlsCerts certs = TlsCerts.make(directory);
        serverContext = certs.serverContext();
        clientContext = certs.clientContext();
    }

    private static String line(StreamReader reader) {
        return new String(reader.readline(), StandardCharsets.UTF_8);
    }

    @LoopTest
    void aTlsClientAndServerExchangeLinesAndBinaryData(LoopKind kind) {
        kind.run(() -> {
            Future<Object> serverSideContext = Asyncio.getRunningLoop().createFuture();
            Server server = Streams.startServer((reader, writer) -> {
                serverSideContext.setResult(writer.getExtraInfo("sslcontext"));
                while (true) {
                    byte[] block = reader.read(50_000);
                    if (block.length == 0) {
                        break;
                    }
                    writer.write(block);
                    writer.drain();
                }
                writer.close();
                writer.waitClosed().await();
            }, HOST, 0, StreamReader.DEFAULT_LIMIT, new ServerOptions().ssl(serverContext)).await();
            try {
                StreamConnection connection = Streams.openConnection(HOST, StreamsTest.port(server),
                        StreamReader.DEFAULT_LIMIT, new ConnectionOptions().ssl(clientContext)).await();
                StreamReader reader = connection.reader();
                StreamWriter writer = connection.writer();
                assertSame(clientContext, writer.getExtraInfo("sslcontext"));
                writer.write("over tls\n");
                assertEquals("over tls\n", line(reader));
                assertSame(serverContext, serverSideContext.await());

                byte[] payload = new byte[256 << 10];
                new Random(17).nextBytes(payload);
                asyncio.api.Task<Void> sending = Asyncio.createTask(() -> {
                    writer.write(payload);
                    writer.drain();
                    return null;
                });
                assertEquals(java.nio.ByteBuffer.wrap(payload), java.nio.ByteBuffer.wrap(reader.readexactly(payload.length)));
                sending.await();
                writer.close();
                writer.waitClosed().await();
                assertTrue(reader.atEof());
            } finally {
                server.close();
                server.waitClosed().await();
            }
            return null;
        });
    }

    @LoopTest
    void startTlsUpgradesAPlainConversationOnBothSides(LoopKind kind) {
        kind.run(() -> {
            List<Object> serverContexts = new ArrayList<>();
            Server server = Streams.startServer((reader, writer) -> {
                String first = line(reader);
                writer.write(first);
                writer.drain();
                serverContexts.add(writer.getExtraInfo("sslcontext"));
                Transport plain = writer.transport();
                writer.startTls(serverContext, null);
                assertNotSame(plain, writer.transport());
                serverContexts.add(writer.getExtraInfo("sslcontext"));
                writer.write(line(reader).toUpperCase());
                writer.drain();
                writer.close();
                writer.waitClosed().await();
            }, HOST, 0).await();
            try {
                StreamConnection connection = Streams.openConnection(HOST, StreamsTest.port(server)).await();
                StreamReader reader = connection.reader();
                StreamWriter writer = connection.writer();
                writer.write("hello plain\n");
                assertEquals("hello plain\n", line(reader));
                assertNull(writer.getExtraInfo("sslcontext"));
                writer.startTls(clientContext, "localhost");
                assertSame(clientContext, writer.getExtraInfo("sslcontext"));
                writer.write("hello tls\n");
                assertEquals("HELLO TLS\n", line(reader));
                assertEquals(0, reader.read(-1).length, "the server closed after answering");
                writer.close();
                writer.waitClosed().await();
                assertNull(serverContexts.get(0));
                assertSame(serverContext, serverContexts.get(1));
            } finally {
                server.close();
                server.waitClosed().await();
            }
            return null;
        });
    }

    @LoopTest
    void aPeersEofOverTlsEndsTheConnectionSinceTlsCannotHalfClose(LoopKind kind) {
        kind.run(() -> {
            Server server = Streams.startServer((reader, writer) -> {
                writer.write("only line\n");
                writer.drain();
                writer.close();
            }, HOST, 0, StreamReader.DEFAULT_LIMIT, new ServerOptions().ssl(serverContext)).await();
            try {
                StreamConnection connection = Streams.openConnection(HOST, StreamsTest.port(server),
                        StreamReader.DEFAULT_LIMIT, new ConnectionOptions().ssl(clientContext)).await();
                assertEquals("only line\n", line(connection.reader()));
                assertEquals("", line(connection.reader()));
                assertFalse(connection.writer().canWriteEof());
                // Nobody closes our side: the transport does it, so waitClosed ends.
                Asyncio.waitFor(Asyncio.ensureFuture(() -> {
                    connection.writer().waitClosed().await();
                    return null;
                }), 10.0);
                assertNotNull(connection.writer().transport());
            } finally {
                server.close();
                server.waitClosed().await();
            }
            return null;
        });
    }
}
