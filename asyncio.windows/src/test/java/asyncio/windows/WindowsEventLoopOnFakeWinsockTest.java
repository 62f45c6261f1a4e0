package asyncio.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import asyncio.api.Asyncio;
import asyncio.api.Future;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.DatagramEndpoint;
import asyncio.api.transports.DatagramProtocol;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import asyncio.api.streams.StreamConnection;
import asyncio.api.streams.Streams;
import asyncio.api.transports.Server;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The whole Windows loop (server, connection, stream transports, close) over the scripted Winsock:
 * the glue between {@code ProactorEventLoop} and the IOCP port (socket families, listen, accept,
 * connect, addresses, options, shutdown) runs on Linux. Winsock itself is {@link FakeWinsock},
 * so this proves the Java side's use of it, not Windows.
 */
class WindowsEventLoopOnFakeWinsockTest {
    @Test
    void aStreamsEchoRoundTripRunsOnTheWindowsLoop() {
        FakeWinsock winsock = new FakeWinsock();
        String echoed = Asyncio.run(() -> {
            Server server = Streams.startServer((reader, writer) -> {
                byte[] line = reader.readline();
                writer.write(line);
                writer.drain();
                writer.close();
            }, "127.0.0.1", 0).await();
            int port = ((InetSocketAddress) server.sockets().get(0).localAddress()).getPort();
            StreamConnection connection = Streams.openConnection("127.0.0.1", port).await();
            connection.writer().write("hello iocp\n".getBytes(StandardCharsets.US_ASCII));
            connection.writer().drain();
            byte[] reply = connection.reader().read(100);
            connection.writer().close();
            connection.writer().waitClosed().await();
            server.close();
            server.waitClosed().await();
            return new String(reply, StandardCharsets.US_ASCII);
        }, () -> new WindowsEventLoop(WindowsEventLoop.openPort(winsock)));
        assertEquals("hello iocp\n", echoed);
    }

    /** Answers every datagram with the same bytes, to its sender. */
    private static final class Echo implements DatagramProtocol {
        private asyncio.api.transports.DatagramTransport transport;

        @Override
        public void connectionMade(BaseTransport made) {
            transport = (asyncio.api.transports.DatagramTransport) made;
        }

        @Override
        public void datagramReceived(ByteBuffer data, SocketAddress address) {
            transport.sendto(ByteBuffer.allocate(data.remaining()).put(data).flip(), address);
        }
    }

    /** Keeps the first datagram it gets. */
    private static final class First implements DatagramProtocol {
        final Future<String> received = Asyncio.getRunningLoop().createFuture();

        @Override
        public void datagramReceived(ByteBuffer data, SocketAddress address) {
            if (!received.done()) {
                received.setResult(StandardCharsets.US_ASCII.decode(data).toString());
            }
        }
    }

    @Test
    void aDatagramEchoRunsOnTheWindowsLoop() {
        FakeWinsock winsock = new FakeWinsock();
        String echoed = Asyncio.run(() -> {
            InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
            DatagramEndpoint<Echo> server = Asyncio.getRunningLoop()
                    .createDatagramEndpoint(Echo::new, loopback, null).await();
            SocketAddress serverAddress = (SocketAddress) server.transport().getExtraInfo("sockname");
            DatagramEndpoint<First> client = Asyncio.getRunningLoop()
                    .createDatagramEndpoint(First::new, loopback, null).await();
            client.transport().sendto("ping".getBytes(StandardCharsets.US_ASCII), serverAddress);
            String reply = client.protocol().received.await();
            client.transport().close();
            server.transport().close();
            return reply;
        }, () -> new WindowsEventLoop(WindowsEventLoop.openPort(winsock)));
        assertEquals("ping", echoed);
    }
}
