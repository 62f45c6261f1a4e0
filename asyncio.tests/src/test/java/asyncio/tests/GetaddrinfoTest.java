package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code getaddrinfo}: names resolved off the loop, literals at once, filtered by family. */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class})
class GetaddrinfoTest {

    private static List<InetSocketAddress> resolve(String host, int port, StandardProtocolFamily family) {
        return Asyncio.getRunningLoop().getaddrinfo(host, port, family).await();
    }

    private static InetSocketAddress address(String literal, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(literal), port);
    }

    @LoopTest
    void localhostResolvesToTheLoopbackAddress(LoopKind kind) {
        kind.run(() -> {
            List<InetSocketAddress> addresses = resolve("localhost", 8080, null);
            assertTrue(addresses.stream().anyMatch(a -> a.getAddress().isLoopbackAddress() && a.getPort() == 8080), addresses.toString());
            assertTrue(addresses.stream().allMatch(a -> a.getAddress().isLoopbackAddress()), addresses.toString());
            return null;
        });
    }

    @LoopTest
    void literalsResolveToThemselves(LoopKind kind) {
        kind.run(() -> {
            assertEquals(List.of(address("127.0.0.1", 80)), resolve("127.0.0.1", 80, null));
            assertEquals(List.of(address("::1", 443)), resolve("::1", 443, null));
            assertEquals(List.of(address("::1", 443)), resolve("::1", 443, StandardProtocolFamily.INET6));
            return null;
        });
    }

    @LoopTest
    void aLiteralOfTheOtherFamilyIsAnError(LoopKind kind) {
        kind.run(() -> {
            Exception failure = assertThrows(Exception.class, () -> resolve("127.0.0.1", 80, StandardProtocolFamily.INET6));
            assertInstanceOf(UnknownHostException.class, failure);
            return null;
        });
    }

    @LoopTest
    void aNameWithAddressesOfBothFamiliesIsFilteredByFamily(LoopKind kind) {
        kind.run(() -> {
            String dual = TestHostsResolverProvider.DUAL;
            assertEquals(2, resolve(dual, 7, null).size());
            assertEquals(List.of(address("127.0.0.1", 7)), resolve(dual, 7, StandardProtocolFamily.INET));
            assertEquals(List.of(address("::1", 7)), resolve(dual, 7, StandardProtocolFamily.INET6));
            return null;
        });
    }

    @LoopTest
    void anUnknownNameFailsWithUnknownHostException(LoopKind kind) {
        kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Exception failure = assertThrows(Exception.class, () -> loop.getaddrinfo("nowhere.invalid", 80, null).await());
            assertInstanceOf(UnknownHostException.class, failure);
            return null;
        });
    }

    @LoopTest
    void aPortOutOfRangeIsRefused(LoopKind kind) {
        kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            assertThrows(IllegalArgumentException.class, () -> loop.getaddrinfo("127.0.0.1", 65536, null));
            assertThrows(IllegalArgumentException.class, () -> loop.getaddrinfo("127.0.0.1", -1, null));
            return null;
        });
    }
}
