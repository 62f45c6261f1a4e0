package asyncio.tests;

import static asyncio.tests.LoopbackPeers.within;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.Connection;
import asyncio.api.transports.Protocol;
import asyncio.api.transports.Server;
import asyncio.api.transports.Transport;
import asyncio.api.transports.TransportSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** loop.sendfile when the receiving peer goes away in the middle of the file. */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class})
class SendfilePeerCloseTest {
    private static final int SIZE = 16 * 1024 * 1024;
    private static final int CLOSE_AFTER = 1024;

    @TempDir
    Path directory;

    /** Closes its side once it has received {@link #CLOSE_AFTER} bytes; {@link #lost} completes at connectionLost. */
    static final class ClosingReceiver implements Protocol {
        final Future<Void> lost = Asyncio.getRunningLoop().createFuture();
        private Transport transport;
        private long received;

        @Override
        public void connectionMade(BaseTransport made) {
            transport = (Transport) made;
            try {
                ((TransportSocket) transport.getExtraInfo("socket")).setOption(StandardSocketOptions.SO_RCVBUF, 16 * 1024);
            } catch (IOException failed) {
                throw new java.io.UncheckedIOException(failed);
            }
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            received += data.remaining();
            data.position(data.limit());
            if (received >= CLOSE_AFTER) {
                transport.close();
            }
        }

        @Override
        public void connectionLost(Throwable error) {
            lost.setResult(null);
        }
    }

    @LoopTest
    void whenThePeerClosesMidwaySendfileRaisesAndTheTransportIsClosingAfterwards(LoopKind kind) throws IOException {
        Path path = Files.write(directory.resolve("data.bin"), new byte[SIZE]);
        try (FileChannel file = FileChannel.open(path)) {
            List<Object> outcome = kind.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Future<ClosingReceiver> accepted = loop.createFuture();
                Server server = within(loop.createServer(() -> {
                    ClosingReceiver receiver = new ClosingReceiver();
                    accepted.setResult(receiver);
                    return receiver;
                }, "127.0.0.1", 0));
                try {
                    int port = ((InetSocketAddress) server.sockets().get(0).localAddress()).getPort();
                    Connection<Protocol> client = within(loop.createConnection(() -> new Protocol() { }, "127.0.0.1", port));
                    ((TransportSocket) client.transport().getExtraInfo("socket"))
                            .setOption(StandardSocketOptions.SO_SNDBUF, 64 * 1024);
                    ClosingReceiver receiver = within(accepted);
                    Throwable failure = assertThrows(Throwable.class, () -> within(loop.sendfile(client.transport(), file)));
                    // Checked before the loop runs again: no later read may be needed to learn that the socket is dead.
                    boolean closing = client.transport().isClosing();
                    within(receiver.lost);
                    client.transport().close();
                    return List.of(failure, closing, file.position());
                } finally {
                    server.close();
                    within(server.waitClosed());
                }
            });
            assertTrue(outcome.get(0) instanceof IOException, "a connection error, got " + outcome.get(0));
            assertTrue((Boolean) outcome.get(1), "the transport is closing after the failed sendfile");
            long position = (Long) outcome.get(2);
            assertTrue(position >= CLOSE_AFTER && position < SIZE, "position " + position);
        }
    }
}
