package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.Task;
import asyncio.api.transports.Connection;
import asyncio.api.transports.Server;
import asyncio.api.transports.ServerOptions;
import asyncio.api.transports.TransportSocket;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code createServer} and {@code Server}: binding, serving, closing, and waiting for the connections. */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class})
class ServerTest {

    private static Server create(List<String> hosts, int port, ServerOptions options) {
        return Asyncio.getRunningLoop().createServer(EchoProtocol::new, hosts, port, options).await();
    }

    private static void assertRefused(int port) {
        Exception failure = assertThrows(Exception.class,
                () -> Asyncio.getRunningLoop().createConnection(RecordingProtocol::new, Net.LOCALHOST, port).await());
        assertInstanceOf(ConnectException.class, failure);
    }

    private static void echoOnce(Server server, String host) {
        Connection<RecordingProtocol> client = Asyncio.getRunningLoop()
                .createConnection(RecordingProtocol::new, host, Net.port(server)).await();
        client.transport().write(new byte[] {1, 2});
        assertArrayEquals(new byte[] {1, 2}, client.protocol().awaitReceived(2));
        client.transport().close();
        client.protocol().awaitLost();
    }

    @LoopTest
    void portZeroBindsAnEphemeralPortAndServesAtOnce(LoopKind kind) {
        kind.run(() -> {
            try (Server server = Net.server(EchoProtocol::new)) {
                assertTrue(server.isServing());
                assertSame(Asyncio.getRunningLoop(), server.getLoop());
                assertEquals(1, server.sockets().size());
                InetSocketAddress bound = (InetSocketAddress) server.sockets().get(0).localAddress();
                assertEquals(Net.LOCALHOST, bound.getAddress().getHostAddress());
                assertNotEquals(0, bound.getPort());
                echoOnce(server, Net.LOCALHOST);
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void severalHostsGetOneListeningSocketEach(LoopKind kind) {
        kind.run(() -> {
            try (Server server = create(List.of("127.0.0.1", "::1"), 0, new ServerOptions())) {
                assertEquals(2, server.sockets().size());
                InetSocketAddress first = (InetSocketAddress) server.sockets().get(0).localAddress();
                InetSocketAddress second = (InetSocketAddress) server.sockets().get(1).localAddress();
                assertInstanceOf(Inet4Address.class, first.getAddress());
                assertInstanceOf(Inet6Address.class, second.getAddress());
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void aNullHostServesBothFamilies(LoopKind kind) {
        kind.run(() -> {
            try (Server server = Asyncio.getRunningLoop().createServer(EchoProtocol::new, (String) null, 0).await()) {
                echoOnce(server, "127.0.0.1");
                echoOnce(server, "::1");
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void aNullHostWithAFamilyServesOnlyThatFamily(LoopKind kind) {
        kind.run(() -> {
            ServerOptions ipv4Only = new ServerOptions().family(java.net.StandardProtocolFamily.INET);
            try (Server server = create(null, 0, ipv4Only)) {
                echoOnce(server, "127.0.0.1");
                Exception failure = assertThrows(Exception.class, () -> Asyncio.getRunningLoop()
                        .createConnection(RecordingProtocol::new, "::1", Net.port(server)).await());
                assertInstanceOf(ConnectException.class, failure);
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void aTakenPortFailsWithAsyncioBindMessageUnlessReusePortIsOnEverywhere(LoopKind kind) {
        kind.run(() -> {
            try (Server first = create(List.of(Net.LOCALHOST), 0, new ServerOptions())) {
                int port = Net.port(first);
                Exception failure = assertThrows(Exception.class, () -> create(List.of(Net.LOCALHOST), port, new ServerOptions()));
                assertInstanceOf(BindException.class, failure);
                assertTrue(failure.getMessage().startsWith("error while attempting to bind on address "), failure.getMessage());
                assertTrue(failure.getMessage().contains(String.valueOf(port)), failure.getMessage());
                Net.closeAndWait(first);
            }
            try (Server first = create(List.of(Net.LOCALHOST), 0, new ServerOptions().reusePort(true))) {
                try (Server second = create(List.of(Net.LOCALHOST), Net.port(first), new ServerOptions().reusePort(true))) {
                    assertTrue(second.sockets().get(0).getOption(StandardSocketOptions.SO_REUSEPORT));
                    Net.closeAndWait(second);
                }
                Net.closeAndWait(first);
            }
            return null;
        });
    }

    @LoopTest
    void reuseAddressIsOnByDefaultAndCanBeTurnedOff(LoopKind kind) {
        kind.run(() -> {
            try (Server server = Net.server(EchoProtocol::new);
                 Server without = Net.server(EchoProtocol::new, new ServerOptions().reuseAddress(false))) {
                assertTrue(server.sockets().get(0).getOption(StandardSocketOptions.SO_REUSEADDR));
                assertFalse(without.sockets().get(0).getOption(StandardSocketOptions.SO_REUSEADDR));
                Net.closeAndWait(server);
                Net.closeAndWait(without);
            }
            return null;
        });
    }

    @LoopTest
    void keepAliveIsSetOnAcceptedConnections(LoopKind kind) {
        kind.run(() -> {
            Accepted<RecordingProtocol> accepted = new Accepted<>(RecordingProtocol::new);
            try (Server server = Net.server(accepted, new ServerOptions().keepAlive(true))) {
                Connection<RecordingProtocol> client = Net.echoPair(server);
                TransportSocket served = (TransportSocket) accepted.first().awaitMade().getExtraInfo("socket");
                assertTrue(served.getOption(StandardSocketOptions.SO_KEEPALIVE));
                client.transport().close();
                client.protocol().awaitLost();
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void aServerCreatedWithoutServingStartsOnRequest(LoopKind kind) {
        kind.run(() -> {
            try (Server server = Net.server(EchoProtocol::new, new ServerOptions().startServing(false))) {
                assertFalse(server.isServing());
                assertEquals(1, server.sockets().size());
                server.startServing().await();
                assertTrue(server.isServing());
                server.startServing().await();
                echoOnce(server, Net.LOCALHOST);
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void cancellingServeForeverClosesTheServer(LoopKind kind) {
        kind.run(() -> {
            Server server = Net.server(EchoProtocol::new, new ServerOptions().startServing(false));
            int port = Net.port(server);
            Task<Void> serving = Asyncio.createTask(() -> server.serveForever().await());
            Turns.pass(2);
            assertTrue(server.isServing());
            assertThrows(IllegalStateException.class, server::serveForever, "only one serveForever at a time");
            echoOnce(server, Net.LOCALHOST);

            serving.cancel();
            assertThrows(CancelledError.class, serving::await);
            assertFalse(server.isServing());
            assertEquals(List.of(), server.sockets());
            assertTrue(server.waitClosed().done());
            assertRefused(port);
            assertThrows(IllegalStateException.class, server::serveForever, "a closed server cannot serve");
            return null;
        });
    }

    @LoopTest
    void closingTheServerEndsServeForever(LoopKind kind) {
        kind.run(() -> {
            Server server = Net.server(EchoProtocol::new);
            Future<Void> serving = server.serveForever();
            Turns.pass(1);
            server.close();
            assertThrows(CancelledError.class, serving::await);
            return null;
        });
    }

    @LoopTest
    void closeStopsListeningButLeavesTheConnectionsOpenAndWaitClosedWaitsForThem(LoopKind kind) {
        kind.run(() -> {
            Server server = Net.server(EchoProtocol::new);
            int port = Net.port(server);
            Future<Void> waitedEarly = server.waitClosed();
            Connection<RecordingProtocol> client = Net.echoPair(server);
            client.transport().write(new byte[] {1});
            client.protocol().awaitReceived(1);

            server.close();
            server.close();
            assertFalse(server.isServing());
            assertEquals(List.of(), server.sockets());
            assertRefused(port);
            client.transport().write(new byte[] {2});
            assertArrayEquals(new byte[] {1, 2}, client.protocol().awaitReceived(2), "the connection still echoes");
            Future<Void> waitedLate = server.waitClosed();
            Turns.pass(3);
            assertFalse(waitedEarly.done());
            assertFalse(waitedLate.done());

            client.transport().close();
            client.protocol().awaitLost();
            Asyncio.waitFor(waitedEarly, RecordingProtocol.PATIENCE);
            Asyncio.waitFor(waitedLate, RecordingProtocol.PATIENCE);
            assertTrue(server.waitClosed().done(), "once closed and drained, waitClosed is done at once");
            return null;
        });
    }

    @LoopTest
    void afterCloseThePortRefusesConnectionsAtOnceWithoutAnotherIteration(LoopKind kind) {
        kind.run(() -> {
            Server server = Net.server(EchoProtocol::new);
            int port = Net.port(server);
            Turns.pass(1);

            server.close();

            // A blocking connect, so no loop iteration runs between the close and the attempt.
            try (java.net.Socket probe = new java.net.Socket()) {
                assertThrows(ConnectException.class, () -> probe.connect(new InetSocketAddress(Net.LOCALHOST, port), 5000));
            }
            return null;
        });
    }

    @LoopTest
    void closeClientsClosesEveryAcceptedConnection(LoopKind kind) {
        kind.run(() -> {
            Server server = Net.server(EchoProtocol::new);
            Connection<RecordingProtocol> first = Net.echoPair(server);
            Connection<RecordingProtocol> second = Net.echoPair(server);
            first.transport().write(new byte[] {1});
            first.protocol().awaitReceived(1);
            second.transport().write(new byte[] {1});
            second.protocol().awaitReceived(1);

            server.close();
            server.closeClients();
            assertNull(first.protocol().awaitLost());
            assertNull(second.protocol().awaitLost());
            assertEquals(List.of("made", "data", "eof", "lost"), first.protocol().events);
            Asyncio.waitFor(server.waitClosed(), RecordingProtocol.PATIENCE);
            return null;
        });
    }

    @LoopTest
    void abortClientsAbortsEveryAcceptedConnection(LoopKind kind) {
        kind.run(() -> {
            Accepted<EchoProtocol> accepted = new Accepted<>(EchoProtocol::new);
            Server server = Net.server(accepted);
            Connection<RecordingProtocol> client = Net.echoPair(server);
            client.transport().write(new byte[] {1});
            client.protocol().awaitReceived(1);

            server.close();
            server.abortClients();
            assertNull(Asyncio.waitFor(accepted.first().lost, RecordingProtocol.PATIENCE), "abort reports a plain loss");
            client.protocol().awaitLost();
            Asyncio.waitFor(server.waitClosed(), RecordingProtocol.PATIENCE);
            return null;
        });
    }

    @LoopTest
    void tryWithResourcesClosesTheServer(LoopKind kind) {
        kind.run(() -> {
            Server closed;
            try (Server server = Net.server(EchoProtocol::new)) {
                closed = server;
            }
            assertFalse(closed.isServing());
            assertEquals(List.of(), closed.sockets());
            Asyncio.waitFor(closed.waitClosed(), RecordingProtocol.PATIENCE);
            return null;
        });
    }

    @LoopTest
    void aBoundChannelCanBeServedInsteadOfAnAddress(LoopKind kind) {
        kind.run(() -> {
            ServerSocketChannel channel = ServerSocketChannel.open();
            channel.bind(new InetSocketAddress(Net.LOCALHOST, 0));
            EventLoop loop = Asyncio.getRunningLoop();
            ServerOptions options = new ServerOptions().sock(channel);
            assertThrows(IllegalArgumentException.class, () -> loop.createServer(EchoProtocol::new, Net.LOCALHOST, 0, options));
            try (Server server = loop.createServer(EchoProtocol::new, (List<String>) null, 0, options).await()) {
                assertSame(channel, server.sockets().get(0).channel().orElseThrow(), "the server keeps the channel it was given");
                echoOnce(server, Net.LOCALHOST);
                Net.closeAndWait(server);
            }
            assertFalse(channel.isOpen(), "closing the server closes the channel it was given");
            return null;
        });
    }
}
