package asyncio.examples;

import asyncio.api.Asyncio;
import asyncio.api.Task;
import asyncio.api.streams.StreamConnection;
import asyncio.api.streams.StreamReader;
import asyncio.api.streams.StreamWriter;
import asyncio.api.streams.Streams;
import asyncio.api.sync.Held;
import asyncio.api.sync.Semaphore;
import asyncio.api.transports.Server;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Semaphore} limiting concurrent connections: ten clients start at once, but each
 * must hold one of three permits while connected, so no more than three connections to the
 * local echo server the example starts are ever open at a time.
 */
public final class SemaphoreLimitConnections {
    /** Number of clients. */
    static final int CLIENTS = 10;
    /** Number of connections allowed at once. */
    static final int LIMIT = 3;

    private SemaphoreLimitConnections() {
    }

    /** Runs the example. */
    public static void main(String[] args) {
        Asyncio.run(() -> run(0.1));
    }

    /** The clients' open connections, and the most there were at once. */
    private static final class Gauge {
        private int open;
        private int most;

        void opened() {
            open++;
            most = Math.max(most, open);
        }

        void closed() {
            open--;
        }
    }

    /** Echoes one line back and hangs up. */
    private static void echo(StreamReader reader, StreamWriter writer) {
        try {
            writer.write(reader.readline());
            writer.drain();
        } finally {
            writer.close();
        }
    }

    /**
     * The main coroutine: each client holds its connection open for {@code seconds} before it
     * sends its line. Returns the most connections that were open at once.
     */
    public static int run(double seconds) throws IOException {
        Gauge gauge = new Gauge();
        Server server = Streams.startServer(SemaphoreLimitConnections::echo, "127.0.0.1", 0).await();
        int port = TcpEchoServerProtocol.address(server).getPort();
        Semaphore semaphore = new Semaphore(LIMIT);
        try {
            List<Task<String>> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                String message = "hello from client " + i;
                clients.add(Asyncio.createTask(() -> client(semaphore, gauge, port, message, seconds)));
            }
            for (String reply : Asyncio.gatherAll(clients).await()) {
                System.out.println("Received: " + reply);
            }
        } finally {
            server.close();
            server.waitClosed().await();
        }
        System.out.println("At most " + gauge.most + " connections at once (limit " + LIMIT + ")");
        return gauge.most;
    }

    // The permit is held, never named, for the whole block: the Java spelling of "async with semaphore:".
    @SuppressWarnings("try")
    private static String client(Semaphore semaphore, Gauge gauge, int port, String message, double seconds) {
        // Every client waits here until one of the LIMIT permits is free.
        try (Held permit = semaphore.acquire()) {
            StreamConnection connection = Streams.openConnection("127.0.0.1", port).await();
            StreamWriter writer = connection.writer();
            gauge.opened();
            try {
                Asyncio.sleep(seconds);
                writer.write(message + "\n");
                writer.drain();
                return new String(connection.reader().readline(), StandardCharsets.UTF_8).strip();
            } finally {
                writer.close();
                writer.waitClosed().await();
                gauge.closed();
            }
        }
    }
}
