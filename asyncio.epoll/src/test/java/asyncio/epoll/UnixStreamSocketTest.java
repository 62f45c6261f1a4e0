package asyncio.epoll;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(NoDescriptorLeaks.class)
class UnixStreamSocketTest {
    private final NativeIo io = new NativeIo();

    @AfterEach
    void releaseScratch() {
        io.close();
    }

    @Test
    void bytesFlowBothWaysAndAddressesComeOutAsNioGivesThem(@TempDir Path directory) throws IOException {
        UnixDomainSocketAddress path = UnixDomainSocketAddress.of(directory.resolve("s"));
        try (Loopback.Pair pair = Loopback.pair(io, StandardProtocolFamily.UNIX, path);
             ServerSocketChannel nioListener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            nioListener.bind(UnixDomainSocketAddress.of(directory.resolve("n")));
            try (SocketChannel nioClient = SocketChannel.open(nioListener.getLocalAddress());
                 SocketChannel nioServer = nioListener.accept()) {
                assertEquals(nioClient.getLocalAddress(), pair.client().localAddress());
                assertEquals(nioServer.getRemoteAddress(), pair.server().remoteAddress());
            }
            assertEquals(path, pair.listener().localAddress());
            assertEquals(path, pair.client().remoteAddress());
            assertEquals(path, pair.server().localAddress());
            Loopback.writeFully(pair.client(), ByteBuffer.wrap(new byte[] {1, 2, 3}));
            assertArrayEquals(new byte[] {1, 2, 3}, Loopback.readFully(pair.server(), 3));
            pair.server().shutdownOutput();
            Readiness.readable(pair.client());
            assertEquals(-1, pair.client().read(ByteBuffer.allocate(4)));
        }
    }

    @Test
    void aPathTooLongForSockaddrUnFailsAsNioFails() throws IOException {
        UnixDomainSocketAddress tooLong = UnixDomainSocketAddress.of("/tmp/" + "x".repeat(103));
        try (NativeListeningSocket socket = NativeListeningSocket.open(io, StandardProtocolFamily.UNIX)) {
            SocketException failure = assertThrows(SocketException.class, () -> socket.bind(tooLong, 1));
            assertEquals("Unix domain path too long", failure.getMessage());
        }
    }

    @Test
    void connectingToNoSuchPathOrBindingATakenOneFailsAsNioFails(@TempDir Path directory) throws IOException {
        UnixDomainSocketAddress path = UnixDomainSocketAddress.of(directory.resolve("s"));
        try (NativeStreamSocket client = NativeStreamSocket.open(io, StandardProtocolFamily.UNIX);
             NativeListeningSocket first = NativeListeningSocket.open(io, StandardProtocolFamily.UNIX);
             NativeListeningSocket second = NativeListeningSocket.open(io, StandardProtocolFamily.UNIX)) {
            SocketException missing = assertThrows(SocketException.class, () -> client.connect(path));
            assertEquals("No such file or directory", missing.getMessage());
            first.bind(path, 1);
            BindException taken = assertThrows(BindException.class, () -> second.bind(path, 1));
            assertEquals("Address already in use", taken.getMessage());
        }
    }

    @Test
    void bindingToNoAddressPicksAFreshTemporaryPathAsNioDoes() throws IOException {
        try (NativeListeningSocket socket = NativeListeningSocket.open(io, StandardProtocolFamily.UNIX)) {
            socket.bind(null, 1);
            Path chosen = ((UnixDomainSocketAddress) socket.localAddress()).getPath();
            try {
                assertTrue(chosen.getFileName().toString().startsWith("socket_"), chosen.toString());
                assertTrue(Files.exists(chosen));
            } finally {
                Files.deleteIfExists(chosen);
            }
        }
    }
}
