package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.transports.Connection;
import asyncio.api.transports.ConnectionOptions;
import asyncio.api.transports.Server;
import asyncio.api.transports.ServerOptions;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A host with several addresses: each is tried in turn, or raced with Happy Eyeballs (RFC 8305),
 * in the order {@code interleave} gives; when all fail the errors are combined. The names resolve
 * through {@link TestHostsResolverProvider} to loopback addresses of both families.
 */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class})
class HappyEyeballsTest {
    private static final String V4 = "127.0.0.1";
    private static final String V4_OTHER = "127.0.0.2";
    private static final String V6 = "0:0:0:0:0:0:0:1";

    private static Server ipv6Server(int port) {
        return Asyncio.getRunningLoop().createServer(EchoProtocol::new, "::1", port, new ServerOptions()).await();
    }

    private static Connection<RecordingProtocol> connect(String host, int port, ConnectionOptions options) {
        return Asyncio.getRunningLoop().createConnection(RecordingProtocol::new, host, port, options).await();
    }

    private static void closeClient(Connection<RecordingProtocol> client) {
        client.transport().close();
        client.protocol().awaitLost();
    }

    /** The addresses in the order the failure message names them. */
    private static List<String> attemptOrder(String message) {
        List<String> order = new ArrayList<>();
        for (String part : message.split("Connect call failed ")) {
            for (String address : List.of(V4_OTHER, V4, V6)) {
                if (part.contains("/" + address + ":") || part.contains("/[" + address + "]:")) {
                    order.add(address);
                    break;
                }
            }
        }
        return order;
    }

    private static IOException failureOf(String host, int port, ConnectionOptions options) {
        Exception failure = assertThrows(Exception.class, () -> connect(host, port, options));
        return assertInstanceOf(IOException.class, failure);
    }

    @LoopTest
    void whenTheFirstAddressRefusesTheNextOneIsTried(LoopKind kind) {
        kind.run(() -> {
            try (Server server = ipv6Server(0)) {
                Connection<RecordingProtocol> client = connect(TestHostsResolverProvider.DUAL, Net.port(server),
                        new ConnectionOptions());
                InetSocketAddress peer = (InetSocketAddress) client.transport().getExtraInfo("peername");
                assertEquals(InetAddress.getByName("::1"), peer.getAddress());
                closeClient(client);
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void happyEyeballsStartsTheNextAttemptAtOnceWhenOneFails(LoopKind kind) {
        kind.run(() -> {
            try (Server server = ipv6Server(0)) {
                EventLoop loop = Asyncio.getRunningLoop();
                double start = loop.time();
                Connection<RecordingProtocol> client = connect(TestHostsResolverProvider.DUAL, Net.port(server),
                        new ConnectionOptions().happyEyeballsDelay(30.0));
                assertTrue(loop.time() - start < 10, "waited for the delay after a refusal");
                assertEquals(InetAddress.getByName("::1"),
                        ((InetSocketAddress) client.transport().getExtraInfo("peername")).getAddress());
                closeClient(client);
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void happyEyeballsStartsTheNextAttemptAfterTheDelayWhenOneHangs(LoopKind kind) {
        kind.run(() -> {
            List<SocketChannel> fillers = new ArrayList<>();
            // 127.0.0.1 takes no more handshakes (a full queue nobody accepts); ::1 answers on the same port.
            try (ServerSocketChannel stuck = ServerSocketChannel.open()) {
                stuck.bind(new InetSocketAddress(V4, 0), 1);
                InetSocketAddress stuckAddress = (InetSocketAddress) stuck.getLocalAddress();
                for (int i = 0; i < 4; i++) {
                    SocketChannel filler = SocketChannel.open();
                    fillers.add(filler);
                    filler.configureBlocking(false);
                    filler.connect(stuckAddress);
                }
                try (Server server = ipv6Server(stuckAddress.getPort())) {
                    EventLoop loop = Asyncio.getRunningLoop();
                    double start = loop.time();
                    Connection<RecordingProtocol> client = connect(TestHostsResolverProvider.DUAL, stuckAddress.getPort(),
                            new ConnectionOptions().happyEyeballsDelay(0.05));
                    assertTrue(loop.time() - start >= 0.05, "the second attempt started before the delay");
                    assertEquals(InetAddress.getByName("::1"),
                            ((InetSocketAddress) client.transport().getExtraInfo("peername")).getAddress());
                    closeClient(client);
                    Net.closeAndWait(server);
                }
            } finally {
                for (SocketChannel filler : fillers) {
                    filler.close();
                }
            }
            return null;
        });
    }

    @LoopTest
    void withoutInterleaveAddressesAreTriedInResolverOrderAndTheErrorsCombined(LoopKind kind) {
        kind.run(() -> {
            int port = CreateConnectionTest.closedPort();
            IOException failure = failureOf(TestHostsResolverProvider.TRIPLE, port, new ConnectionOptions());
            assertTrue(failure.getMessage().startsWith("Multiple exceptions: Connect call failed "), failure.getMessage());
            assertEquals(List.of(V4, V4_OTHER, V6), attemptOrder(failure.getMessage()));
            return null;
        });
    }

    @LoopTest
    void interleaveAlternatesTheFamiliesAfterTheFirstCountOfTheFirstFamily(LoopKind kind) {
        kind.run(() -> {
            int port = CreateConnectionTest.closedPort();
            String triple = TestHostsResolverProvider.TRIPLE;
            assertEquals(List.of(V4, V6, V4_OTHER),
                    attemptOrder(failureOf(triple, port, new ConnectionOptions().interleave(1)).getMessage()));
            assertEquals(List.of(V4, V4_OTHER, V6),
                    attemptOrder(failureOf(triple, port, new ConnectionOptions().interleave(2)).getMessage()));
            assertEquals(List.of(V4, V6, V4_OTHER),
                    attemptOrder(failureOf(triple, port, new ConnectionOptions().happyEyeballsDelay(0.25)).getMessage()),
                    "Happy Eyeballs interleaves by default");
            return null;
        });
    }

    @LoopTest
    void allErrorsRaisesEveryAttemptsError(LoopKind kind) {
        kind.run(() -> {
            int port = CreateConnectionTest.closedPort();
            IOException failure = failureOf(TestHostsResolverProvider.TRIPLE, port, new ConnectionOptions().allErrors(true));
            assertTrue(failure.getMessage().startsWith("create_connection failed"), failure.getMessage());
            assertEquals(3, failure.getSuppressed().length);
            for (Throwable each : failure.getSuppressed()) {
                assertInstanceOf(ConnectException.class, each);
            }
            return null;
        });
    }

    @LoopTest
    void aFamilyFilterLeavesOnlyThatFamilysAddresses(LoopKind kind) {
        kind.run(() -> {
            int port = CreateConnectionTest.closedPort();
            IOException failure = failureOf(TestHostsResolverProvider.TRIPLE, port,
                    new ConnectionOptions().family(StandardProtocolFamily.INET6));
            assertInstanceOf(ConnectException.class, failure, "one attempt: its own error, not a combination");
            assertEquals(List.of(V6), attemptOrder(failure.getMessage()));
            return null;
        });
    }
}
