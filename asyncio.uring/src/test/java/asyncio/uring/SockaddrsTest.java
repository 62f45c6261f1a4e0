package asyncio.uring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The {@code sockaddr}s of the ring's datagram messages: Unix paths as well as IP addresses. */
class SockaddrsTest {
    private static ByteBuffer storage() {
        return ByteBuffer.allocateDirect(200).order(ByteOrder.nativeOrder());
    }

    @Test
    void aUnixPathGoesOutAsSockaddrUnAndComesBackTheSame() throws IOException {
        ByteBuffer buffer = storage();
        UnixDomainSocketAddress path = UnixDomainSocketAddress.of("/tmp/receiver.sock");
        int length = Sockaddrs.encode(path, false, buffer, 72);
        assertEquals(2 + "/tmp/receiver.sock".length() + 1, length);
        assertEquals(1, buffer.getShort(72), "AF_UNIX");
        assertEquals(path, Sockaddrs.decode(buffer, 72, length));
    }

    @Test
    void anUnnamedUnixSenderReadsAsTheEmptyPath() {
        ByteBuffer buffer = storage();
        assertEquals(UnixDomainSocketAddress.of(""), Sockaddrs.decode(buffer, 72, 0));
        buffer.putShort(72, (short) 1);
        assertEquals(UnixDomainSocketAddress.of(""), Sockaddrs.decode(buffer, 72, 2));
    }

    @Test
    void aUnixPathTooLongForSunPathIsRefused() {
        UnixDomainSocketAddress tooLong = UnixDomainSocketAddress.of("/" + "x".repeat(120));
        assertThrows(SocketException.class, () -> Sockaddrs.encode(tooLong, false, storage(), 0));
    }

    @Test
    void anIpv4AddressStillRoundTrips() throws IOException {
        ByteBuffer buffer = storage();
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 4242);
        int length = Sockaddrs.encode(address, false, buffer, 0);
        assertEquals(address, Sockaddrs.decode(buffer, 0, length));
    }
}
