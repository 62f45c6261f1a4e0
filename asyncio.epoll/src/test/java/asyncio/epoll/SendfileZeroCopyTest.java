package asyncio.epoll;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.Runner;
import asyncio.api.transports.Connection;
import asyncio.api.transports.Protocol;
import asyncio.api.transports.Server;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * loop.sendfile on the epoll loop's own sockets is sendfile(2) from the file's descriptor: no byte
 * of the file passes through user space. The loop counts the bytes of each path.
 */
@ExtendWith(NoDescriptorLeaks.class)
class SendfileZeroCopyTest {
    private static final int SIZE = 8 * 1024 * 1024 + 5;

    @TempDir
    Path directory;

    /** Keeps what the server side receives; {@link #eof} completes when the client closes. */
    static final class Collector implements Protocol {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final Future<byte[]> eof = Asyncio.getRunningLoop().createFuture();

        @Override
        public void dataReceived(ByteBuffer data) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            bytes.writeBytes(chunk);
        }

        @Override
        public boolean eofReceived() {
            eof.setResult(bytes.toByteArray());
            return false;
        }
    }

    @Test
    void sendfileOnTheLoopsOwnSocketCopiesNothingThroughUserSpace() throws IOException {
        assertTrue(FileChannelDescriptors.available(),
                "the tests run with --add-opens java.base/sun.nio.ch=ALL-UNNAMED, which lets the loop read a file's descriptor");
        byte[] data = content();
        EpollEventLoop loop = new EpollEventLoop();
        byte[] received = sendOver(loop, data);
        assertArrayEquals(data, received);
        assertEquals(0, loop.sendfileBytesCopied(), "bytes copied through user space");
        assertEquals(SIZE, loop.sendfileBytesZeroCopy(), "bytes sent by sendfile(2)");
    }

    @Test
    void withoutTheFilesDescriptorTheJdkCopiesTheFile() throws IOException {
        byte[] data = content();
        EpollEventLoop loop = new EpollEventLoop();
        loop.zeroCopySendfile = false;
        byte[] received = sendOver(loop, data);
        assertArrayEquals(data, received);
        assertEquals(SIZE, loop.sendfileBytesCopied(), "bytes copied through user space");
        assertEquals(0, loop.sendfileBytesZeroCopy(), "bytes sent by sendfile(2)");
    }

    private static byte[] content() {
        byte[] data = new byte[SIZE];
        new Random(17).nextBytes(data);
        return data;
    }

    /** Sends {@code data} from a file with loop.sendfile over a loopback connection of {@code loop}; closes the loop. */
    private byte[] sendOver(EpollEventLoop loop, byte[] data) throws IOException {
        Path path = Files.write(directory.resolve("data.bin"), data);
        try (FileChannel file = FileChannel.open(path); Runner runner = new Runner(null, () -> loop)) {
            return runner.run(() -> {
                EventLoop running = Asyncio.getRunningLoop();
                Future<Collector> accepted = running.createFuture();
                Server server = running.createServer(() -> {
                    Collector collector = new Collector();
                    accepted.setResult(collector);
                    return collector;
                }, "127.0.0.1", 0).await();
                try {
                    int port = ((InetSocketAddress) server.sockets().get(0).localAddress()).getPort();
                    Connection<Protocol> client = running.<Protocol>createConnection(() -> new Protocol() { }, "127.0.0.1", port)
                            .await();
                    Collector collector = Asyncio.waitFor(accepted, 10);
                    long sent = Asyncio.waitFor(running.sendfile(client.transport(), file), 30);
                    assertEquals(SIZE, sent);
                    assertEquals(SIZE, file.position(), "the file's position after the bytes sent");
                    client.transport().close();
                    return Asyncio.waitFor(collector.eof, 10);
                } finally {
                    server.close();
                    server.waitClosed().await();
                }
            });
        }
    }
}
