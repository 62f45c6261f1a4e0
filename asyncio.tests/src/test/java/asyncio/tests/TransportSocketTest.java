package asyncio.tests;

import static asyncio.tests.LoopbackPeers.ascii;
import static asyncio.tests.LoopbackPeers.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.Connection;
import asyncio.api.transports.DatagramEndpoint;
import asyncio.api.transports.Server;
import asyncio.api.transports.Transport;
import asyncio.api.transports.TransportSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ByteChannel;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NetworkChannel;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code getExtraInfo("socket")} and {@code Server.sockets()}: the {@link TransportSocket} view
 * of asyncio.trsock, which reads addresses and options of the socket its transport owns but
 * offers no I/O, and fails clearly once the owner has closed the socket.
 */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class})
class TransportSocketTest {

    private static TransportSocket socketOf(BaseTransport transport) {
        return assertInstanceOf(TransportSocket.class, transport.getExtraInfo("socket"));
    }

    /** The view's channel, when the loop has one, is the socket the view describes. */
    private static void assertChannelMatches(TransportSocket socket) throws Exception {
        if (socket.channel().isPresent()) {
            Channel channel = socket.channel().get();
            assertEquals(socket.isOpen(), channel.isOpen());
            if (channel.isOpen()) {
                assertEquals(socket.localAddress(), ((NetworkChannel) channel).getLocalAddress());
            }
        }
    }

    @LoopTest
    void aStreamSocketShowsBothEndsAndIsTheSameObjectOnEveryCall(LoopKind kind) {
        kind.run(() -> {
            Accepted<RecordingProtocol> accepted = new Accepted<>(RecordingProtocol::new);
            try (Server server = Net.server(accepted)) {
                Connection<RecordingProtocol> client = Net.echoPair(server);
                Transport clientSide = client.transport();
                Transport serverSide = accepted.first().awaitMade();
                TransportSocket mine = socketOf(clientSide);
                TransportSocket theirs = socketOf(serverSide);

                assertSame(mine, clientSide.getExtraInfo("socket"));
                assertSame(theirs, serverSide.getExtraInfo("socket"));
                assertFalse(mine instanceof ByteChannel, "the view offers no I/O");
                assertTrue(mine.isOpen());
                assertEquals(clientSide.getExtraInfo("sockname"), mine.localAddress());
                assertEquals(clientSide.getExtraInfo("peername"), mine.remoteAddress());
                assertEquals(Net.address(server), mine.remoteAddress());
                assertEquals(Net.address(server), theirs.localAddress());
                assertEquals(mine.localAddress(), theirs.remoteAddress());
                assertEquals(serverSide.getExtraInfo("peername"), theirs.remoteAddress());
                int port = ((InetSocketAddress) mine.localAddress()).getPort();
                assertTrue(mine.toString().contains(String.valueOf(port)), mine.toString());
                assertChannelMatches(mine);

                clientSide.close();
                client.protocol().awaitLost();
                accepted.first().awaitLost();
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void optionsRoundTripThroughTheView(LoopKind kind) {
        kind.run(() -> {
            Accepted<RecordingProtocol> accepted = new Accepted<>(RecordingProtocol::new);
            try (Server server = Net.server(accepted)) {
                Connection<RecordingProtocol> client = Net.echoPair(server);
                TransportSocket socket = socketOf(client.transport());

                assertTrue(socket.getOption(StandardSocketOptions.TCP_NODELAY), "asyncio turns Nagle off");
                socket.setOption(StandardSocketOptions.TCP_NODELAY, false);
                assertFalse(socket.getOption(StandardSocketOptions.TCP_NODELAY));
                socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
                assertTrue(socket.getOption(StandardSocketOptions.TCP_NODELAY));
                assertFalse(socket.getOption(StandardSocketOptions.SO_KEEPALIVE));
                socket.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
                assertTrue(socket.getOption(StandardSocketOptions.SO_KEEPALIVE));
                assertThrows(UnsupportedOperationException.class,
                        () -> socket.getOption(StandardSocketOptions.IP_MULTICAST_LOOP), "not an option of TCP");
                assertThrows(NullPointerException.class, () -> socket.getOption(null));

                TransportSocket served = socketOf(accepted.first().awaitMade());
                served.setOption(StandardSocketOptions.SO_LINGER, 7);
                assertEquals(7, served.getOption(StandardSocketOptions.SO_LINGER));

                client.transport().write(ascii("still serves"));
                accepted.first().awaitReceived(12);
                client.transport().close();
                client.protocol().awaitLost();
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void onceTheTransportClosedTheViewIsClosedAndRefusesUse(LoopKind kind) {
        kind.run(() -> {
            Accepted<RecordingProtocol> accepted = new Accepted<>(RecordingProtocol::new);
            try (Server server = Net.server(accepted)) {
                Connection<RecordingProtocol> client = Net.echoPair(server);
                TransportSocket socket = socketOf(client.transport());
                TransportSocket served = socketOf(accepted.first().awaitMade());
                assertTrue(socket.isOpen());

                client.transport().close();
                client.protocol().awaitLost();
                assertFalse(socket.isOpen());
                assertSame(socket, client.transport().getExtraInfo("socket"), "still the same view after close");
                assertThrows(ClosedChannelException.class, socket::localAddress);
                assertThrows(ClosedChannelException.class, socket::remoteAddress);
                assertThrows(ClosedChannelException.class, () -> socket.getOption(StandardSocketOptions.TCP_NODELAY));
                assertThrows(ClosedChannelException.class, () -> socket.setOption(StandardSocketOptions.TCP_NODELAY, true));
                assertChannelMatches(socket);
                assertTrue(socket.toString().contains("closed"), socket.toString());
                assertNotEquals(null, client.transport().getExtraInfo("sockname"), "the addresses read at connect stay");

                accepted.first().awaitLost();
                assertFalse(served.isOpen(), "the accepted side closes after the client's EOF");
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void serverSocketsAreTheSameViewsUntilTheServerClosesThemAll(LoopKind kind) {
        kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = within(loop.createServer(EchoProtocol::new, List.of("127.0.0.1", "::1"), 0,
                    new asyncio.api.transports.ServerOptions()));
            List<TransportSocket> sockets = server.sockets();
            assertEquals(2, sockets.size());
            assertSame(sockets.get(0), server.sockets().get(0));
            assertSame(sockets.get(1), server.sockets().get(1));
            sockets.clear();
            assertEquals(2, server.sockets().size(), "sockets() returns a copy");

            TransportSocket listening = server.sockets().get(0);
            assertTrue(listening.isOpen());
            assertEquals(new InetSocketAddress("127.0.0.1", Net.port(server)), listening.localAddress());
            assertNull(listening.remoteAddress(), "a listening socket has no peer");
            assertTrue(listening.getOption(StandardSocketOptions.SO_REUSEADDR));
            assertChannelMatches(listening);

            server.close();
            assertEquals(List.of(), server.sockets());
            assertFalse(listening.isOpen());
            assertThrows(ClosedChannelException.class, listening::localAddress);
            within(server.waitClosed());
            return null;
        });
    }

    @LoopTest
    void aDatagramSocketShowsItsAddressesAndOptions(LoopKind kind) {
        kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            DatagramEndpoint<DatagramTest.Recorder> server = within(loop.createDatagramEndpoint(
                    DatagramTest.Recorder::new, LoopbackPeers.loopback(0), null));
            SocketAddress serverAddress = (SocketAddress) server.transport().getExtraInfo("sockname");
            DatagramEndpoint<DatagramTest.Recorder> client = within(loop.createDatagramEndpoint(
                    DatagramTest.Recorder::new, null, serverAddress));
            TransportSocket unconnected = socketOf(server.transport());
            TransportSocket connected = socketOf(client.transport());

            assertSame(unconnected, server.transport().getExtraInfo("socket"));
            assertEquals(serverAddress, unconnected.localAddress());
            assertNull(unconnected.remoteAddress(), "an unconnected datagram socket has no peer");
            assertEquals(client.transport().getExtraInfo("sockname"), connected.localAddress());
            assertEquals(serverAddress, connected.remoteAddress());
            assertFalse(connected.getOption(StandardSocketOptions.SO_BROADCAST));
            connected.setOption(StandardSocketOptions.SO_BROADCAST, true);
            assertTrue(connected.getOption(StandardSocketOptions.SO_BROADCAST));
            assertChannelMatches(connected);

            client.transport().sendto(ascii("ping"));
            server.protocol().awaitDatagram();
            client.transport().close();
            server.transport().close();
            within(client.protocol().lost);
            within(server.protocol().lost);
            assertFalse(connected.isOpen());
            assertFalse(unconnected.isOpen());
            assertThrows(ClosedChannelException.class, () -> connected.getOption(StandardSocketOptions.SO_BROADCAST));
            return null;
        });
    }
}
