package asyncio.bench;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.Task;
import asyncio.api.TimeoutError;
import asyncio.api.TimerHandle;
import asyncio.api.streams.StreamConnection;
import asyncio.api.streams.StreamReader;
import asyncio.api.streams.StreamWriter;
import asyncio.api.streams.Streams;
import asyncio.api.subprocess.Process;
import asyncio.api.subprocess.Subprocesses;
import asyncio.api.subprocess.SubprocessOptions;
import asyncio.api.transports.ConnectionOptions;
import asyncio.api.transports.DatagramEndpoint;
import asyncio.api.transports.DatagramProtocol;
import asyncio.api.transports.DatagramTransport;
import asyncio.api.transports.Server;
import asyncio.api.transports.ServerOptions;
import asyncio.api.transports.TransportSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.net.ssl.SSLContext;

/**
 * The mixed load of {@link Soak}: loopback servers (plain echo, TLS echo, a line protocol, UDP
 * echo) and lanes of client tasks that each repeat one kind of round until told to stop: new
 * connections with checked echoes, TLS sessions, lines with the occasional over-limit line,
 * datagrams, {@code cat} subprocesses, timer churn, and tasks cancelled at random awaits. Every
 * byte that comes back is compared with what was sent; a difference or an unexpected error is a
 * failure that {@link Soak} reports.
 */
final class SoakLoad {
    /** The line server's StreamReader limit: lines past it end the connection (asyncio's ValueError path). */
    private static final int LINE_LIMIT = 4096;
    private static final int MAX_DATAGRAM = 1400;
    private static final double ROUND_TIMEOUT = 30;
    /** TLS rounds per client context (see {@link SoakTls#newClient()}): sessions still resume within one. */
    private static final int ROUNDS_PER_CLIENT_CONTEXT = 200;

    private final EventLoop loop;
    private final SoakTls tls;
    private final SplittableRandom random = new SplittableRandom(20261206L);
    /** Rounds done per lane kind, in start order. */
    final Map<String, long[]> rounds = new LinkedHashMap<>();
    /** Descriptions of what went wrong (a wrong byte, an unexpected error), first ones kept. */
    final List<String> failures = new ArrayList<>();
    long failureCount;
    private final List<Server> servers = new ArrayList<>();
    private DatagramTransport udpServer;
    private int echoPort;
    private int tlsPort;
    private int linePort;
    private SocketAddress udpAddress;
    private volatile boolean stopping;
    private SSLContext clientTls;
    private int clientTlsRounds;

    SoakLoad(EventLoop loop, SoakTls tls) {
        this.loop = loop;
        this.tls = tls;
    }

    /** Starts the servers; call from a task on the loop. */
    void startServers() {
        Server echo = loop.createServer(EchoServer.ProtocolEcho::new, "127.0.0.1", 0, new ServerOptions()).await();
        Server tlsEcho = Streams.startServer(SoakLoad::echoStream, "127.0.0.1", 0, StreamReader.DEFAULT_LIMIT,
                new ServerOptions().ssl(tls.server())).await();
        Server lines = Streams.startServer(SoakLoad::echoLines, "127.0.0.1", 0, LINE_LIMIT, new ServerOptions()).await();
        servers.addAll(List.of(echo, tlsEcho, lines));
        echoPort = port(echo);
        tlsPort = port(tlsEcho);
        linePort = port(lines);
        DatagramEndpoint<UdpEcho> udp = loop.createDatagramEndpoint(UdpEcho::new,
                new InetSocketAddress("127.0.0.1", 0), null).await();
        udpServer = udp.transport();
        udpAddress = (SocketAddress) udpServer.getExtraInfo("sockname");
    }

    /** Starts the client lanes: {@code scale} copies of each network lane, one of each other kind. */
    List<Task<Void>> startLanes(int scale) {
        List<Task<Void>> lanes = new ArrayList<>();
        for (int i = 0; i < scale; i++) {
            lanes.add(lane("echo", this::echoRound));
            lanes.add(lane("tls", this::tlsRound));
            lanes.add(lane("lines", this::linesRound));
            lanes.add(lane("udp", this::udpRound));
        }
        lanes.add(lane("subprocess", this::subprocessRound));
        lanes.add(lane("timers", this::timersRound));
        lanes.add(lane("cancel", this::cancelRound));
        return lanes;
    }

    /** Lanes finish their current round and end; servers close (with their clients). */
    void stop(List<Task<Void>> lanes) {
        stopping = true;
        Asyncio.gather(true, lanes.toArray(new Task<?>[0])).await();
        for (Server server : servers) {
            server.close();
            server.abortClients();
            server.waitClosed().await();
        }
        udpServer.close();
        // Let the closed transports' connection_lost callbacks run before anyone counts.
        for (int i = 0; i < 4; i++) {
            Asyncio.sleep(0.01);
        }
    }

    private interface Round {
        void run() throws Exception;
    }

    private Task<Void> lane(String kind, Round round) {
        long[] count = rounds.computeIfAbsent(kind, k -> new long[1]);
        return loop.createTask(() -> {
            while (!stopping) {
                try {
                    Asyncio.waitFor(() -> {
                        round.run();
                        return null;
                    }, ROUND_TIMEOUT);
                    count[0]++;
                } catch (CancelledError cancelled) {
                    throw cancelled;
                } catch (Exception error) {
                    fail(kind + ": " + error);
                }
            }
            return null;
        });
    }

    private void fail(String what) {
        failureCount++;
        if (failures.size() < 20) {
            failures.add(what);
            System.err.println("soak: FAILURE " + what);
        }
    }

    private byte[] randomBytes(int max) {
        byte[] data = new byte[1 + random.nextInt(max)];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) random.nextInt(256);
        }
        return data;
    }

    private void expectSame(String kind, byte[] sent, byte[] received) {
        if (!Arrays.equals(sent, received)) {
            fail(kind + ": echo of " + sent.length + " bytes came back as " + received.length + " different bytes");
        }
    }

    /** A new plain connection, a few echoes of up to 64 KiB, a clean close. */
    private void echoRound() {
        StreamConnection connection = Streams.openConnection("127.0.0.1", echoPort).await();
        try {
            echoes("echo", connection, 1 + random.nextInt(8), 64 * 1024);
        } finally {
            closeWriter(connection.writer());
        }
    }

    /** A new TLS session (handshake, a few echoes of up to 16 KiB, close_notify). */
    private void tlsRound() {
        if (clientTls == null || ++clientTlsRounds % ROUNDS_PER_CLIENT_CONTEXT == 0) {
            clientTls = clientTls == null ? tls.client() : tls.newClient();
        }
        ConnectionOptions options = new ConnectionOptions().ssl(clientTls).serverHostname("localhost");
        StreamConnection connection = Streams.openConnection("127.0.0.1", tlsPort, StreamReader.DEFAULT_LIMIT, options)
                .await();
        try {
            echoes("tls", connection, 1 + random.nextInt(4), 16 * 1024);
        } finally {
            closeWriter(connection.writer());
        }
    }

    private void echoes(String kind, StreamConnection connection, int count, int maxSize) {
        for (int i = 0; i < count; i++) {
            byte[] message = randomBytes(maxSize);
            connection.writer().write(message);
            connection.writer().drain();
            expectSame(kind, message, connection.reader().readexactly(message.length));
        }
    }

    /** Lines under the server's limit come back; one round in 16 ends with a line past it, which ends the connection. */
    private void linesRound() {
        StreamConnection connection = Streams.openConnection("127.0.0.1", linePort).await();
        try {
            int count = 1 + random.nextInt(20);
            for (int i = 0; i < count; i++) {
                byte[] line = printableLine(1 + random.nextInt(LINE_LIMIT - 1));
                connection.writer().write(line);
                expectSame("lines", line, connection.reader().readline());
            }
            if (random.nextInt(16) == 0) {
                connection.writer().write(printableLine(LINE_LIMIT * 3));
                // The server gives up on the line and closes: we read until EOF, whatever it had echoed.
                while (connection.reader().read(64 * 1024).length > 0) {
                    continue;
                }
            }
        } finally {
            closeWriter(connection.writer());
        }
    }

    private byte[] printableLine(int length) {
        byte[] line = new byte[length];
        for (int i = 0; i < length - 1; i++) {
            line[i] = (byte) (' ' + random.nextInt(95));
        }
        line[length - 1] = '\n';
        return line;
    }

    /** A fresh UDP endpoint sends a burst of datagrams to the echo endpoint and waits for their return. */
    private void udpRound() {
        UdpClient client = new UdpClient(loop.createFuture());
        DatagramEndpoint<UdpClient> endpoint = loop.createDatagramEndpoint(() -> client,
                new InetSocketAddress("127.0.0.1", 0), udpAddress).await();
        try {
            int count = 1 + random.nextInt(16);
            client.expected = count;
            for (int i = 0; i < count; i++) {
                byte[] datagram = randomBytes(MAX_DATAGRAM);
                client.sent.add(datagram);
                endpoint.transport().sendto(ByteBuffer.wrap(datagram));
            }
            try {
                Asyncio.waitFor(client.allBack, 5.0);
            } catch (TimeoutError lost) {
                // Loopback UDP may drop under load: a loss is not a failure, a changed datagram is.
                rounds.computeIfAbsent("udp-timeouts", k -> new long[1])[0]++;
            }
            for (byte[] received : client.received) {
                if (client.sent.stream().noneMatch(sent -> Arrays.equals(sent, received))) {
                    fail("udp: a datagram came back changed");
                }
            }
        } finally {
            endpoint.transport().close();
        }
    }

    /** {@code cat} echoes a random input through its pipes and exits 0. */
    private void subprocessRound() {
        byte[] input = randomBytes(256 * 1024);
        Process process = Subprocesses.createSubprocessExec(List.of("cat"), SubprocessOptions.pipes()).await();
        Process.Output output = process.communicate(input);
        expectSame("subprocess", input, output.stdout());
        int code = process.waitFor();
        if (code != 0) {
            fail("subprocess: cat exited " + code);
        }
    }

    /** Schedules a burst of timers, cancels half of them, and checks exactly the others fired. */
    private void timersRound() {
        int count = 1 + random.nextInt(500);
        int[] fired = {0};
        List<TimerHandle> handles = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            handles.add(loop.callLater(random.nextDouble() * 0.05, () -> fired[0]++));
        }
        int cancelled = 0;
        for (int i = 0; i < count; i += 2) {
            handles.get(i).cancel();
            cancelled++;
        }
        Asyncio.sleep(0.06);
        if (fired[0] != count - cancelled) {
            fail("timers: " + fired[0] + " fired, expected " + (count - cancelled));
        }
    }

    /**
     * A task that connects to the line server and waits for a line that never comes is cancelled
     * at a random moment (while connecting, while reading); a second one is stopped by waitFor's
     * timeout. Either must end in CancelledError / TimeoutError and close its connection.
     */
    private void cancelRound() throws Exception {
        Task<Void> victim = loop.createTask(this::waitForSilence);
        Asyncio.sleep(random.nextDouble() * 0.02);
        victim.cancel();
        try {
            victim.await();
            fail("cancel: the cancelled task returned");
        } catch (CancelledError expected) {
            // what cancel() promises
        }
        try {
            Asyncio.waitFor(this::waitForSilence, random.nextDouble() * 0.02);
            fail("cancel: waitFor did not time out");
        } catch (TimeoutError expected) {
            // what wait_for promises
        }
    }

    private Void waitForSilence() {
        StreamConnection connection = Streams.openConnection("127.0.0.1", linePort).await();
        try {
            if (connection.reader().readline().length > 0) {
                fail("cancel: a line came from a silent server");
            }
        } finally {
            closeWriter(connection.writer());
        }
        return null;
    }

    /** Closes and waits for the close; a reset seen while closing is no failure of the round. */
    private static void closeWriter(StreamWriter writer) {
        writer.close();
        try {
            writer.waitClosed().await();
        } catch (CancelledError cancelled) {
            throw cancelled;
        } catch (Exception reset) {
            // Await throws a peer's IOException undeclared (docs/python-mapping.md); after a reset
            // the transport is closed all the same: nothing leaks.
        }
    }

    private static void echoStream(StreamReader reader, StreamWriter writer) {
        try {
            while (true) {
                byte[] data = reader.read(64 * 1024);
                if (data.length == 0) {
                    break;
                }
                writer.write(data);
                writer.drain();
            }
        } finally {
            writer.close();
        }
    }

    /** Echoes lines until EOF; a line past the limit or a cut line ends the connection, as in asyncio. */
    private static void echoLines(StreamReader reader, StreamWriter writer) {
        try {
            while (true) {
                byte[] line;
                try {
                    line = reader.readline();
                } catch (IllegalArgumentException tooLong) {
                    break;
                }
                if (line.length == 0) {
                    break;
                }
                writer.write(line);
                writer.drain();
            }
        } finally {
            writer.close();
        }
    }

    private static int port(Server server) {
        for (TransportSocket socket : server.sockets()) {
            try {
                if (socket.localAddress() instanceof InetSocketAddress address) {
                    return address.getPort();
                }
            } catch (IOException error) {
                throw new UncheckedIOException(error);
            }
        }
        throw new IllegalStateException("no TCP socket in " + server);
    }

    /** Sends every datagram back where it came from. */
    static final class UdpEcho implements DatagramProtocol {
        private DatagramTransport transport;

        @Override
        public void connectionMade(asyncio.api.transports.BaseTransport transport) {
            this.transport = (DatagramTransport) transport;
        }

        @Override
        public void datagramReceived(ByteBuffer data, SocketAddress address) {
            transport.sendto(data, address);
        }
    }

    /** Collects the echoed datagrams; completes {@code allBack} when as many came back as were sent. */
    static final class UdpClient implements DatagramProtocol {
        final Future<Void> allBack;
        final List<byte[]> sent = new ArrayList<>();
        final List<byte[]> received = new ArrayList<>();
        int expected = Integer.MAX_VALUE;

        UdpClient(Future<Void> allBack) {
            this.allBack = allBack;
        }

        @Override
        public void datagramReceived(ByteBuffer data, SocketAddress address) {
            byte[] copy = new byte[data.remaining()];
            data.get(copy);
            received.add(copy);
            if (received.size() >= expected && !allBack.done()) {
                allBack.setResult(null);
            }
        }
    }
}
