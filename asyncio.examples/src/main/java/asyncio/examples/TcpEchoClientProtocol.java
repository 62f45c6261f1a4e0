package asyncio.examples;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.Connection;
import asyncio.api.transports.Protocol;
import asyncio.api.transports.Transport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The asyncio docs' "TCP echo client" with a protocol: sends one message, prints what comes
 * back, and finishes when the server closes the connection. Arguments: {@code [host [port]]},
 * by default 127.0.0.1 8888, where {@link TcpEchoServerProtocol} listens.
 */
public final class TcpEchoClientProtocol {
    private TcpEchoClientProtocol() {
    }

    /** Sends a message and reports the echo. Mirrors the docs' {@code EchoClientProtocol}. */
    public static final class EchoClientProtocol implements Protocol {
        private final String message;
        private final Future<Boolean> onConnectionLost;

        /** A protocol that sends {@code message} and completes {@code onConnectionLost} at the end. */
        public EchoClientProtocol(String message, Future<Boolean> onConnectionLost) {
            this.message = message;
            this.onConnectionLost = onConnectionLost;
        }

        @Override
        public void connectionMade(BaseTransport transport) {
            ((Transport) transport).write(message.getBytes(StandardCharsets.UTF_8));
            System.out.println("Data sent: '" + message + "'");
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            System.out.println("Data received: '" + StandardCharsets.UTF_8.decode(data) + "'");
        }

        @Override
        public void connectionLost(Throwable error) {
            System.out.println("The server closed the connection");
            onConnectionLost.setResult(true);
        }
    }

    /** Runs the client once. */
    public static void main(String[] args) {
        String host = args.length > 0 ? args[0] : "127.0.0.1";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 8888;
        Asyncio.run(() -> talk(host, port, "Hello World!"));
    }

    /** Coroutine: sends {@code message} to the echo server at {@code host}:{@code port} and waits for it to hang up. */
    public static Void talk(String host, int port, String message) {
        EventLoop loop = Asyncio.getRunningLoop();
        Future<Boolean> onConnectionLost = loop.createFuture();
        Connection<EchoClientProtocol> connection = loop.createConnection(
                () -> new EchoClientProtocol(message, onConnectionLost), host, port).await();
        // Wait until the protocol signals that the connection is lost, then close the transport.
        try {
            onConnectionLost.await();
        } finally {
            connection.transport().close();
        }
        return null;
    }
}
