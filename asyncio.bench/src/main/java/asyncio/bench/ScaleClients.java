package asyncio.bench;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.Connection;
import asyncio.api.transports.Protocol;
import asyncio.api.transports.Transport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ScaleBench clients}: the client process of {@code connections N}. It says {@code READY},
 * on {@code CONNECT} opens N connections and says {@code CONNECTED}, and on {@code ECHO} sends each connection its own pattern, round after
 * round, checking every byte that comes back; on {@code CLOSE} it closes them all. Ends when its
 * stdin does: the server JVM that started it is gone.
 */
final class ScaleClients {
    /** Connections opened at once: a listen backlog and the accept loop absorb this many easily. */
    private static final int CONNECT_BATCH = 256;

    private ScaleClients() {
    }

    static Void run(ScaleBench.Options options) {
        EventLoop loop = Asyncio.getRunningLoop();
        int n = options.count();
        Shared shared = new Shared(n, options.bytes(), options.rounds(), loop.createFuture(), loop.createFuture());
        List<Client> clients = new ArrayList<>(n);
        System.out.println("READY");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (!"CONNECT".equals(command(in))) {
            throw new IllegalStateException("expected CONNECT from the server process");
        }
        for (int start = 0; start < n; start += CONNECT_BATCH) {
            List<Future<Connection<Client>>> batch = new ArrayList<>();
            for (int id = start; id < Math.min(n, start + CONNECT_BATCH); id++) {
                int connection = id;
                batch.add(loop.createConnection(() -> new Client(connection, shared), "127.0.0.1", options.port()));
            }
            for (Connection<Client> made : Asyncio.gatherAll(batch).await()) {
                clients.add(made.protocol());
            }
        }
        System.out.println("CONNECTED " + n);
        System.out.flush();
        while (true) {
            String line = command(in);
            switch (line) {
                case "ECHO" -> {
                    for (Client client : clients) {
                        client.sendRound();
                    }
                    shared.echoed().await();
                    System.out.println("VERIFIED bytes=" + shared.verified + " failures=" + shared.failures
                            + " connections=" + n);
                }
                case "CLOSE" -> {
                    for (Client client : clients) {
                        client.transport.close();
                    }
                    shared.closed().await();
                    System.out.println("CLOSED");
                    System.out.flush();
                    return null;
                }
                default -> System.err.println("scale clients: unknown command " + line);
            }
            System.out.flush();
        }
    }

    /** The server process's next line; its end means the server is gone, and so should this process be. */
    private static String command(BufferedReader in) {
        String line = Asyncio.toThread(in::readLine).await();
        if (line == null) {
            System.err.println("scale clients: the server process went away");
            System.exit(3);
        }
        return line.trim();
    }

    /**
     * Byte {@code index} of round {@code round} on connection {@code id}: a SplitMix64 mix, so that
     * every connection and every round carries different bytes and a crossed stream shows.
     */
    static byte pattern(int id, int round, int index) {
        long x = id * 0x9E3779B97F4A7C15L + round * 0xBF58476D1CE4E5B9L + (index >>> 3) * 0x94D049BB133111EBL;
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        x ^= x >>> 31;
        return (byte) (x >>> ((index & 7) * 8));
    }

    /** What every connection reports to; used on the loop thread only. */
    static final class Shared {
        final int count;
        final int bytes;
        final int rounds;
        long verified;
        long failures;
        int finished;
        int lost;
        private final Future<Void> echoed;
        private final Future<Void> closed;

        Shared(int count, int bytes, int rounds, Future<Void> echoed, Future<Void> closed) {
            this.count = count;
            this.bytes = bytes;
            this.rounds = rounds;
            this.echoed = echoed;
            this.closed = closed;
        }

        Future<Void> echoed() {
            return echoed;
        }

        Future<Void> closed() {
            return closed;
        }

        void finish() {
            if (++finished == count && !echoed.done()) {
                echoed.setResult(null);
            }
        }

        void lose() {
            if (++lost == count && !closed.done()) {
                closed.setResult(null);
            }
        }
    }

    /** One connection: sends a round, checks the echo byte by byte, sends the next. */
    static final class Client implements Protocol {
        private final int id;
        private final Shared shared;
        private Transport transport;
        private int round;
        private int received;
        private boolean done;

        Client(int id, Shared shared) {
            this.id = id;
            this.shared = shared;
        }

        @Override
        public void connectionMade(BaseTransport transport) {
            this.transport = (Transport) transport;
        }

        void sendRound() {
            byte[] message = new byte[shared.bytes];
            for (int i = 0; i < message.length; i++) {
                message[i] = pattern(id, round, i);
            }
            received = 0;
            transport.write(ByteBuffer.wrap(message));
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            if (done) {
                fail("bytes after the last round");
                return;
            }
            while (data.hasRemaining()) {
                if (received == shared.bytes) {
                    fail("more bytes than were sent in round " + round);
                    return;
                }
                byte got = data.get();
                byte want = pattern(id, round, received);
                if (got != want) {
                    fail("round " + round + " offset " + received + ": expected " + want + ", got " + got);
                    return;
                }
                received++;
            }
            if (received == shared.bytes) {
                shared.verified += received;
                if (++round < shared.rounds) {
                    sendRound();
                } else {
                    done = true;
                    shared.finish();
                }
            }
        }

        @Override
        public void connectionLost(Throwable error) {
            if (!done) {
                fail("connection lost in round " + round + (error == null ? "" : ": " + error));
            }
            shared.lose();
        }

        /** Counts the connection as failed once, prints why, and stops it. */
        private void fail(String why) {
            if (done) {
                shared.failures++;
                return;
            }
            done = true;
            shared.failures++;
            System.err.println("scale clients: connection " + id + ": " + why);
            shared.finish();
            transport.close();
        }
    }
}
