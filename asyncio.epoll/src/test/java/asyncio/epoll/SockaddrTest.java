package asyncio.epoll;

import static asyncio.epoll.ffi.Native.AF_INET;
import static asyncio.epoll.ffi.Native.AF_INET6;
import static asyncio.epoll.ffi.Native.AF_UNIX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SockaddrTest {
    private final NativeIo io = new NativeIo();

    @AfterEach
    void releaseScratch() {
        io.close();
    }

    private SocketAddress roundTrip(SocketAddress address, int family) throws SocketException {
        return Sockaddr.decode(io, Sockaddr.encode(io, address, family));
    }

    @Test
    void ipv4AndIpv6AddressesWithPortAndScopeSurviveARoundTrip() throws Exception {
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 65535);
        assertEquals(v4, roundTrip(v4, AF_INET));
        Inet6Address linkLocal = Inet6Address.getByAddress(null, InetAddress.getByName("fe80::1").getAddress(), 3);
        InetSocketAddress v6 = new InetSocketAddress(linkLocal, 8080);
        InetSocketAddress back = (InetSocketAddress) roundTrip(v6, AF_INET6);
        assertEquals(v6, back);
        assertEquals(3, ((Inet6Address) back.getAddress()).getScopeId());
    }

    @Test
    void ipv4OnADualStackSocketIsMappedAndComesBackAsIpv4ButTheWildcardBecomesTheIpv6One() throws Exception {
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 80);
        SocketAddress back = roundTrip(v4, AF_INET6);
        assertEquals(v4, back);
        assertInstanceOf(Inet4Address.class, ((InetSocketAddress) back).getAddress());
        InetSocketAddress any = (InetSocketAddress) roundTrip(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 1), AF_INET6);
        assertEquals(InetAddress.getByName("::"), any.getAddress());
    }

    @Test
    void theSameSenderDecodesToTheSameObjectWithoutAllocating() throws Exception {
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 5000);
        SocketAddress first = roundTrip(v4, AF_INET);
        assertSame(first, roundTrip(v4, AF_INET));
        assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 5001),
                roundTrip(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 5001), AF_INET));
    }

    @Test
    void unixPathsSurviveARoundTripAndTheUnnamedOneIsTheEmptyPath() throws Exception {
        UnixDomainSocketAddress path = UnixDomainSocketAddress.of("/tmp/sock\u00e9t");
        assertEquals(path, roundTrip(path, AF_UNIX));
        assertEquals(UnixDomainSocketAddress.of(""), Sockaddr.decode(io, 2));
        assertEquals(UnixDomainSocketAddress.of(""), Sockaddr.decode(io, 0));
        String longest = "/" + "p".repeat(106);
        assertEquals(UnixDomainSocketAddress.of(longest), roundTrip(UnixDomainSocketAddress.of(longest), AF_UNIX));
        assertThrows(SocketException.class, () -> Sockaddr.encode(io, UnixDomainSocketAddress.of(longest + "p"), AF_UNIX));
    }

    @Test
    void addressesASocketCannotTakeAreRefusedAsNioRefusesThem() throws Exception {
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 1);
        assertThrows(UnsupportedAddressTypeException.class, () -> Sockaddr.encode(io, v6, AF_INET));
        assertThrows(UnsupportedAddressTypeException.class, () -> Sockaddr.encode(io, v6, AF_UNIX));
        assertThrows(UnsupportedAddressTypeException.class,
                () -> Sockaddr.encode(io, UnixDomainSocketAddress.of("/x"), AF_INET6));
        assertThrows(UnresolvedAddressException.class,
                () -> Sockaddr.encode(io, InetSocketAddress.createUnresolved("example.org", 1), AF_INET6));
    }
}
