package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.transports.Connection;
import asyncio.api.transports.Server;
import asyncio.api.transports.Transport;
import asyncio.api.transports.TransportSocket;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;

/** TCP echo: what one side writes, in whatever shape, arrives at the other intact and in order. */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class})
class TcpEchoTest {

    @LoopTest
    void fixedSizeWritesEchoBackInOrder(LoopKind kind) {
        byte[] echoed = kind.run(() -> {
            try (Server server = Net.server(EchoProtocol::new)) {
                Connection<RecordingProtocol> client = Net.echoPair(server);
                for (int i = 0; i < 64; i++) {
                    client.transport().write(Net.patternChunk(i * 1024L, 1024));
                }
                byte[] result = client.protocol().awaitReceived(64 * 1024);
                client.transport().close();
                client.protocol().awaitLost();
                Net.closeAndWait(server);
                return result;
            }
        });
        assertArrayEquals(Net.patternBytes(64 * 1024), echoed);
    }

    @LoopTest
    void aStringEchoesBack(LoopKind kind) {
        String text = "Hello, wörld! ☃";
        String echoed = kind.run(() -> {
            try (Server server = Net.server(EchoProtocol::new)) {
                Connection<RecordingProtocol> client = Net.echoPair(server);
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                client.transport().write(bytes);
                byte[] result = client.protocol().awaitReceived(bytes.length);
                client.transport().close();
                client.protocol().awaitLost();
                Net.closeAndWait(server);
                return new String(result, StandardCharsets.UTF_8);
            }
        });
        assertEquals(text, echoed);
    }

    @LoopTest
    void writelinesSendsEveryBufferInOrder(LoopKind kind) {
        byte[] echoed = kind.run(() -> {
            try (Server server = Net.server(EchoProtocol::new)) {
                Connection<RecordingProtocol> client = Net.echoPair(server);
                List<ByteBuffer> lines = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    lines.add(Net.patternChunk(i * 100L, 100));
                }
                lines.add(3, ByteBuffer.allocate(0));
                client.transport().writelines(lines);
                assertTrue(lines.stream().noneMatch(ByteBuffer::hasRemaining), "writelines consumes its buffers");
                byte[] result = client.protocol().awaitReceived(100 * 100);
                client.transport().close();
                client.protocol().awaitLost();
                Net.closeAndWait(server);
                return result;
            }
        });
        assertArrayEquals(Net.patternBytes(100 * 100), echoed);
    }

    @LoopTest
    void theCallerMayReuseItsBufferAsSoonAsWriteReturns(LoopKind kind) {
        // Enough that the kernel cannot take it all at once, so the transport must keep a copy.
        int size = 8 * 1024 * 1024;
        byte[] echoed = kind.run(() -> {
            try (Server server = Net.server(EchoProtocol::new)) {
                Connection<RecordingProtocol> client = Net.echoPair(server);
                ByteBuffer data = Net.patternChunk(0, size);
                client.transport().write(data);
                assertFalse(data.hasRemaining(), "write consumes the buffer");
                assertTrue(client.transport().getWriteBufferSize() > 0, "the kernel took it all: the test proves nothing");
                data.clear();
                Arrays.fill(data.array(), (byte) 0);
                ByteBuffer tail = ByteBuffer.wrap(new byte[] {1, 2, 3});
                client.transport().writelines(List.of(tail));
                tail.clear().put(new byte[] {9, 9, 9});
                byte[] result = client.protocol().awaitReceived(size + 3);
                client.transport().close();
                client.protocol().awaitLost();
                Net.closeAndWait(server);
                return result;
            }
        });
        byte[] expected = Arrays.copyOf(Net.patternBytes(size), size + 3);
        expected[size] = 1;
        expected[size + 1] = 2;
        expected[size + 2] = 3;
        assertArrayEquals(expected, echoed);
    }

    @LoopTest
    void onlyTheBytesBetweenPositionAndLimitAreSentWhateverTheBufferKind(LoopKind kind) {
        byte[] echoed = kind.run(() -> {
            try (Server server = Net.server(EchoProtocol::new)) {
                Connection<RecordingProtocol> client = Net.echoPair(server);
                ByteBuffer heap = ByteBuffer.wrap(new byte[] {0, 1, 2, 3, 0}, 1, 3);
                ByteBuffer direct = ByteBuffer.allocateDirect(8).put(new byte[] {9, 4, 5, 9}).flip().position(1).limit(3);
                ByteBuffer readOnly = ByteBuffer.wrap(new byte[] {6, 7}).asReadOnlyBuffer();
                client.transport().write(heap);
                client.transport().write(direct);
                client.transport().write(readOnly);
                client.transport().writelines(List.of(ByteBuffer.wrap(new byte[] {8, 9, 10}, 1, 2).slice(),
                        ByteBuffer.allocateDirect(1).put((byte) 11).flip()));
                byte[] result = client.protocol().awaitReceived(10);
                client.transport().close();
                client.protocol().awaitLost();
                Net.closeAndWait(server);
                return result;
            }
        });
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 9, 10, 11}, echoed);
    }

    @LoopTest
    void anEmptyWriteSendsNothingAndBuffersNothing(LoopKind kind) {
        List<String> events = kind.run(() -> {
            try (Server server = Net.server(EchoProtocol::new)) {
                Connection<RecordingProtocol> client = Net.echoPair(server);
                client.transport().write(new byte[0]);
                client.transport().writelines(List.of());
                assertEquals(0, client.transport().getWriteBufferSize());
                client.transport().write(new byte[] {42});
                assertArrayEquals(new byte[] {42}, client.protocol().awaitReceived(1));
                client.transport().close();
                client.protocol().awaitLost();
                Net.closeAndWait(server);
                return client.protocol().events;
            }
        });
        assertEquals(List.of("made", "data", "lost"), events);
    }

    @LoopTest
    void bothSidesSeeTheirAddressesAndTheirChannel(LoopKind kind) {
        kind.run(() -> {
            Accepted<RecordingProtocol> accepted = new Accepted<>(RecordingProtocol::new);
            try (Server server = Net.server(accepted)) {
                Connection<RecordingProtocol> client = Net.echoPair(server);
                Transport serverSide = accepted.first().awaitMade();
                Transport clientSide = client.transport();
                InetSocketAddress serverAddress = Net.address(server);

                assertEquals(serverAddress, clientSide.getExtraInfo("peername"));
                assertEquals(serverAddress, serverSide.getExtraInfo("sockname"));
                assertEquals(clientSide.getExtraInfo("sockname"), serverSide.getExtraInfo("peername"));
                TransportSocket socket = assertInstanceOf(TransportSocket.class, clientSide.getExtraInfo("socket"));
                assertEquals(socket.localAddress(), clientSide.getExtraInfo("sockname"));
                assertEquals(serverAddress, socket.remoteAddress());
                assertNull(clientSide.getExtraInfo("no such key"));
                assertEquals("fallback", clientSide.getExtraInfo("no such key", "fallback"));
                assertTrue(socket.getOption(StandardSocketOptions.TCP_NODELAY), "asyncio turns Nagle off");
                assertTrue(((TransportSocket) serverSide.getExtraInfo("socket")).getOption(StandardSocketOptions.TCP_NODELAY));
                assertTrue(clientSide.canWriteEof());
                assertSame(client.protocol(), clientSide.getProtocol());

                clientSide.close();
                client.protocol().awaitLost();
                accepted.first().awaitLost();
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void setProtocolRoutesLaterDataToTheNewProtocol(LoopKind kind) {
        kind.run(() -> {
            try (Server server = Net.server(EchoProtocol::new)) {
                Connection<RecordingProtocol> client = Net.echoPair(server);
                client.transport().write(new byte[] {1});
                client.protocol().awaitReceived(1);
                RecordingProtocol second = new RecordingProtocol();
                client.transport().setProtocol(second);
                assertSame(second, client.transport().getProtocol());
                client.transport().write(new byte[] {2});
                assertArrayEquals(new byte[] {2}, second.awaitReceived(1));
                client.transport().close();
                second.awaitLost();
                assertEquals(List.of("made", "data"), client.protocol().events);
                assertEquals(List.of("data", "lost"), second.events);
                Net.closeAndWait(server);
            }
            return null;
        });
    }
}
