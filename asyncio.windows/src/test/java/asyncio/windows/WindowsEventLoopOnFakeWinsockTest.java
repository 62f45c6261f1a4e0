package asyncio.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import asyncio.api.Asyncio;
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
}
