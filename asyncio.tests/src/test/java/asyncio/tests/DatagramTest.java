package asyncio.tests;

import static asyncio.tests.LoopbackPeers.ascii;
import static asyncio.tests.LoopbackPeers.text;
import static asyncio.tests.LoopbackPeers.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.DatagramEndpoint;
import asyncio.api.transports.DatagramOptions;
import asyncio.api.transports.DatagramProtocol;
import asyncio.api.transports.DatagramTransport;
import asyncio.api.transports.TransportSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;

/** create_datagram_endpoint, DatagramTransport and DatagramProtocol over loopback UDP. */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class})
class DatagramTest {

    /** Records what the transport tells it; each datagram arrives as "text@sender". */
    static class Recorder implements DatagramProtocol {
        final List<String> events = new ArrayList<>();
        final List<String> datagrams = new ArrayList<>();
        final List<Exception> errors = new ArrayList<>();
        DatagramTransport transport;
        Future<Void> lost;
        private Future<String> nextDatagram;
        private Future<Exception> nextError;

        @Override
        public void connectionMade(BaseTransport made) {
            transport = (DatagramTransport) made;
            lost = Asyncio.getRunningLoop().createFuture();
            events.add("made");
        }

        @Override
        public void datagramReceived(ByteBuffer data, SocketAddress address) {
            String datagram = text(data) + "@" + address;
            datagrams.add(datagram);
            if (nextDatagram != null && !nextDatagram.done()) {
                nextDatagram.setResult(datagram);
            }
        }

        @Override
        public void errorReceived(Exception error) {
            errors.add(error);
            if (nextError != null && !nextError.done()) {
                nextError.setResult(error);
            }
        }

        @Override
        public void pauseWriting() {
            events.add("pause");
        }

        @Override
        public void resumeWriting() {
            events.add("resume");
        }

        @Override
        public void connectionLost(Throwable error) {
            events.add("lost " + error);
            lost.setResult(null);
        }

        /** The next datagram to arrive; call it before yielding to the loop. */
        String awaitDatagram() {
            nextDatagram = Asyncio.getRunningLoop().createFuture();
            return within(nextDatagram);
        }

        /** The next error reported; call it before yielding to the loop. */
        Exception awaitError() {
            nextError = Asyncio.getRunningLoop().createFuture();
            return within(nextError);
        }
    }

    /** Sends every datagram back to where it came from. */
    static final class Echo extends Recorder {
        @Override
        public void datagramReceived(ByteBuffer data, SocketAddress address) {
            ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data.duplicate()).flip();
            super.datagramReceived(data, address);
            transport.sendto(copy, address);
        }
    }

    private static DatagramEndpoint<Echo> echoServer(EventLoop loop) {
        return within(loop.createDatagramEndpoint(Echo::new, LoopbackPeers.loopback(0), null));
    }

    private static SocketAddress sockname(DatagramEndpoint<?> endpoint) {
        return (SocketAddress) endpoint.transport().getExtraInfo("sockname");
    }

    private static void closeAll(DatagramEndpoint<?>... endpoints) {
        for (DatagramEndpoint<?> endpoint : endpoints) {
            endpoint.transport().close();
        }
        for (DatagramEndpoint<?> endpoint : endpoints) {
            within(((Recorder) endpoint.protocol()).lost);
        }
    }

    @LoopTest
    void aConnectedClientGetsItsDatagramEchoed(LoopKind kind) {
        List<String> seen = kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            DatagramEndpoint<Echo> server = echoServer(loop);
            DatagramEndpoint<Recorder> client = within(loop.createDatagramEndpoint(Recorder::new, null, sockname(server)));
            client.transport().sendto(ascii("ping"));
            String echoed = client.protocol().awaitDatagram();
            closeAll(client, server);
            return List.of(echoed, String.join(",", client.protocol().events),
                    String.valueOf(client.transport().getExtraInfo("peername")), String.valueOf(sockname(server)));
        });
        assertEquals("ping@" + seen.get(3), seen.get(0));
        assertEquals("made,lost null", seen.get(1));
        assertEquals(seen.get(3), seen.get(2));
    }

    @LoopTest
    void anEmptyDatagramIsSentAndReceived(LoopKind kind) {
        String received = kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            DatagramEndpoint<Recorder> server = within(loop.createDatagramEndpoint(Recorder::new, LoopbackPeers.loopback(0), null));
            DatagramEndpoint<Recorder> client = within(loop.createDatagramEndpoint(Recorder::new, LoopbackPeers.loopback(0), null));
            client.transport().sendto(ByteBuffer.allocate(0), sockname(server));
            String datagram = server.protocol().awaitDatagram();
            closeAll(client, server);
            return datagram + " from " + sockname(client);
        });
        assertTrue(received.startsWith("@"), received);
        String[] parts = received.substring(1).split(" from ");
        assertEquals(parts[1], parts[0]);
    }

    @LoopTest
    void aConnectedEndpointRefusesAnotherAddress(LoopKind kind) throws IOException {
        InetSocketAddress elsewhere = LoopbackPeers.unusedUdpAddress();
        String message = kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            DatagramEndpoint<Echo> server = echoServer(loop);
            DatagramEndpoint<Recorder> client = within(loop.createDatagramEndpoint(Recorder::new, null, sockname(server)));
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> client.transport().sendto(ascii("x"), elsewhere));
            client.transport().sendto(ascii("same"), sockname(server));
            client.protocol().awaitDatagram();
            closeAll(client, server);
            return refused.getMessage();
        });
        assertTrue(message.startsWith("Invalid address"), message);
    }

    @LoopTest
    void portUnreachableOnAConnectedEndpointGoesToErrorReceived(LoopKind kind) throws IOException {
        InetSocketAddress nobody = LoopbackPeers.unusedUdpAddress();
        List<Object> outcome = kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            DatagramEndpoint<Recorder> client = within(loop.createDatagramEndpoint(Recorder::new, null, nobody));
            client.transport().sendto(ascii("anyone?"));
            Exception error = client.protocol().awaitError();
            boolean closing = client.transport().isClosing();
            closeAll(client);
            return List.of(error, closing);
        });
        assertInstanceOf(PortUnreachableException.class, outcome.get(0));
        assertEquals(false, outcome.get(1));
    }

    @LoopTest
    void allowBroadcastSetsTheOptionAndLeavesTheSocketUnconnected(LoopKind kind) {
        List<Object> outcome = kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            DatagramEndpoint<Echo> server = echoServer(loop);
            DatagramEndpoint<Recorder> client = within(loop.createDatagramEndpoint(Recorder::new, null, sockname(server),
                    new DatagramOptions().allowBroadcast(true)));
            TransportSocket socket = (TransportSocket) client.transport().getExtraInfo("socket");
            boolean broadcast = socket.getOption(StandardSocketOptions.SO_BROADCAST);
            Object peer = client.transport().getExtraInfo("peername");
            client.transport().sendto(ascii("to the default"));
            String echoed = client.protocol().awaitDatagram();
            closeAll(client, server);
            List<Object> result = new ArrayList<>();
            result.add(broadcast);
            result.add(peer);
            result.add(echoed.substring(0, echoed.indexOf('@')));
            return result;
        });
        assertEquals(true, outcome.get(0));
        assertNull(outcome.get(1));
        assertEquals("to the default", outcome.get(2));
    }

    @LoopTest
    void anExistingChannelCanBeUsed(LoopKind kind) throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        channel.bind(LoopbackPeers.loopback(0));
        String echoed = kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            DatagramEndpoint<Echo> server = echoServer(loop);
            DatagramEndpoint<Recorder> client = within(loop.createDatagramEndpoint(Recorder::new, null, null,
                    new DatagramOptions().sock(channel)));
            client.transport().sendto(ascii("mine"), sockname(server));
            String datagram = client.protocol().awaitDatagram();
            closeAll(client, server);
            return datagram;
        });
        assertTrue(echoed.startsWith("mine@"), echoed);
        assertFalse(channel.isOpen(), "the transport closes the channel it was given");
    }

    @LoopTest
    void socketOptionsCannotBeCombinedWithAnExistingChannel(LoopKind kind) throws IOException {
        try (DatagramChannel channel = DatagramChannel.open(); EventLoop loop = kind.newLoop()) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> loop.createDatagramEndpoint(Recorder::new, LoopbackPeers.loopback(0), null,
                            new DatagramOptions().sock(channel)));
            assertTrue(refused.getMessage().contains("local_addr="), refused.getMessage());
        }
    }

    @LoopTest
    void withoutAddressesAFamilyIsNeeded(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> loop.createDatagramEndpoint(Recorder::new, null, null));
            assertEquals("unexpected address family", refused.getMessage());
        }
    }

    @LoopTest
    void anUnboundEndpointOfAFamilyCanSendTo(LoopKind kind) {
        String echoed = kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            DatagramEndpoint<Echo> server = echoServer(loop);
            DatagramEndpoint<Recorder> client = within(loop.createDatagramEndpoint(Recorder::new, null, null,
                    new DatagramOptions().family(StandardProtocolFamily.INET)));
            client.transport().sendto(ascii("hello"), sockname(server));
            String datagram = client.protocol().awaitDatagram();
            closeAll(client, server);
            return datagram;
        });
        assertTrue(echoed.startsWith("hello@"), echoed);
    }

    @LoopTest
    void sendsAfterCloseAreDroppedAndConnectionLostComesOnce(LoopKind kind) {
        List<String> events = kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            DatagramEndpoint<Echo> server = echoServer(loop);
            DatagramEndpoint<Recorder> client = within(loop.createDatagramEndpoint(Recorder::new, null, sockname(server)));
            client.transport().close();
            client.transport().close();
            client.transport().abort();
            assertTrue(client.transport().isClosing());
            within(client.protocol().lost);
            client.transport().sendto(ascii("too late"));
            // A marker sent afterwards by another endpoint: the server's socket queues datagrams
            // in order, so once the marker is echoed a datagram sent before it would have come.
            DatagramEndpoint<Recorder> marker = within(loop.createDatagramEndpoint(Recorder::new, null, sockname(server)));
            marker.transport().sendto(ascii("marker"));
            marker.protocol().awaitDatagram();
            closeAll(marker, server);
            assertEquals(1, server.protocol().datagrams.size());
            assertTrue(server.protocol().datagrams.get(0).startsWith("marker@"), server.protocol().datagrams.toString());
            return client.protocol().events;
        });
        assertEquals(List.of("made", "lost null"), events);
    }

    @LoopTest
    void writeBufferLimitsDefaultToAsyncios(LoopKind kind) {
        List<Object> limits = kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            DatagramEndpoint<Recorder> client = within(loop.createDatagramEndpoint(Recorder::new, LoopbackPeers.loopback(0), null));
            List<Object> result = new ArrayList<>();
            result.add(client.transport().getWriteBufferLimits());
            client.transport().setWriteBufferLimits(null, 100);
            result.add(client.transport().getWriteBufferLimits());
            assertThrows(IllegalArgumentException.class, () -> client.transport().setWriteBufferLimits(1, 2));
            result.add(client.transport().getWriteBufferSize());
            closeAll(client);
            return result;
        });
        assertEquals(new asyncio.api.transports.WriteBufferLimits(16 * 1024, 64 * 1024), limits.get(0));
        assertEquals(new asyncio.api.transports.WriteBufferLimits(100, 400), limits.get(1));
        assertEquals(0, limits.get(2));
    }
}
