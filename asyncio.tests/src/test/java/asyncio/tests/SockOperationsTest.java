package asyncio.tests;

import static asyncio.tests.LoopbackPeers.ascii;
import static asyncio.tests.LoopbackPeers.text;
import static asyncio.tests.LoopbackPeers.within;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.Task;
import asyncio.api.transports.AcceptedSocket;
import asyncio.api.transports.ReceivedDatagram;
import asyncio.api.transports.ReceivedInto;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.extension.ExtendWith;

/** The raw socket coroutines: sock_recv, sock_sendall, sock_recvfrom, sock_sendto, sock_connect, sock_accept. */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class})
class SockOperationsTest {

    @LoopTest
    void sockRecvWaitsUntilDataArrives(LoopKind kind) throws IOException {
        try (LoopbackPeers.Pair pair = LoopbackPeers.tcpPair()) {
            pair.left().configureBlocking(false);
            String received = kind.run(() -> {
                Future<ByteBuffer> data = Asyncio.getRunningLoop().sockRecv(pair.left(), 100);
                // The loop polls the socket a few times: nothing came, so nothing is received.
                Turns.pass(5);
                assertFalse(data.done());
                pair.right().write(ascii("hello"));
                return text(within(data));
            });
            assertEquals("hello", received);
        }
    }

    @LoopTest
    void sockRecvGivesAnEmptyBufferAtEof(LoopKind kind) throws IOException {
        try (LoopbackPeers.Pair pair = LoopbackPeers.tcpPair()) {
            pair.left().configureBlocking(false);
            int size = kind.run(() -> {
                Future<ByteBuffer> data = Asyncio.getRunningLoop().sockRecv(pair.left(), 100);
                pair.right().shutdownOutput();
                return within(data).remaining();
            });
            assertEquals(0, size);
        }
    }

    @LoopTest
    void sockRecvIntoFillsTheBufferFromItsPosition(LoopKind kind) throws IOException {
        try (LoopbackPeers.Pair pair = LoopbackPeers.tcpPair()) {
            pair.left().configureBlocking(false);
            ByteBuffer buffer = ByteBuffer.allocate(16);
            buffer.put((byte) '>');
            int count = kind.run(() -> {
                Future<Integer> received = Asyncio.getRunningLoop().sockRecvInto(pair.left(), buffer);
                pair.right().write(ascii("abc"));
                return within(received);
            });
            assertEquals(3, count);
            assertEquals(">abc", text(buffer.flip()));
        }
    }

    @LoopTest
    void sockSendallSendsEverythingThoughTheKernelFillsUp(LoopKind kind) throws IOException {
        byte[] payload = new byte[4 * 1024 * 1024];
        new Random(4).nextBytes(payload);
        try (LoopbackPeers.Pair pair = LoopbackPeers.tcpPair()) {
            pair.left().configureBlocking(false);
            pair.right().configureBlocking(false);
            byte[] received = kind.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                ByteBuffer data = ByteBuffer.wrap(payload);
                Future<Void> sent = loop.sockSendall(pair.left(), data);
                assertFalse(sent.done(), "4 MiB should not fit the loopback buffers at once");
                ByteBuffer sink = ByteBuffer.allocate(payload.length);
                while (sink.hasRemaining()) {
                    within(loop.sockRecvInto(pair.right(), sink));
                }
                within(sent);
                assertFalse(data.hasRemaining());
                return sink.array();
            });
            assertArrayEquals(payload, received);
        }
    }

    @LoopTest
    void sockSendtoAndSockRecvfromCarryADatagramAndItsSender(LoopKind kind) throws IOException {
        try (DatagramChannel left = DatagramChannel.open(); DatagramChannel right = DatagramChannel.open()) {
            left.bind(LoopbackPeers.loopback(0)).configureBlocking(false);
            right.bind(LoopbackPeers.loopback(0)).configureBlocking(false);
            ReceivedDatagram datagram = kind.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Future<ReceivedDatagram> received = loop.sockRecvfrom(right, 1024);
                assertEquals(4, within(loop.sockSendto(left, ascii("ping"), right.getLocalAddress())));
                return within(received);
            });
            assertEquals("ping", text(datagram.data()));
            assertEquals(left.getLocalAddress(), datagram.address());
        }
    }

    @LoopTest
    void sockRecvfromIntoStoresAtMostNbytes(LoopKind kind) throws IOException {
        try (DatagramChannel left = DatagramChannel.open(); DatagramChannel right = DatagramChannel.open()) {
            left.bind(LoopbackPeers.loopback(0)).configureBlocking(false);
            right.bind(LoopbackPeers.loopback(0)).configureBlocking(false);
            ByteBuffer buffer = ByteBuffer.allocate(10);
            ReceivedInto into = kind.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Future<ReceivedInto> received = loop.sockRecvfromInto(right, buffer, 3);
                within(loop.sockSendto(left, ascii("abcdef"), right.getLocalAddress()));
                return within(received);
            });
            assertEquals(new ReceivedInto(3, left.getLocalAddress()), into);
            assertEquals("abc", text(buffer.flip()));
        }
    }

    @LoopTest
    void sockRecvfromIntoRefusesMoreBytesThanTheBufferHolds(LoopKind kind) throws IOException {
        try (DatagramChannel channel = DatagramChannel.open(); EventLoop loop = kind.newLoop()) {
            channel.configureBlocking(false);
            assertThrows(IllegalArgumentException.class, () -> loop.sockRecvfromInto(channel, ByteBuffer.allocate(2), 3));
        }
    }

    @LoopTest
    void sockConnectAndSockAcceptPairUp(LoopKind kind) throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open(); SocketChannel client = SocketChannel.open()) {
            listener.bind(LoopbackPeers.loopback(0)).configureBlocking(false);
            client.configureBlocking(false);
            AcceptedSocket accepted = kind.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Future<AcceptedSocket> incoming = loop.sockAccept(listener);
                within(loop.sockConnect(client, listener.getLocalAddress()));
                return within(incoming);
            });
            try (SocketChannel server = accepted.channel()) {
                assertFalse(server.isBlocking());
                assertEquals(client.getLocalAddress(), accepted.address());
                assertTrue(client.isConnected());
            }
        }
    }

    @LoopTest
    void sockConnectAfterACancelledSockConnectCompletesTheConnection(LoopKind kind) throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open();
             SocketChannel queued = SocketChannel.open();
             SocketChannel alsoQueued = SocketChannel.open();
             SocketChannel client = SocketChannel.open()) {
            // Backlog 1: Linux queues two connections, then drops SYNs, so the client's connect
            // stays in progress until a connection is accepted and its SYN is sent again (1 s).
            listener.bind(LoopbackPeers.loopback(0), 1);
            InetSocketAddress address = (InetSocketAddress) listener.getLocalAddress();
            queued.connect(address);
            alsoQueued.connect(address);
            client.configureBlocking(false);
            kind.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Future<Void> first = loop.sockConnect(client, address);
                assertFalse(first.done(), "the listener's queue is full: the connect is in progress");
                first.cancel();
                Asyncio.sleep(0);
                listener.accept().close();

                within(loop.sockConnect(client, address));
                return null;
            });
            assertTrue(client.isConnected());
        }
    }

    @LoopTest
    void sockConnectResolvesAnUnresolvedAddress(LoopKind kind) throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open(); SocketChannel client = SocketChannel.open()) {
            listener.bind(LoopbackPeers.loopback(0));
            client.configureBlocking(false);
            int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
            kind.run(() -> within(Asyncio.getRunningLoop().sockConnect(client,
                    InetSocketAddress.createUnresolved(InetAddress.getLoopbackAddress().getHostAddress(), port))));
            assertTrue(client.isConnected());
            listener.accept().close();
        }
    }

    @LoopTest
    void sockConnectToNothingFailsWithConnectCallFailed(LoopKind kind) throws IOException {
        InetSocketAddress nothing;
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(LoopbackPeers.loopback(0));
            nothing = (InetSocketAddress) probe.getLocalAddress();
        }
        try (SocketChannel client = SocketChannel.open()) {
            client.configureBlocking(false);
            ConnectException refused = kind.run(() -> assertThrows(ConnectException.class,
                    () -> within(Asyncio.getRunningLoop().sockConnect(client, nothing))));
            assertTrue(refused.getMessage().startsWith("Connect call failed"), refused.getMessage());
        }
    }

    @LoopTest
    void aBlockingSocketIsRefused(LoopKind kind) throws IOException {
        try (LoopbackPeers.Pair pair = LoopbackPeers.tcpPair(); EventLoop loop = kind.newLoop()) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> loop.sockRecv(pair.left(), 10));
            assertEquals("the socket must be non-blocking", refused.getMessage());
            assertThrows(IllegalArgumentException.class, () -> loop.sockSendall(pair.left(), ascii("x")));
        }
    }

    @LoopTest
    void cancellingSockRecvStopsWatchingTheSocket(LoopKind kind) throws IOException {
        try (LoopbackPeers.Pair pair = LoopbackPeers.tcpPair()) {
            pair.left().configureBlocking(false);
            boolean stillWatched = kind.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Future<ByteBuffer> data = loop.sockRecv(pair.left(), 10);
                data.cancel();
                Asyncio.sleep(0);
                Asyncio.sleep(0);
                return loop.removeReader(pair.left());
            });
            assertFalse(stillWatched);
        }
    }

    @LoopTest
    void cancellingTheTaskAwaitingSockAcceptCancelsIt(LoopKind kind) throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(LoopbackPeers.loopback(0)).configureBlocking(false);
            boolean stillWatched = kind.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Task<AcceptedSocket> waiting = Asyncio.createTask(() -> loop.sockAccept(listener).await());
                // Its first step runs before this task resumes, and ends waiting in sockAccept.
                Turns.pass(2);
                waiting.cancel();
                assertThrows(CancelledError.class, waiting::await);
                Asyncio.sleep(0);
                return loop.removeReader(listener);
            });
            assertFalse(stillWatched);
        }
    }

    @LoopTest
    void aSecondSockRecvTakesOverTheSocketAndCancellingTheFirstLeavesItAlone(LoopKind kind) throws IOException {
        // asyncio keeps one reader per socket: the second call replaces the first one's, which then
        // waits until cancelled; cancelling it must not unregister the second's reader.
        try (LoopbackPeers.Pair pair = LoopbackPeers.tcpPair()) {
            pair.left().configureBlocking(false);
            String received = kind.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Future<ByteBuffer> first = loop.sockRecv(pair.left(), 10);
                Future<ByteBuffer> second = loop.sockRecv(pair.left(), 10);
                first.cancel();
                Asyncio.sleep(0);
                Asyncio.sleep(0);
                pair.right().write(ascii("data"));
                return text(within(second));
            });
            assertEquals("data", received);
        }
    }

    @LoopTest
    void sockRecvOfZeroBytesCompletesAtOnce(LoopKind kind) throws IOException {
        try (LoopbackPeers.Pair pair = LoopbackPeers.tcpPair()) {
            pair.left().configureBlocking(false);
            byte[] received = kind.run(() -> {
                Future<ByteBuffer> data = Asyncio.getRunningLoop().sockRecv(pair.left(), 0);
                assertTrue(data.done());
                ByteBuffer buffer = data.result();
                return Arrays.copyOf(buffer.array(), buffer.remaining());
            });
            assertEquals(0, received.length);
        }
    }
}
