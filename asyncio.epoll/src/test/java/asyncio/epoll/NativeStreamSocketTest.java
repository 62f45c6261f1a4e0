package asyncio.epoll;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.NoConnectionPendingException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@ExtendWith(NoDescriptorLeaks.class)
class NativeStreamSocketTest {
    private final NativeIo io = new NativeIo();

    @AfterEach
    void releaseScratch() {
        io.close();
    }

    @ParameterizedTest
    @EnumSource(value = StandardProtocolFamily.class, names = {"INET", "INET6"})
    void bytesWrittenFromHeapOrDirectBuffersArriveInOrder(StandardProtocolFamily family) throws IOException {
        try (Loopback.Pair pair = Loopback.tcp(io, family)) {
            ByteBuffer heap = ByteBuffer.wrap("hello ".getBytes(US_ASCII));
            ByteBuffer direct = ByteBuffer.allocateDirect(5).put("world".getBytes(US_ASCII)).flip();
            assertEquals(6, pair.client().write(heap));
            assertEquals(5, pair.client().write(direct));
            assertEquals(6, heap.position());
            assertEquals(5, direct.position());
            assertEquals("hello world", new String(Loopback.readFully(pair.server(), 11), US_ASCII));
        }
    }

    @Test
    void readOnlyBuffersCanBeWrittenButNotReadInto() throws IOException {
        try (Loopback.Pair pair = Loopback.tcp(io, StandardProtocolFamily.INET)) {
            ByteBuffer heap = ByteBuffer.wrap(new byte[] {1, 2}).asReadOnlyBuffer();
            ByteBuffer direct = ByteBuffer.allocateDirect(2).put(new byte[] {3, 4}).flip().asReadOnlyBuffer();
            Loopback.writeFully(pair.client(), heap);
            Loopback.writeFully(pair.client(), direct);
            assertArrayEquals(new byte[] {1, 2, 3, 4}, Loopback.readFully(pair.server(), 4));
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> pair.server().read(ByteBuffer.allocate(4).asReadOnlyBuffer()));
            assertEquals("Read-only buffer", refused.getMessage());
        }
    }

    @Test
    void readAdvancesPositionOfHeapAndDirectBuffersLikeNio() throws IOException {
        try (Loopback.Pair pair = Loopback.tcp(io, StandardProtocolFamily.INET)) {
            Loopback.writeFully(pair.client(), ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6}));
            ByteBuffer direct = ByteBuffer.allocateDirect(10).position(2).limit(5);
            Readiness.readable(pair.server());
            assertEquals(3, pair.server().read(direct));
            assertEquals(5, direct.position());
            assertEquals(1, direct.get(2));
            ByteBuffer heap = ByteBuffer.allocate(10).position(7);
            assertEquals(3, pair.server().read(heap));
            assertEquals(10, heap.position());
            assertArrayEquals(new byte[] {4, 5, 6}, Arrays.copyOfRange(heap.array(), 7, 10));
        }
    }

    @Test
    void readReturnsZeroWhenNothingWaitsAndForAFullBuffer() throws IOException {
        try (Loopback.Pair pair = Loopback.tcp(io, StandardProtocolFamily.INET)) {
            assertEquals(0, pair.server().read(ByteBuffer.allocate(16)));
            assertEquals(0, pair.server().read(ByteBuffer.allocateDirect(16)));
            Loopback.writeFully(pair.client(), ByteBuffer.wrap(new byte[] {9}));
            Readiness.readable(pair.server());
            assertEquals(0, pair.server().read(ByteBuffer.allocate(0)));
            assertEquals(1, pair.server().read(ByteBuffer.allocate(4)));
        }
    }

    @Test
    void gatheringWriteSendsEveryBufferInOrderAndAdvancesEachPosition() throws IOException {
        try (Loopback.Pair pair = Loopback.tcp(io, StandardProtocolFamily.INET)) {
            ByteBuffer[] sources = {
                ByteBuffer.wrap(new byte[] {0}),                 // outside the range: untouched
                ByteBuffer.wrap(new byte[] {1, 2}),
                ByteBuffer.allocateDirect(3).put(new byte[] {3, 4, 5}).flip(),
                ByteBuffer.allocate(0),
                ByteBuffer.wrap(new byte[] {6, 7, 8, 9}, 1, 2),
            };
            assertEquals(7, pair.client().write(sources, 1, 4));
            assertEquals(0, sources[0].position());
            assertFalse(sources[1].hasRemaining());
            assertFalse(sources[2].hasRemaining());
            assertFalse(sources[4].hasRemaining());
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 7, 8}, Loopback.readFully(pair.server(), 7));
            assertEquals(0, pair.client().write(sources, 0, 0));
        }
    }

    @Test
    void aGatheringWriteOfMoreBuffersThanIovMaxWritesThePrefixItCouldPass() throws IOException {
        ByteBuffer[] sources = new ByteBuffer[NativeIo.IOV_MAX + 500];
        for (int i = 0; i < sources.length; i++) {
            sources[i] = i % 2 == 0 ? ByteBuffer.wrap(new byte[] {(byte) i}) : ByteBuffer.allocateDirect(1).put(0, (byte) i);
        }
        try (Loopback.Pair pair = Loopback.tcp(io, StandardProtocolFamily.INET)) {
            long written = pair.client().write(sources, 0, sources.length);
            assertEquals(NativeIo.IOV_MAX, written);
            assertFalse(sources[NativeIo.IOV_MAX - 1].hasRemaining());
            assertTrue(sources[NativeIo.IOV_MAX].hasRemaining());
            byte[] received = Loopback.readFully(pair.server(), NativeIo.IOV_MAX);
            for (int i = 0; i < received.length; i++) {
                assertEquals((byte) i, received[i]);
            }
        }
    }

    @Test
    void largeTransfersThroughHeapAndGatheredBuffersArriveIntactWhenTheKernelIsFull() throws IOException {
        byte[] data = new byte[3 * NativeIo.STAGING_SIZE + 12345];
        new Random(7).nextBytes(data);
        try (Loopback.Pair pair = Loopback.tcp(io, StandardProtocolFamily.INET)) {
            ByteBuffer half = ByteBuffer.wrap(data, 0, data.length / 2);
            ByteBuffer rest = ByteBuffer.allocateDirect(data.length - data.length / 2).put(data, data.length / 2,
                    data.length - data.length / 2).flip();
            ByteBuffer[] sources = {half, rest};
            ByteBuffer received = ByteBuffer.allocate(data.length);
            boolean sawFull = false;
            pair.client().setOption(StandardSocketOptions.SO_SNDBUF, 32 * 1024);
            while (received.hasRemaining()) {
                // Read only once the writer is stuck, so that the kernel does fill up.
                if (rest.hasRemaining() && pair.client().write(sources, 0, 2) > 0) {
                    continue;
                }
                sawFull |= rest.hasRemaining();
                if (pair.server().read(received) < 0) {
                    throw new AssertionError("early EOF");
                }
            }
            assertTrue(sawFull, "the kernel never reported itself full: the test proves less than it claims");
            assertArrayEquals(data, received.array());
        }
    }

    @Test
    void aFileTransfersThroughNativeWritableChannelAndStopsWhereTheKernelIsFull(@TempDir Path directory) throws IOException {
        byte[] data = new byte[2 * 1024 * 1024];
        new Random(11).nextBytes(data);
        Path path = Files.write(directory.resolve("data"), data);
        try (Loopback.Pair pair = Loopback.tcp(io, StandardProtocolFamily.INET);
             FileChannel file = FileChannel.open(path)) {
            pair.client().setOption(StandardSocketOptions.SO_SNDBUF, 32 * 1024);
            WritableByteChannel view = new NativeWritableChannel(pair.client());
            long sent = file.transferTo(0, data.length, view);
            assertTrue(sent > 0 && sent < data.length, "sent " + sent + " of " + data.length);
            ByteBuffer received = ByteBuffer.allocate(data.length);
            while (received.hasRemaining()) {
                if (sent < data.length) {
                    sent += file.transferTo(sent, data.length - sent, view);
                }
                pair.server().read(received);
            }
            assertArrayEquals(data, received.array());
            view.close();
            assertTrue(pair.client().isOpen(), "closing the view leaves the socket open");
        }
    }

    @Test
    void shutdownOutputDeliversEofToThePeerWhichCanStillAnswer() throws IOException {
        try (Loopback.Pair pair = Loopback.tcp(io, StandardProtocolFamily.INET)) {
            pair.client().shutdownOutput();
            Readiness.readable(pair.server());
            assertEquals(-1, pair.server().read(ByteBuffer.allocate(8)));
            assertEquals(-1, pair.server().read(ByteBuffer.allocate(8)));
            Loopback.writeFully(pair.server(), ByteBuffer.wrap(new byte[] {42}));
            assertArrayEquals(new byte[] {42}, Loopback.readFully(pair.client(), 1));
            assertThrows(ClosedChannelException.class, () -> pair.client().write(ByteBuffer.wrap(new byte[1])));
        }
    }

    @Test
    void resetByPeerFailsReadsWithConnectionResetAsNioDoesAndKeepsFailingThem() throws IOException {
        try (Loopback.Pair pair = Loopback.tcp(io, StandardProtocolFamily.INET)) {
            pair.server().setOption(StandardSocketOptions.SO_LINGER, 0);
            pair.server().close();
            Readiness.readable(pair.client());
            SocketException reset = assertThrows(SocketException.class, () -> pair.client().read(ByteBuffer.allocate(8)));
            assertEquals("Connection reset", reset.getMessage());
            SocketException again = assertThrows(SocketException.class, () -> pair.client().read(ByteBuffer.allocate(8)));
            assertEquals("Connection reset", again.getMessage());
        }
    }

    @Test
    void writesAfterAResetFailWithTheKernelsWordsAsNioDoes() throws IOException {
        try (Loopback.Pair pair = Loopback.tcp(io, StandardProtocolFamily.INET)) {
            pair.server().setOption(StandardSocketOptions.SO_LINGER, 0);
            pair.server().close();
            Readiness.readable(pair.client());
            IOException first = assertThrows(IOException.class, () -> pair.client().write(ByteBuffer.wrap(new byte[8])));
            assertEquals("Connection reset by peer", first.getMessage());
            IOException second = assertThrows(IOException.class, () -> pair.client().write(ByteBuffer.wrap(new byte[8])));
            assertEquals("Broken pipe", second.getMessage());
            IOException gathered = assertThrows(IOException.class,
                    () -> pair.client().write(new ByteBuffer[] {ByteBuffer.wrap(new byte[8])}, 0, 1));
            assertEquals("Broken pipe", gathered.getMessage());
        }
    }

    @Test
    void connectingToAPortNobodyListensOnFailsWithConnectExceptionAsNioDoes() throws IOException {
        // A bound stream socket that does not listen holds the port, and the kernel refuses connects to it.
        try (NativeStreamSocket holder = NativeStreamSocket.open(io, StandardProtocolFamily.INET);
             NativeStreamSocket client = NativeStreamSocket.open(io, StandardProtocolFamily.INET)) {
            holder.bind(Loopback.loopback(StandardProtocolFamily.INET));
            ConnectException refused = assertThrows(ConnectException.class, () -> {
                if (!client.connect(holder.localAddress())) {
                    Readiness.writable(client);
                    client.finishConnect();
                }
            });
            assertEquals("Connection refused", refused.getMessage());
            assertNull(client.remoteAddress());
        }
    }

    @Test
    void bindingAnAddressInUseFailsWithBindExceptionAsNioDoes() throws IOException {
        try (NativeListeningSocket first = NativeListeningSocket.open(io, StandardProtocolFamily.INET);
             NativeStreamSocket second = NativeStreamSocket.open(io, StandardProtocolFamily.INET)) {
            first.bind(Loopback.loopback(StandardProtocolFamily.INET), 1);
            BindException taken = assertThrows(BindException.class, () -> second.bind(first.localAddress()));
            assertEquals("Address already in use", taken.getMessage());
        }
    }

    @Test
    void addressesOfADualStackConnectionToIpv4ComeOutAsIpv4LikeNio() throws IOException {
        try (Loopback.Pair pair = Loopback.pair(io, null, Loopback.loopback(StandardProtocolFamily.INET))) {
            InetSocketAddress listening = (InetSocketAddress) pair.listener().localAddress();
            assertInstanceOf(Inet4Address.class, listening.getAddress());
            assertEquals(listening, pair.client().remoteAddress());
            assertEquals(listening, pair.server().localAddress());
            InetSocketAddress clientSide = (InetSocketAddress) pair.client().localAddress();
            assertInstanceOf(Inet4Address.class, clientSide.getAddress());
            assertEquals(clientSide, pair.server().remoteAddress());
        }
    }

    @Test
    void anUnconnectedSocketHasNoAddressesAndRefusesIoAsNioDoes() throws IOException {
        try (NativeStreamSocket socket = NativeStreamSocket.open(io, null)) {
            assertNull(socket.localAddress());
            assertNull(socket.remoteAddress());
            assertThrows(NotYetConnectedException.class, () -> socket.read(ByteBuffer.allocate(1)));
            assertThrows(NotYetConnectedException.class, () -> socket.write(ByteBuffer.allocate(1)));
            assertThrows(NotYetConnectedException.class, socket::shutdownOutput);
            assertNull(socket.channel());
        }
    }

    @Test
    void addressesTheSocketCannotTakeFailAsNioFails() throws IOException {
        try (NativeStreamSocket v4 = NativeStreamSocket.open(io, StandardProtocolFamily.INET)) {
            assertThrows(UnsupportedAddressTypeException.class,
                    () -> v4.connect(new InetSocketAddress(java.net.InetAddress.getByName("::1"), 1)));
            assertThrows(UnresolvedAddressException.class, () -> v4.connect(InetSocketAddress.createUnresolved("x", 1)));
            assertThrows(UnsupportedAddressTypeException.class,
                    () -> v4.connect(java.net.UnixDomainSocketAddress.of("/tmp/x")));
        }
    }

    @Test
    void bindingTwiceOrFinishingAConnectNeverStartedFailsAsNioDoes() throws IOException {
        try (NativeStreamSocket socket = NativeStreamSocket.open(io, StandardProtocolFamily.INET)) {
            assertThrows(NoConnectionPendingException.class, socket::finishConnect);
            socket.bind(null);
            assertEquals(0, ((InetSocketAddress) socket.localAddress()).getAddress().getAddress()[0]);
            assertThrows(AlreadyBoundException.class, () -> socket.bind(null));
        }
    }

    @Test
    void connectingAConnectedSocketFailsAsNioDoes() throws IOException {
        try (Loopback.Pair pair = Loopback.tcp(io, StandardProtocolFamily.INET)) {
            SocketAddress where = pair.listener().localAddress();
            assertThrows(AlreadyConnectedException.class, () -> pair.client().connect(where));
            pair.client().finishConnect();
        }
    }

    @Test
    void closeIsIdempotentAndLeavesNoDescriptorAndEveryCallThenFailsAsClosed() throws IOException {
        Loopback.Pair pair = Loopback.tcp(io, StandardProtocolFamily.INET);
        assertTrue(pair.client().isOpen());
        pair.close();
        pair.close();
        assertFalse(pair.client().isOpen());
        assertFalse(pair.listener().isOpen());
        NativeStreamSocket closed = pair.client();
        assertEquals(-1, closed.fd());
        assertEquals(-1, pair.listener().fd());
        assertThrows(ClosedChannelException.class, () -> closed.read(ByteBuffer.allocate(1)));
        assertThrows(ClosedChannelException.class, () -> closed.write(ByteBuffer.allocate(1)));
        assertThrows(ClosedChannelException.class, closed::localAddress);
        assertThrows(ClosedChannelException.class, closed::remoteAddress);
        assertThrows(ClosedChannelException.class, () -> closed.getOption(StandardSocketOptions.TCP_NODELAY));
        assertThrows(ClosedChannelException.class, () -> closed.setOption(StandardSocketOptions.TCP_NODELAY, true));
        assertThrows(ClosedChannelException.class, () -> pair.listener().accept());
    }

    @Test
    void manyConnectionsOpenedAndClosedLeaveNoDescriptorBehind() throws IOException {
        int before = NoDescriptorLeaks.ioDescriptors().size();
        for (int i = 0; i < 200; i++) {
            Loopback.tcp(io, StandardProtocolFamily.INET).close();
        }
        assertEquals(before, NoDescriptorLeaks.ioDescriptors().size());
    }
}
