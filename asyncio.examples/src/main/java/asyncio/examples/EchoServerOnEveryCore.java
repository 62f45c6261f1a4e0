package asyncio.examples;

import asyncio.api.Asyncio;
import asyncio.api.EventLoopGroup;
import asyncio.api.GroupServer;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.Protocol;
import asyncio.api.transports.ServerOptions;
import asyncio.api.transports.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * An echo server with one event loop per core, in one JVM: what a Python program gets by running
 * the asyncio echo server in N processes with {@code reuse_port=True}, and a Netty program with an
 * {@code EventLoopGroup}. Each connection lives on one loop, whose thread runs its protocol; the
 * protocol is the plain single-threaded kind. Arguments: {@code [port [loops [reuse-port|acceptor]]]},
 * by default 8888, one loop per available processor, {@code reuse-port}; stop it with Ctrl-C.
 */
public final class EchoServerOnEveryCore {
    private EchoServerOnEveryCore() {
    }

    /** Writes back everything it receives; says which loop thread serves the connection. */
    public static final class Echo implements Protocol {
        private Transport transport;

        @Override
        public void connectionMade(BaseTransport made) {
            transport = (Transport) made;
            System.out.println("Connection from " + made.getExtraInfo("peername") + " on " + Thread.currentThread().getName());
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            transport.write(data);
        }
    }

    /** Serves until Ctrl-C, then closes the server and every loop (the loops' threads keep the JVM up meanwhile). */
    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8888;
        int loops = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        boolean reusePort = args.length < 3 || args[2].equals("reuse-port");
        Serving serving = start(port, loops, reusePort);
        Runtime.getRuntime().addShutdownHook(new Thread(serving::close));
    }

    /** The running loops and their server; closing it closes both. */
    public record Serving(EventLoopGroup group, GroupServer server) implements AutoCloseable {
        @Override
        public void close() {
            group.close();
        }
    }

    /** Starts {@code loops} loops serving the echo on 127.0.0.1:{@code port} (0: any free port) and says where. */
    public static Serving start(int port, int loops, boolean reusePort) throws IOException {
        EventLoopGroup group = EventLoopGroup.start(loops);
        try {
            GroupServer server = group.createServer(Echo::new, "127.0.0.1", port, new ServerOptions().reusePort(reusePort));
            System.out.println("Serving on 127.0.0.1:" + server.port() + " with " + loops + " loops ("
                    + (reusePort ? "a listening socket each" : "one acceptor") + ", "
                    + Asyncio.coroutineCarrier() + " carrier)");
            return new Serving(group, server);
        } catch (IOException | RuntimeException failed) {
            group.close();
            throw failed;
        }
    }
}
