package asyncio.epoll;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NotYetConnectedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(NoDescriptorLeaks.class)
class NativeDatagramSocketTest {
    private final NativeIo io = new NativeIo();

    @AfterEach
    void releaseScratch() {
        io.close();
    }

    private NativeDatagramSocket bound(StandardProtocolFamily family) throws IOException {
        NativeDatagramSocket socket = NativeDatagramSocket.open(io, family);
        try {
            socket.bind(Loopback.loopback(StandardProtocolFamily.INET));
            return socket;
        } catch (IOException | RuntimeException failed) {
            socket.close();
            throw failed;
        }
    }

    private static SocketAddress receive(NativeDatagramSocket socket, ByteBuffer into) throws IOException {
        Readiness.readable(socket);
        SocketAddress sender = socket.receive(into);
        assertNotNull(sender, "readable socket had no datagram");
        return sender;
    }

    @Test
    void datagramsFromHeapAndDirectBuffersArriveWithTheirSender() throws IOException {
        try (NativeDatagramSocket receiver = bound(StandardProtocolFamily.INET);
             NativeDatagramSocket sender = bound(StandardProtocolFamily.INET)) {
            assertNull(receiver.receive(ByteBuffer.allocate(16)));
            ByteBuffer heap = ByteBuffer.wrap(new byte[] {1, 2, 3});
            assertTrue(sender.sendTo(heap, receiver.localAddress()));
            assertFalse(heap.hasRemaining());
            ByteBuffer direct = ByteBuffer.allocateDirect(2).put(new byte[] {4, 5}).flip();
            assertTrue(sender.sendTo(direct, receiver.localAddress()));
            ByteBuffer into = ByteBuffer.allocateDirect(16);
            assertEquals(sender.localAddress(), receive(receiver, into));
            assertEquals(3, into.position());
            ByteBuffer heapInto = ByteBuffer.allocate(16).position(1);
            assertEquals(sender.localAddress(), receive(receiver, heapInto));
            assertEquals(3, heapInto.position());
            assertArrayEquals(new byte[] {4, 5}, Arrays.copyOfRange(heapInto.array(), 1, 3));
        }
    }

    @Test
    void theRestOfADatagramLongerThanTheBufferIsLost() throws IOException {
        try (NativeDatagramSocket receiver = bound(StandardProtocolFamily.INET);
             NativeDatagramSocket sender = bound(StandardProtocolFamily.INET)) {
            sender.sendTo(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), receiver.localAddress());
            sender.sendTo(ByteBuffer.wrap(new byte[] {5}), receiver.localAddress());
            ByteBuffer small = ByteBuffer.allocate(2);
            receive(receiver, small);
            assertArrayEquals(new byte[] {1, 2}, small.array());
            ByteBuffer next = ByteBuffer.allocate(4);
            receive(receiver, next);
            assertEquals(1, next.position());
            assertEquals(5, next.get(0));
        }
    }

    @Test
    void emptyDatagramsCanBeSentConnectedOrNot() throws IOException {
        try (NativeDatagramSocket receiver = bound(StandardProtocolFamily.INET);
             NativeDatagramSocket connected = NativeDatagramSocket.open(io, StandardProtocolFamily.INET);
             NativeDatagramSocket unconnected = NativeDatagramSocket.open(io, StandardProtocolFamily.INET)) {
            connected.connect(receiver.localAddress());
            assertTrue(connected.send(ByteBuffer.allocate(0)));
            ByteBuffer into = ByteBuffer.allocate(8);
            assertEquals(connected.localAddress(), receive(receiver, into));
            assertEquals(0, into.position());
            assertTrue(unconnected.sendTo(ByteBuffer.allocateDirect(0), receiver.localAddress()));
            // Bound by its first send to the wildcard address, the sender is known by its port.
            InetSocketAddress from = (InetSocketAddress) receive(receiver, into);
            assertEquals(((InetSocketAddress) unconnected.localAddress()).getPort(), from.getPort());
            assertEquals(0, into.position());
        }
    }

    @Test
    void aDualStackSocketSeesIpv4SendersAsIpv4LikeNio() throws IOException {
        try (NativeDatagramSocket receiver = bound(null); NativeDatagramSocket sender = bound(StandardProtocolFamily.INET)) {
            InetSocketAddress local = (InetSocketAddress) receiver.localAddress();
            assertInstanceOf(Inet4Address.class, local.getAddress());
            sender.sendTo(ByteBuffer.wrap(new byte[] {7}), local);
            InetSocketAddress from = (InetSocketAddress) receive(receiver, ByteBuffer.allocate(4));
            assertInstanceOf(Inet4Address.class, from.getAddress());
            assertEquals(sender.localAddress(), from);
        }
    }

    @Test
    void anIcmpPortUnreachableSurfacesAsPortUnreachableExceptionLikeNio() throws IOException {
        SocketAddress nobody;
        try (NativeDatagramSocket gone = bound(StandardProtocolFamily.INET)) {
            nobody = gone.localAddress();
        }
        try (NativeDatagramSocket socket = NativeDatagramSocket.open(io, StandardProtocolFamily.INET)) {
            socket.connect(nobody);
            assertEquals(nobody, socket.remoteAddress());
            assertTrue(socket.send(ByteBuffer.wrap(new byte[] {1})));
            Readiness.readable(socket);
            assertThrows(PortUnreachableException.class, () -> socket.receive(ByteBuffer.allocate(4)));
        }
    }

    @Test
    void aConnectedSocketSendsOnlyToItsPeerAndAnUnconnectedOneCannotSendWithoutAddress() throws IOException {
        try (NativeDatagramSocket receiver = bound(StandardProtocolFamily.INET);
             NativeDatagramSocket other = bound(StandardProtocolFamily.INET);
             NativeDatagramSocket socket = NativeDatagramSocket.open(io, StandardProtocolFamily.INET)) {
            assertThrows(NotYetConnectedException.class, () -> socket.send(ByteBuffer.allocate(1)));
            socket.connect(receiver.localAddress());
            assertThrows(AlreadyConnectedException.class, () -> socket.connect(other.localAddress()));
            assertThrows(AlreadyConnectedException.class,
                    () -> socket.sendTo(ByteBuffer.allocate(1), other.localAddress()));
            assertTrue(socket.sendTo(ByteBuffer.wrap(new byte[] {3}), receiver.localAddress()));
            assertEquals(socket.localAddress(), receive(receiver, ByteBuffer.allocate(4)));
        }
    }

    @Test
    void connectingDropsTheDatagramsQueuedBeforeAsNioDoes() throws IOException {
        try (NativeDatagramSocket socket = bound(StandardProtocolFamily.INET);
             NativeDatagramSocket stranger = bound(StandardProtocolFamily.INET);
             NativeDatagramSocket peer = bound(StandardProtocolFamily.INET)) {
            stranger.sendTo(ByteBuffer.wrap(new byte[] {1}), socket.localAddress());
            peer.sendTo(ByteBuffer.wrap(new byte[] {2}), socket.localAddress());
            Readiness.readable(socket);
            socket.connect(peer.localAddress());
            assertNull(socket.receive(ByteBuffer.allocate(4)));
            peer.sendTo(ByteBuffer.wrap(new byte[] {3}), socket.localAddress());
            ByteBuffer into = ByteBuffer.allocate(4);
            assertEquals(peer.localAddress(), receive(socket, into));
            assertEquals(3, into.get(0));
        }
    }

    @Test
    void receivingOnAnUnboundSocketBindsItFirstAsNioDoes() throws IOException {
        try (NativeDatagramSocket socket = NativeDatagramSocket.open(io, StandardProtocolFamily.INET)) {
            assertNull(socket.localAddress());
            assertNull(socket.receive(ByteBuffer.allocate(4)));
            assertNotNull(socket.localAddress());
        }
    }

    @Test
    void unixDatagramsCarryTheSendersPathAndASendWithNoRoomConsumesNothing(@TempDir Path directory) throws IOException {
        UnixDomainSocketAddress receiverPath = UnixDomainSocketAddress.of(directory.resolve("r"));
        UnixDomainSocketAddress senderPath = UnixDomainSocketAddress.of(directory.resolve("s"));
        try (NativeDatagramSocket receiver = NativeDatagramSocket.open(io, StandardProtocolFamily.UNIX);
             NativeDatagramSocket sender = NativeDatagramSocket.open(io, StandardProtocolFamily.UNIX)) {
            receiver.bind(receiverPath);
            sender.bind(senderPath);
            assertTrue(sender.sendTo(ByteBuffer.wrap(new byte[] {1, 2}), receiverPath));
            ByteBuffer into = ByteBuffer.allocate(8);
            assertEquals(senderPath, receive(receiver, into));
            assertEquals(2, into.position());
            // A Unix datagram socket has no room once the receiver's queue is full: nothing is dropped.
            ByteBuffer datagram = ByteBuffer.allocate(1024);
            int sent = 0;
            while (sender.sendTo(datagram.clear(), receiverPath)) {
                sent++;
            }
            assertEquals(0, datagram.position());
            assertTrue(sent > 0);
        }
        assertTrue(Files.exists(receiverPath.getPath()), "closing does not unlink the path, as with NIO");
    }

    @Test
    void anUnnamedUnixSenderComesOutAsTheEmptyPath(@TempDir Path directory) throws IOException {
        UnixDomainSocketAddress receiverPath = UnixDomainSocketAddress.of(directory.resolve("r"));
        try (NativeDatagramSocket receiver = NativeDatagramSocket.open(io, StandardProtocolFamily.UNIX);
             NativeDatagramSocket sender = NativeDatagramSocket.open(io, StandardProtocolFamily.UNIX)) {
            receiver.bind(receiverPath);
            sender.connect(receiverPath);
            assertTrue(sender.send(ByteBuffer.allocate(0)));
            assertEquals(UnixDomainSocketAddress.of(""), receive(receiver, ByteBuffer.allocate(4)));
        }
    }

    @Test
    void aClosedSocketFailsEveryCallAsClosed() throws IOException {
        NativeDatagramSocket socket = NativeDatagramSocket.open(io, null);
        socket.close();
        socket.close();
        assertEquals(-1, socket.fd());
        assertThrows(ClosedChannelException.class, () -> socket.receive(ByteBuffer.allocate(1)));
        assertThrows(ClosedChannelException.class, () -> socket.send(ByteBuffer.allocate(1)));
        assertThrows(ClosedChannelException.class,
                () -> socket.sendTo(ByteBuffer.allocate(1), Loopback.loopback(StandardProtocolFamily.INET)));
        assertThrows(ClosedChannelException.class, () -> socket.bind(null));
        assertThrows(ClosedChannelException.class, socket::remoteAddress);
    }
}
