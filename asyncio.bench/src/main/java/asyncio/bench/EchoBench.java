package asyncio.bench;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.BufferedProtocol;
import asyncio.api.transports.Connection;
import asyncio.api.transports.Server;
import asyncio.api.transports.Transport;
import java.nio.ByteBuffer;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * 1 KiB round trips over loopback TCP between a client and {@link EchoServer.BufferedEcho}, both
 * {@code BufferedProtocol}s on one loop: one message in flight, the client sending the next once
 * the last came back whole. Made for {@code -prof gc}: the bytes allocated per round trip are
 * what the loop, the transports and the protocols allocate per read and write (the target
 * for a buffered echo is none). The rate itself is two loop iterations and four system calls per
 * round trip on one thread, not a load test: that is {@code bin/compare}'s job.
 */
@State(Scope.Thread)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public abstract class EchoBench {
    static final int MESSAGE = 1024;
    static final int ROUND_TRIPS = 10_000;

    EventLoop loop;
    Server server;
    Transport clientTransport;
    Client client;

    @Setup(Level.Trial)
    public void connect() throws Exception {
        loop = Asyncio.newEventLoop();
        server = loop.runUntilComplete(loop.createServer(EchoServer.BufferedEcho::new, "127.0.0.1", 0));
        int port = ((InetSocketAddress) server.sockets().get(0).localAddress()).getPort();
        Connection<Client> connection = loop.runUntilComplete(loop.createConnection(Client::new, "127.0.0.1", port));
        client = connection.protocol();
        clientTransport = connection.transport();
    }

    @TearDown(Level.Trial)
    public void close() {
        clientTransport.close();
        server.close();
        server.abortClients();
        loop.runUntilComplete(server.waitClosed());
        loop.close();
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public int bufferedRoundTrip() {
        client.start(ROUND_TRIPS, loop);
        loop.runForever();
        return client.received;
    }

    /** Sends one message, waits until it came back whole, sends the next; stops the loop after the last. */
    static final class Client implements BufferedProtocol {
        private final ByteBuffer message = ByteBuffer.allocateDirect(MESSAGE);
        private final ByteBuffer incoming = ByteBuffer.allocateDirect(64 * 1024);
        private Transport transport;
        private EventLoop loop;
        private int remaining;
        int received;

        @Override
        public void connectionMade(BaseTransport transport) {
            this.transport = (Transport) transport;
        }

        void start(int roundTrips, EventLoop runningOn) {
            loop = runningOn;
            remaining = roundTrips;
            received = 0;
            send();
        }

        private void send() {
            transport.write(message.clear());
        }

        @Override
        public ByteBuffer getBuffer(int sizeHint) {
            return incoming.clear();
        }

        @Override
        public void bufferUpdated(int bytes) {
            received += bytes;
            if (received % MESSAGE != 0) {
                return;
            }
            if (--remaining > 0) {
                send();
            } else {
                loop.stop();
            }
        }
    }

    @Fork(value = 1, jvmArgsAppend = {Forks.CONTINUATIONS, Forks.NATIVE_ACCESS, Forks.CONTINUATION})
    public static class Continuation extends EchoBench {
    }
}
