package asyncio.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.transports.AcceptedSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * addReader/addWriter and sock_accept on the Windows loop: its completion port on the scripted
 * Winsock, its readiness helper's WSAPoll on Linux's poll over real loopback sockets
 * ({@link PollOnLinux}), so the helper thread, its posts to the port (key 2), the level-triggered
 * re-arming and the wake-up socket all run for real; only WSAPoll itself is Linux's.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WindowsReadinessOnFakeWinsockTest {
    private static WindowsEventLoop loop(PollOnLinux poll) {
        return new WindowsEventLoop(WindowsEventLoop.openPort(new FakeWinsock().waitingForPosts()), poll);
    }

    /** A connected pair of the JDK's channels: {client, server}, the server's end non-blocking. */
    private static SocketChannel[] pair() throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketChannel client = SocketChannel.open(listener.getLocalAddress());
            SocketChannel server = listener.accept();
            server.configureBlocking(false);
            return new SocketChannel[] {client, server};
        }
    }

    @Test
    void aReaderIsCalledWhileItsSocketStaysReadableAndNoLongerOnceRemoved() throws IOException {
        SocketChannel[] pair = pair();
        PollOnLinux poll = new PollOnLinux();
        try (SocketChannel client = pair[0]; SocketChannel server = pair[1]) {
            String read = Asyncio.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Future<String> done = loop.createFuture();
                int[] calls = {0};
                loop.addReader(server, () -> {
                    // Level-triggered: not reading on the first two calls leaves it readable.
                    if (++calls[0] < 3) {
                        return;
                    }
                    ByteBuffer data = ByteBuffer.allocate(16);
                    try {
                        server.read(data);
                    } catch (IOException failed) {
                        done.setException(failed);
                        return;
                    }
                    assertTrue(loop.removeReader(server));
                    done.setResult(new String(data.array(), 0, data.position(), StandardCharsets.US_ASCII));
                });
                client.write(ByteBuffer.wrap("ready".getBytes(StandardCharsets.US_ASCII)));
                String result = done.await();
                // More bytes after removeReader: the reader must not run again.
                client.write(ByteBuffer.wrap("more".getBytes(StandardCharsets.US_ASCII)));
                // A check that something does not happen: give the loop polls in which it could.
                Asyncio.sleep(0.05);
                assertEquals(3, calls[0], "calls of the reader");
                assertFalse(loop.removeReader(server), "no reader left");
                return result;
            }, () -> loop(poll));
            assertEquals("ready", read);
        }
        assertTrue(poll.calls.size() >= 3, "WSAPoll calls: " + poll.calls);
    }

    @Test
    void aWriterRunsOnAConnectedSocketAndBothWatchesShareOneChannel() throws IOException {
        SocketChannel[] pair = pair();
        try (SocketChannel client = pair[0]; SocketChannel server = pair[1]) {
            List<String> order = Asyncio.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Future<List<String>> done = loop.createFuture();
                List<String> seen = new java.util.ArrayList<>();
                loop.addWriter(server, () -> {
                    seen.add("writable");
                    loop.removeWriter(server);
                    try {
                        client.write(ByteBuffer.wrap(new byte[] {1}));
                    } catch (IOException failed) {
                        done.setException(failed);
                    }
                });
                loop.addReader(server, () -> {
                    seen.add("readable");
                    loop.removeReader(server);
                    done.setResult(seen);
                });
                return done.await();
            }, () -> loop(new PollOnLinux()));
            assertEquals(List.of("writable", "readable"), order);
        }
    }

    @Test
    void sockAcceptHandsBackTheJdksChannelForAConnectionMadeLater() throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            listener.configureBlocking(false);
            String echoed = Asyncio.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Future<AcceptedSocket> accepting = loop.sockAccept(listener);
                assertFalse(accepting.done(), "nobody connected yet");
                try (SocketChannel client = SocketChannel.open(listener.getLocalAddress())) {
                    AcceptedSocket accepted = accepting.await();
                    try (SocketChannel server = accepted.channel()) {
                        assertFalse(server.isBlocking());
                        assertEquals(client.getLocalAddress(), accepted.address());
                        client.write(ByteBuffer.wrap("hi".getBytes(StandardCharsets.US_ASCII)));
                        ByteBuffer in = ByteBuffer.allocate(8);
                        Future<Void> readable = loop.createFuture();
                        loop.addReader(server, () -> {
                            loop.removeReader(server);
                            readable.setResult(null);
                        });
                        readable.await();
                        server.read(in);
                        return new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII);
                    }
                }
            }, () -> loop(new PollOnLinux()));
            assertEquals("hi", echoed);
        }
    }

    @Test
    void aCancelledSockAcceptStopsWatchingTheListener() throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            listener.configureBlocking(false);
            boolean watched = Asyncio.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Future<AcceptedSocket> accepting = loop.sockAccept(listener);
                accepting.cancel();
                Asyncio.sleep(0);
                return loop.removeReader(listener);
            }, () -> loop(new PollOnLinux()));
            assertFalse(watched, "the listener is still watched after the cancel");
        }
    }

    @Test
    void sockConnectLeavesTheJdksChannelConnectedToItsPeer() throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open();
             SocketChannel client = SocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            client.configureBlocking(false);
            Asyncio.run(() -> {
                Asyncio.getRunningLoop().sockConnect(client, listener.getLocalAddress()).await();
                return null;
            }, () -> loop(new PollOnLinux()));
            assertTrue(client.isConnected(), "the channel knows it is connected");
            assertEquals(listener.getLocalAddress(), client.getRemoteAddress());
            try (SocketChannel server = listener.accept()) {
                assertEquals(client.getLocalAddress(), server.getRemoteAddress());
            }
        }
    }

    @Test
    void aRefusedSockConnectFailsWithConnectException() throws IOException {
        InetSocketAddress closed;
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            closed = (InetSocketAddress) listener.getLocalAddress();
        }
        try (SocketChannel client = SocketChannel.open()) {
            client.configureBlocking(false);
            Class<?> failure = Asyncio.run(() -> {
                try {
                    Asyncio.getRunningLoop().sockConnect(client, closed).await();
                    return null;
                } catch (Exception refused) {
                    return refused.getClass(); // await rethrows the IOException unchecked
                }
            }, () -> loop(new PollOnLinux()));
            assertEquals(java.net.ConnectException.class, failure);
        }
    }

    @Test
    void withoutTheHelperAddReaderIsRefusedAsByAsyncioProactor() throws IOException {
        SocketChannel[] pair = pair();
        pair[0].close();
        try (SocketChannel server = pair[1]) {
            Asyncio.run(() -> {
                assertThrows(UnsupportedOperationException.class,
                        () -> Asyncio.getRunningLoop().addReader(server, () -> { }));
                return null;
            }, () -> new WindowsEventLoop(WindowsEventLoop.openPort(new FakeWinsock())));
        }
    }

    @Test
    void closingTheLoopStopsTheHelperThread() throws IOException {
        SocketChannel[] pair = pair();
        pair[0].close();
        try (SocketChannel server = pair[1]) {
            Thread[] helper = new Thread[1];
            java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
            Asyncio.run(() -> {
                Asyncio.getRunningLoop().addReader(server, () -> { });
                helper[0] = Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().equals("asyncio-wsapoll") && !before.contains(t)).findFirst()
                        .orElseThrow();
                return null;
            }, () -> loop(new PollOnLinux()));
            assertFalse(helper[0].isAlive(), "the WSAPoll thread outlived its loop");
        }
    }
}
