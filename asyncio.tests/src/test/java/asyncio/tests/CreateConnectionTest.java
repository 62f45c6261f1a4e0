package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.TaskGroup;
import asyncio.api.TimeoutError;
import asyncio.api.transports.Connection;
import asyncio.api.transports.ConnectionOptions;
import asyncio.api.transports.Server;
import asyncio.api.transports.ServerOptions;
import asyncio.api.transports.TransportSocket;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code createConnection}: refused and hanging attempts, cancellation, many clients at once,
 * local binding, an existing channel, and {@code connectAcceptedSocket}.
 */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class})
class CreateConnectionTest {

    /** A loopback port nobody listens on: bound once, then released. */
    static int closedPort() throws IOException {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress(Net.LOCALHOST, 0));
            return ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
    }

    @LoopTest
    void connectingToNothingRaisesConnectExceptionNamingTheAddress(LoopKind kind) {
        kind.run(() -> {
            ErrorRecorder errors = ErrorRecorder.on(Asyncio.getRunningLoop());
            int port = closedPort();
            Exception failure = assertThrows(Exception.class,
                    () -> Asyncio.getRunningLoop().createConnection(RecordingProtocol::new, Net.LOCALHOST, port).await());
            assertInstanceOf(ConnectException.class, failure);
            assertTrue(failure.getMessage().startsWith("Connect call failed "), failure.getMessage());
            assertTrue(failure.getMessage().contains("127.0.0.1") && failure.getMessage().contains(":" + port), failure.getMessage());
            assertEquals(List.of(), errors.contexts());
            return null;
        });
    }

    @LoopTest
    void cancellingAConnectInProgressClosesItsSocket(LoopKind kind) {
        kind.run(() -> {
            try (Server server = Net.server(EchoProtocol::new)) {
                Future<Connection<RecordingProtocol>> connecting =
                        Asyncio.getRunningLoop().createConnection(RecordingProtocol::new, Net.LOCALHOST, Net.port(server));
                connecting.cancel();
                assertThrows(CancelledError.class, connecting::await);
                // The class's descriptor check fails if the socket of the cancelled attempt stayed open.
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void waitForGivesUpOnAConnectThePeerNeverAnswers(LoopKind kind) {
        kind.run(() -> {
            // A listener that never accepts, with its queue full: further handshakes go unanswered.
            List<SocketChannel> fillers = new ArrayList<>();
            try (ServerSocketChannel listener = ServerSocketChannel.open()) {
                listener.bind(new InetSocketAddress(Net.LOCALHOST, 0), 1);
                InetSocketAddress address = (InetSocketAddress) listener.getLocalAddress();
                for (int i = 0; i < 4; i++) {
                    SocketChannel filler = SocketChannel.open();
                    fillers.add(filler);
                    filler.configureBlocking(false);
                    filler.connect(address);
                }
                EventLoop loop = Asyncio.getRunningLoop();
                double start = loop.time();
                assertThrows(TimeoutError.class, () -> Asyncio.waitFor(
                        loop.createConnection(RecordingProtocol::new, Net.LOCALHOST, address.getPort()), 0.2));
                assertTrue(loop.time() - start >= 0.2);
            } finally {
                for (SocketChannel filler : fillers) {
                    filler.close();
                }
            }
            return null;
        });
    }

    @LoopTest
    void twoHundredClientsConnectAtOnceAndAllEcho(LoopKind kind) {
        int clients = 200;
        List<byte[]> echoes = kind.run(() -> {
            // A backlog above the burst, so no handshake waits for a SYN retransmission.
            try (Server server = Net.server(EchoProtocol::new, new ServerOptions().backlog(clients + 56))) {
                List<Future<byte[]>> tasks = new ArrayList<>();
                TaskGroup.run(group -> {
                    for (int i = 0; i < clients; i++) {
                        int id = i;
                        tasks.add(group.createTask(() -> {
                            Connection<RecordingProtocol> client = Net.echoPair(server);
                            client.transport().write(ByteBuffer.allocate(4).putInt(id).flip());
                            byte[] echoed = client.protocol().awaitReceived(4);
                            client.transport().close();
                            client.protocol().awaitLost();
                            return echoed;
                        }));
                    }
                    return null;
                });
                Net.closeAndWait(server);
                List<byte[]> results = new ArrayList<>();
                for (Future<byte[]> task : tasks) {
                    results.add(task.result());
                }
                return results;
            }
        });
        for (int i = 0; i < clients; i++) {
            assertArrayEquals(ByteBuffer.allocate(4).putInt(i).array(), echoes.get(i), "client " + i);
        }
    }

    @LoopTest
    void localAddrBindsTheClientSocketFirst(LoopKind kind) {
        kind.run(() -> {
            try (Server server = Net.server(EchoProtocol::new)) {
                InetSocketAddress local = new InetSocketAddress(Net.LOCALHOST, closedPort());
                Connection<RecordingProtocol> client = Asyncio.getRunningLoop().createConnection(RecordingProtocol::new,
                        Net.LOCALHOST, Net.port(server), new ConnectionOptions().localAddr(local)).await();
                assertEquals(local, client.transport().getExtraInfo("sockname"));

                Exception taken = assertThrows(Exception.class, () -> Asyncio.getRunningLoop().createConnection(
                        RecordingProtocol::new, Net.LOCALHOST, Net.port(server), new ConnectionOptions().localAddr(local)).await());
                assertInstanceOf(BindException.class, taken);
                assertTrue(taken.getMessage().startsWith("error while attempting to bind on address "), taken.getMessage());

                client.transport().close();
                client.protocol().awaitLost();
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void aConnectedChannelCanBeGivenInsteadOfAnAddress(LoopKind kind) {
        kind.run(() -> {
            try (Server server = Net.server(EchoProtocol::new)) {
                SocketChannel channel = Net.plainClient(server);
                EventLoop loop = Asyncio.getRunningLoop();
                ConnectionOptions options = new ConnectionOptions().sock(channel);
                IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                        () -> loop.createConnection(RecordingProtocol::new, Net.LOCALHOST, Net.port(server), options));
                assertEquals("host/port and sock can not be specified at the same time", both.getMessage());

                Connection<RecordingProtocol> client = loop.createConnection(RecordingProtocol::new, null, 0, options).await();
                TransportSocket socket = (TransportSocket) client.transport().getExtraInfo("socket");
                assertSame(channel, socket.channel().orElseThrow(), "the transport keeps the channel it was given");
                assertEquals(channel.getLocalAddress(), socket.localAddress());
                client.transport().write(new byte[] {5});
                assertArrayEquals(new byte[] {5}, client.protocol().awaitReceived(1));
                client.transport().close();
                client.protocol().awaitLost();
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    @LoopTest
    void neitherAHostNorAChannelIsAnError(LoopKind kind) {
        kind.run(() -> {
            Exception failure = assertThrows(Exception.class,
                    () -> Asyncio.getRunningLoop().createConnection(RecordingProtocol::new, null, 0).await());
            assertInstanceOf(IllegalArgumentException.class, failure);
            assertEquals("host and port was not specified and no sock specified", failure.getMessage());
            return null;
        });
    }

    @LoopTest
    void connectAcceptedSocketServesAChannelAcceptedElsewhere(LoopKind kind) {
        kind.run(() -> {
            try (ServerSocketChannel listener = ServerSocketChannel.open()) {
                listener.bind(new InetSocketAddress(Net.LOCALHOST, 0));
                int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
                EventLoop loop = Asyncio.getRunningLoop();
                Connection<RecordingProtocol> client = loop.createConnection(RecordingProtocol::new, Net.LOCALHOST, port).await();
                SocketChannel accepted = listener.accept();
                Connection<EchoProtocol> served = loop.connectAcceptedSocket(EchoProtocol::new, accepted).await();
                assertSame(accepted, ((TransportSocket) served.transport().getExtraInfo("socket")).channel().orElseThrow());
                assertEquals(client.transport().getExtraInfo("sockname"), served.transport().getExtraInfo("peername"));

                client.transport().write("accepted elsewhere".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                assertEquals("accepted elsewhere", new String(client.protocol().awaitReceived(18),
                        java.nio.charset.StandardCharsets.US_ASCII));
                client.transport().close();
                client.protocol().awaitLost();
                Asyncio.waitFor(served.protocol().lost, RecordingProtocol.PATIENCE);
                assertTrue(!accepted.isOpen(), "the transport closes the channel it was given");
            }
            return null;
        });
    }
}
