package asyncio.examples;

import asyncio.api.Asyncio;
import asyncio.api.TimerHandle;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.Protocol;
import asyncio.api.transports.Server;
import asyncio.api.transports.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * An echo server that closes connections idle for too long: each connection arms a
 * {@code callLater} timer, and every {@code dataReceived} cancels it and arms a new one.
 * Arguments: {@code [port [timeout-seconds]]}, by default 8888 and 10 s, on 127.0.0.1.
 */
public final class EchoServerIdleTimeout {
    private EchoServerIdleTimeout() {
    }

    /** Echoes everything, and closes the connection after {@code timeout} seconds without data. */
    public static final class IdleClosingEchoProtocol implements Protocol {
        private final double timeout;
        private Transport transport;
        private Object peer;
        private TimerHandle idleTimer;

        /** A protocol that closes its connection after {@code timeout} idle seconds. */
        public IdleClosingEchoProtocol(double timeout) {
            this.timeout = timeout;
        }

        @Override
        public void connectionMade(BaseTransport transport) {
            this.transport = (Transport) transport;
            this.peer = transport.getExtraInfo("peername");
            System.out.println("Connection from " + peer);
            idleTimer = Asyncio.getRunningLoop().callLater(timeout, this::closeIdle);
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            // The peer is active: push the deadline back.
            idleTimer.cancel();
            idleTimer = Asyncio.getRunningLoop().callLater(timeout, this::closeIdle);
            transport.write(data);
        }

        @Override
        public void connectionLost(Throwable error) {
            idleTimer.cancel();
            System.out.println("Connection from " + peer + " closed");
        }

        private void closeIdle() {
            System.out.println("Closing idle connection from " + peer);
            transport.close();
        }
    }

    /** Runs the server until the process is stopped. */
    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8888;
        double timeout = args.length > 1 ? Double.parseDouble(args[1]) : 10.0;
        Asyncio.run(() -> start("127.0.0.1", port, timeout).serveForever().await());
    }

    /** Coroutine: listens on {@code host}:{@code port} (0: any free port) and says where. */
    public static Server start(String host, int port, double timeout) throws IOException {
        Server server = Asyncio.getRunningLoop()
                .createServer(() -> new IdleClosingEchoProtocol(timeout), host, port).await();
        System.out.println("Serving on " + TcpEchoServerProtocol.address(server) + ", closing connections idle for "
                + timeout + " s");
        return server;
    }
}
