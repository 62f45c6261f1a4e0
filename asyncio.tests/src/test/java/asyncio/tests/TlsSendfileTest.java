package asyncio.tests;

import static asyncio.tests.LoopbackPeers.within;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.transports.Connection;
import asyncio.api.transports.Server;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * loop.sendfile over a TLS transport: asyncio marks it {@code _SendfileMode.FALLBACK}, so the file
 * is read and written through TLS when fallback is allowed, and refused when it is not.
 */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class})
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TlsSendfileTest {
    private static final int SIZE = 1024 * 1024 + 17;

    @TempDir
    static Path directory;
    static TlsCerts certs;

    @BeforeAll
    static void makeCertificates() {
        certs = TlsCerts.make(directory);
    }

    private static Path file(byte[] data) throws IOException {
        return Files.write(Files.createTempFile(directory, "data", ".bin"), data);
    }

    private static byte[] content() {
        byte[] data = new byte[SIZE];
        new Random(23).nextBytes(data);
        return data;
    }

    /** A TLS server collecting what it receives, and a TLS client connected to it. */
    private record TlsLink(Server server, Connection<RecordingProtocol> client, Future<SendfileTest.Collector> accepted) {
        static TlsLink open(EventLoop loop) {
            Future<SendfileTest.Collector> accepted = loop.createFuture();
            Server server = certs.server(() -> {
                SendfileTest.Collector collector = new SendfileTest.Collector();
                accepted.setResult(collector);
                return collector;
            });
            return new TlsLink(server, certs.connect(server, RecordingProtocol::new), accepted);
        }

        /** Closes the client (close_notify), returns every byte the server received, closes the server. */
        byte[] finish() {
            client.transport().close();
            byte[] received = within(within(accepted).eof);
            within(client.protocol().lost);
            server.close();
            within(server.waitClosed());
            return received;
        }
    }

    @LoopTest
    void sendfileOverTlsFallsBackToReadingAndWriting(LoopKind kind) throws IOException {
        byte[] data = content();
        try (FileChannel file = FileChannel.open(file(data))) {
            List<Object> outcome = kind.run(() -> {
                TlsLink link = TlsLink.open(Asyncio.getRunningLoop());
                long sent = within(Asyncio.getRunningLoop().sendfile(link.client().transport(), file, 100, 600_000L, true));
                long position = file.position();
                link.client().transport().write(LoopbackPeers.ascii("tail"));
                return List.of(sent, position, link.finish());
            });
            assertEquals(600_000L, outcome.get(0));
            assertEquals(600_100L, outcome.get(1));
            byte[] expected = Arrays.copyOf(Arrays.copyOfRange(data, 100, 600_100), 600_004);
            System.arraycopy("tail".getBytes(StandardCharsets.US_ASCII), 0, expected, 600_000, 4);
            assertArrayEquals(expected, (byte[]) outcome.get(2));
        }
    }

    @LoopTest
    void sendfileOverTlsSendsAWholeFileLargerThanTheBuffers(LoopKind kind) throws IOException {
        byte[] data = content();
        try (FileChannel file = FileChannel.open(file(data))) {
            List<Object> outcome = kind.run(() -> {
                TlsLink link = TlsLink.open(Asyncio.getRunningLoop());
                long sent = within(Asyncio.getRunningLoop().sendfile(link.client().transport(), file));
                return List.of(sent, link.finish());
            });
            assertEquals((long) SIZE, outcome.get(0));
            assertArrayEquals(data, (byte[]) outcome.get(1));
        }
    }

    @LoopTest
    void withoutFallbackSendfileOverTlsIsRefusedAndTheTransportStaysUsable(LoopKind kind) throws IOException {
        try (FileChannel file = FileChannel.open(file(content()))) {
            List<Object> outcome = kind.run(() -> {
                TlsLink link = TlsLink.open(Asyncio.getRunningLoop());
                IllegalStateException refused = assertThrows(IllegalStateException.class,
                        () -> within(Asyncio.getRunningLoop().sendfile(link.client().transport(), file, 0, null, false)));
                link.client().transport().write(LoopbackPeers.ascii("still usable"));
                return List.of(refused.getMessage(), file.position(), link.finish());
            });
            String message = (String) outcome.get(0);
            assertTrue(message.startsWith("fallback is disabled and native sendfile is not supported for transport"),
                    message);
            assertEquals(0L, outcome.get(1));
            assertEquals("still usable", new String((byte[]) outcome.get(2), StandardCharsets.US_ASCII));
        }
    }
}
