package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.EventLoopGroup;
import asyncio.api.GroupServer;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.Protocol;
import asyncio.api.transports.ServerOptions;
import asyncio.api.transports.Transport;
import asyncio.spi.BaseEventLoop;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtendWith;

/** EventLoopGroup: N loops on N threads serving one port, by reuse_port or by one acceptor, and their shutdown. */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class})
class EventLoopGroupTest {
    private static final int TIMEOUT_MILLIS = 10_000;

    /** Echoes, and counts its connections per loop (the loop it runs on is the one of its connection). */
    static class CountingEcho implements Protocol {
        private final Map<EventLoop, AtomicInteger> perLoop;
        private Transport transport;

        CountingEcho(Map<EventLoop, AtomicInteger> perLoop) {
            this.perLoop = perLoop;
        }

        @Override
        public void connectionMade(BaseTransport made) {
            transport = (Transport) made;
            perLoop.computeIfAbsent(Asyncio.getRunningLoop(), loop -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            transport.write(data);
        }
    }

    /** A blocking client with a read timeout: connects, sends one byte and waits for its echo. */
    private static Socket roundTrip(int port) throws IOException {
        Socket socket = new Socket();
        socket.setSoTimeout(TIMEOUT_MILLIS);
        socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
        socket.getOutputStream().write('x');
        assertEquals('x', socket.getInputStream().read());
        return socket;
    }

    private static List<Thread> groupThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("asyncio-group-")).toList();
    }

    private static void closeAll(List<Socket> sockets) throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    @LoopTest
    void withReusePortEachLoopListensAndTheKernelSpreadsTheConnections(LoopKind kind) throws IOException {
        Map<EventLoop, AtomicInteger> perLoop = new ConcurrentHashMap<>();
        List<Socket> clients = new ArrayList<>();
        try (EventLoopGroup group = EventLoopGroup.start(2, kind::newLoop)) {
            GroupServer server = group.createServer(() -> new CountingEcho(perLoop), "127.0.0.1", 0,
                    new ServerOptions().reusePort(true));
            assertTrue(server.reusePort());
            assertEquals(2, server.addresses().size(), "one listening socket per loop");
            // The kernel hashes each connection's addresses: 32 connections all on one of two
            // sockets has a chance of 2^-31.
            for (int i = 0; i < 32; i++) {
                clients.add(roundTrip(server.port()));
            }
            assertEquals(2, perLoop.size(), "loops that served connections: " + perLoop);
            assertTrue(group.loops().containsAll(perLoop.keySet()));
            assertEquals(32, perLoop.values().stream().mapToInt(AtomicInteger::get).sum());
        } finally {
            closeAll(clients);
        }
        assertEquals(List.of(), groupThreads(), "threads left after close");
    }

    @LoopTest
    void withoutReusePortTheFirstLoopAcceptsAndDealsConnectionsInTurn(LoopKind kind) throws IOException {
        Map<EventLoop, AtomicInteger> perLoop = new ConcurrentHashMap<>();
        List<Socket> clients = new ArrayList<>();
        try (EventLoopGroup group = EventLoopGroup.start(3, kind::newLoop)) {
            GroupServer server = group.createServer(() -> new CountingEcho(perLoop), "127.0.0.1", 0, new ServerOptions());
            assertFalse(server.reusePort());
            assertEquals(1, server.addresses().size(), "one listening socket");
            for (int i = 0; i < 6; i++) {
                clients.add(roundTrip(server.port()));
            }
            for (EventLoop loop : group.loops()) {
                assertEquals(2, perLoop.get(loop).get(), "connections of each of the 3 loops");
            }
        } finally {
            closeAll(clients);
        }
        assertEquals(List.of(), groupThreads(), "threads left after close");
    }

    @LoopTest
    void closeEndsTheConnectionsOfBothKindsOfServerAndEveryThread(LoopKind kind) throws IOException {
        List<Socket> clients = new ArrayList<>();
        try {
            EventLoopGroup group = EventLoopGroup.start(2, kind::newLoop);
            Map<EventLoop, AtomicInteger> perLoop = new ConcurrentHashMap<>();
            GroupServer sharing = group.createServer(() -> new CountingEcho(perLoop), "127.0.0.1", 0,
                    new ServerOptions().reusePort(true));
            GroupServer dealing = group.createServer(() -> new CountingEcho(perLoop), "127.0.0.1", 0, new ServerOptions());
            for (int i = 0; i < 4; i++) {
                clients.add(roundTrip(sharing.port()));
                clients.add(roundTrip(dealing.port()));
            }
            group.close();
            for (Socket client : clients) {
                InputStream in = client.getInputStream();
                assertEquals(-1, in.read(), "the server side closed the connection");
            }
            assertEquals(List.of(), groupThreads(), "threads left after close");
            assertTrue(group.loops().stream().allMatch(EventLoop::isClosed), "every loop is closed");
            group.close();
        } finally {
            closeAll(clients);
        }
    }

    /**
     * The acceptor's close waits for its handed connections by being told of each release, not by
     * polling: when a connection's protocol hears connection_lost (its socket closes right after,
     * in the same callback), no timer waits on that loop, so close returns within that loop turn.
     */
    @LoopTest
    void closeOfTheAcceptorIsToldOfEachClosedConnectionWithoutPolling(LoopKind kind) throws IOException {
        List<Integer> timersAtLoss = new CopyOnWriteArrayList<>();
        List<Socket> clients = new ArrayList<>();
        try (EventLoopGroup group = EventLoopGroup.start(2, kind::newLoop)) {
            Map<EventLoop, AtomicInteger> perLoop = new ConcurrentHashMap<>();
            GroupServer dealing = group.createServer(() -> new CountingEcho(perLoop) {
                @Override
                public void connectionLost(Throwable error) {
                    timersAtLoss.add(((BaseEventLoop) Asyncio.getRunningLoop()).scheduledTimerCount());
                }
            }, "127.0.0.1", 0, new ServerOptions());
            for (int i = 0; i < 2; i++) {
                clients.add(roundTrip(dealing.port()));
            }
            assertEquals(2, perLoop.size(), "one connection on each loop");
            dealing.close();
            assertEquals(List.of(0, 0), timersAtLoss, "timers waiting on the loop as each connection was lost");
            for (Socket client : clients) {
                assertEquals(-1, client.getInputStream().read(), "the server side closed the connection");
            }
        } finally {
            closeAll(clients);
        }
    }

    @LoopTest
    void anAddressInUseIsRaisedByCreateServerAndTheGroupStillCloses(LoopKind kind) throws IOException {
        try (ServerSocketChannel taken = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             EventLoopGroup group = EventLoopGroup.start(2, kind::newLoop)) {
            int port = ((InetSocketAddress) taken.getLocalAddress()).getPort();
            assertThrows(IOException.class, () -> group.createServer(() -> new Protocol() { }, "127.0.0.1", port,
                    new ServerOptions().reusePort(true)));
            assertThrows(IOException.class, () -> group.createServer(() -> new Protocol() { }, "127.0.0.1", port,
                    new ServerOptions()));
        }
        assertEquals(List.of(), groupThreads(), "threads left after close");
    }

    @LoopTest
    void aLoopThatCannotBeMadeFailsStartAndStopsTheOthers(LoopKind kind) {
        AtomicInteger made = new AtomicInteger();
        IllegalStateException refused = new IllegalStateException("no second loop");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> EventLoopGroup.start(3, () -> {
            if (made.incrementAndGet() == 2) {
                throw refused;
            }
            return kind.newLoop();
        }));
        assertSame(refused, thrown);
        assertEquals(List.of(), groupThreads(), "threads left after the failed start");
    }

    @LoopTest
    void blockingCallsFromALoopOfTheGroupAreRefused(LoopKind kind) throws Exception {
        EventLoopGroup group = EventLoopGroup.start(1, kind::newLoop);
        try {
            Throwable refused = Asyncio.runCoroutineThreadsafe(() -> {
                try {
                    group.close();
                    return null;
                } catch (IllegalStateException expected) {
                    return expected;
                }
            }, group.loops().get(0)).get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            assertTrue(refused instanceof IllegalStateException, "close from a loop thread: " + refused);
            assertTrue(refused.getMessage().contains("outside the group"), refused.getMessage());
        } finally {
            group.close();
        }
    }
}
