package asyncio.windows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.SendfileNotAvailableError;
import asyncio.api.streams.StreamConnection;
import asyncio.api.streams.Streams;
import asyncio.api.transports.Server;
import asyncio.api.transports.WriteTransport;
import asyncio.api.Future;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code loop.sendfile} on the Windows loop over the scripted Winsock: TransmitFile at the
 * OVERLAPPED's offset where the file's HANDLE is known ({@link FakeTransmitFile}), the copying
 * path where it is not (the JDK's HANDLE hidden, or no HANDLE on Linux), and
 * SendfileNotAvailableError when copying is not allowed, as asyncio raises it.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WindowsTransmitFileOnFakeWinsockTest {
    @TempDir
    Path directory;

    private final FakeWinsock winsock = new FakeWinsock().waitingForPosts();
    private final FakeTransmitFile transmit = new FakeTransmitFile(winsock);

    /**
     * A Windows loop over the fakes whose TransmitFile finds a file's HANDLE with {@code handles}.
     * With the JDK's own (jdkHandles) there is none on Linux, or the JDK hides it: TransmitFile is
     * not available.
     */
    private WindowsEventLoop loop(ToLongFunction<FileChannel> handles) {
        IocpCompletionPort port = WindowsEventLoop.openPort(winsock);
        port.transmitFiles(new TransmitFiles(transmit, handles));
        return new WindowsEventLoop(port);
    }

    private Path file(int size) throws IOException {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (i * 7 + 1);
        }
        return Files.write(directory.resolve("data.bin"), data);
    }

    /** Runs {@code send} on a connected client transport; returns the first {@code expected} bytes the server received. */
    private static byte[] serveAndSend(WindowsEventLoop windowsLoop, int expected,
                                       Function<WriteTransport, Future<Long>> send, long[] sent) {
        return Asyncio.run(() -> {
            Future<byte[]> received = Asyncio.getRunningLoop().createFuture();
            Server server = Streams.startServer((reader, writer) -> {
                received.setResult(reader.readexactly(expected)); // the fake has no EOF on close
                writer.close();
            }, "127.0.0.1", 0).await();
            int port = ((InetSocketAddress) server.sockets().get(0).localAddress()).getPort();
            StreamConnection connection = Streams.openConnection("127.0.0.1", port).await();
            try {
                sent[0] = send.apply((WriteTransport) connection.writer().transport()).await();
            } finally {
                connection.writer().close();
            }
            byte[] bytes = received.await();
            server.close();
            server.waitClosed().await();
            return bytes;
        }, () -> windowsLoop);
    }

    @Test
    void sendfileIsTransmitFileFromTheOffsetAndMovesTheFilePositionPastWhatWasSent() throws IOException {
        Path path = file(10_000);
        long[] sent = {-1};
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
            byte[] received = serveAndSend(loop(transmit::handleOf), 5_000,
                    transport -> Asyncio.getRunningLoop().sendfile(transport, file, 3, 5_000L, false), sent);
            byte[] expected = java.util.Arrays.copyOfRange(Files.readAllBytes(path), 3, 5_003);
            assertArrayEquals(expected, received);
            assertEquals(5_000, sent[0]);
            assertEquals(5_003, file.position(), "the file's position after what was sent");
        }
        assertEquals(List.of("TransmitFile bytes=5000 offset=3"), transmit.calls);
    }

    @Test
    void withoutTheFilesHandleSendfileCopiesWhenAllowed() throws IOException {
        Path path = file(3_000);
        long[] sent = {-1};
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
            byte[] received = serveAndSend(loop(TransmitFiles.jdkHandles()), 3_000,
                    transport -> Asyncio.getRunningLoop().sendfile(transport, file, 0, null, true), sent);
            assertArrayEquals(Files.readAllBytes(path), received);
            assertEquals(3_000, sent[0]);
        }
        assertEquals(List.of(), transmit.calls, "no TransmitFile without a HANDLE");
    }

    @Test
    void withoutTheFilesHandleAndWithoutFallbackSendfileRaisesSendfileNotAvailable() throws IOException {
        Path path = file(100);
        long[] sent = {-1};
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
            byte[] received = serveAndSend(loop(TransmitFiles.jdkHandles()), 0, transport -> {
                EventLoop loop = Asyncio.getRunningLoop();
                SendfileNotAvailableError refused = assertThrows(SendfileNotAvailableError.class,
                        () -> loop.sendfile(transport, file, 0, null, false).await());
                assertTrue(refused.getMessage().contains("HANDLE"), refused.getMessage());
                Future<Long> none = loop.createFuture();
                none.setResult(0L);
                return none;
            }, sent);
            assertEquals(0, received.length);
            assertEquals(0, file.position());
        }
    }
}
