package asyncio.bench;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.Protocol;
import asyncio.api.transports.Server;
import asyncio.api.transports.ServerOptions;
import asyncio.api.transports.Transport;
import asyncio.api.transports.TransportSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The server half of {@code ScaleBench connections N}: an echo server on this JVM's loop, whose heap
 * is measured, and the clients in a second JVM ({@link ScaleClients}), so that neither their heap
 * nor their descriptors count here. The two talk over the child's stdin and stdout, a line each:
 * the child prints {@code READY}, {@code CONNECTED}, {@code VERIFIED bytes= failures=} and
 * {@code CLOSED}; it reads {@code CONNECT}, {@code ECHO} and {@code CLOSE}.
 */
final class ScaleConnections {
    /** Connections the child may have queued before the accept loop catches up. */
    private static final int BACKLOG = 4096;
    /** Seconds to wait for the last accepted connection after the child says all are connected. */
    private static final double ACCEPT_WAIT = 60;

    private ScaleConnections() {
    }

    static Void serve(ScaleBench.Options options) throws IOException, InterruptedException {
        EventLoop loop = Asyncio.getRunningLoop();
        int n = options.count();
        Server server = loop.createServer(Echo::new, "127.0.0.1", 0, new ServerOptions().backlog(BACKLOG)).await();
        Process child = startClients(boundPort(server), options);
        ScaleBench.Watchdog.onTimeout(child::destroyForcibly);
        try (BufferedReader from = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                Writer to = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8)) {
            // The baseline comes after the child, its pipes and the executor thread that reads them
            // exist: they are fixed costs, not the connections'.
            expect(from, "READY");
            long before = HeapMeter.usedAfterGc();
            send(to, "CONNECT");
            expect(from, "CONNECTED");
            double deadline = loop.time() + ACCEPT_WAIT;
            while (Echo.open < n && loop.time() < deadline) {
                Asyncio.sleep(0.01);
            }
            if (Echo.open != n) {
                throw new IllegalStateException("the client connected " + n + " but the server holds " + Echo.open);
            }
            long idle = HeapMeter.usedAfterGc() - before;
            ScaleBench.report("connections-idle", n, loop, "", idle, ScaleBench.CONNECTION_TARGET);

            send(to, "ECHO");
            String verified = expect(from, "VERIFIED");
            long afterEcho = HeapMeter.usedAfterGc() - before;
            ScaleBench.report("connections-idle-after-echo", n, loop, "", afterEcho, ScaleBench.CONNECTION_TARGET);

            send(to, "CLOSE");
            expect(from, "CLOSED");
            deadline = loop.time() + ACCEPT_WAIT;
            while (Echo.open > 0 && loop.time() < deadline) {
                Asyncio.sleep(0.01);
            }
            int status = Asyncio.toThread(child::waitFor).await();
            long bytes = Long.parseLong(field(verified, "bytes"));
            long failures = Long.parseLong(field(verified, "failures"));
            long expected = (long) n * options.bytes() * options.rounds();
            boolean ok = status == 0 && failures == 0 && bytes == expected && Echo.accepted == n && Echo.open == 0;
            System.out.println("RESULT kind=connections n=" + n + " loop=" + ScaleBench.loopName(loop)
                    + " client_loop=" + options.clientLoop() + " bytes_per_message=" + options.bytes()
                    + " rounds=" + options.rounds() + " verified_bytes=" + bytes + " expected_bytes=" + expected
                    + " failures=" + failures + " accepted=" + Echo.accepted + " open_after_close=" + Echo.open
                    + " client_status=" + status + " ok=" + ok);
        } finally {
            child.destroyForcibly();
            server.close();
        }
        return null;
    }

    /** The same program in {@code clients} mode, on the same JDK, class path and JVM flags. */
    private static Process startClients(int port, ScaleBench.Options options) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ScaleBench.class.getName(), "clients",
                "--port", Integer.toString(port), "--count", Integer.toString(options.count()),
                "--loop", options.clientLoop(), "--bytes", Integer.toString(options.bytes()),
                "--rounds", Integer.toString(options.rounds()),
                "--max-seconds", Double.toString(options.maxSeconds())));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** Reads the child's lines (off the loop thread) until one starts with {@code word}. */
    private static String expect(BufferedReader from, String word) {
        while (true) {
            String line = Asyncio.toThread(from::readLine).await();
            if (line == null) {
                throw new IllegalStateException("the client process ended before it said " + word);
            }
            if (line.startsWith(word)) {
                return line;
            }
            System.out.println("# client: " + line);
        }
    }

    private static void send(Writer to, String line) {
        try {
            to.write(line + "\n");
            to.flush();
        } catch (IOException error) {
            throw new UncheckedIOException(error);
        }
    }

    private static String field(String line, String key) {
        for (String word : line.split(" ")) {
            if (word.startsWith(key + "=")) {
                return word.substring(key.length() + 1);
            }
        }
        throw new IllegalStateException("no " + key + "= in " + line);
    }

    private static int boundPort(Server server) throws IOException {
        for (TransportSocket socket : server.sockets()) {
            if (socket.localAddress() instanceof InetSocketAddress address) {
                return address.getPort();
            }
        }
        throw new IllegalStateException("server has no TCP listening socket: " + server);
    }

    /**
     * EchoServer's protocol plus two counters. The counters are static, not per connection, so
     * that the protocol measured is the echo server's: one reference field.
     */
    static final class Echo implements Protocol {
        /** Touched on the loop thread only. */
        static int open;
        static int accepted;
        private Transport transport;

        @Override
        public void connectionMade(BaseTransport transport) {
            this.transport = (Transport) transport;
            open++;
            accepted++;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            transport.write(data);
        }

        @Override
        public void connectionLost(Throwable error) {
            open--;
        }
    }
}
