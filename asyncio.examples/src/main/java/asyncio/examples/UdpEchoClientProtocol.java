package asyncio.examples;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.DatagramEndpoint;
import asyncio.api.transports.DatagramProtocol;
import asyncio.api.transports.DatagramTransport;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The asyncio docs' "UDP echo client" with a datagram protocol: sends one datagram, prints the
 * reply and closes. Arguments: {@code [host [port]]}, by default 127.0.0.1 9999, where
 * {@link UdpEchoServerProtocol} listens.
 */
public final class UdpEchoClientProtocol {
    private UdpEchoClientProtocol() {
    }

    /** Sends a message and closes on the reply. Mirrors the docs' {@code EchoClientProtocol}. */
    public static final class EchoClientProtocol implements DatagramProtocol {
        private final String message;
        private final Future<Boolean> onConnectionLost;
        private DatagramTransport transport;

        /** A protocol that sends {@code message} and completes {@code onConnectionLost} once closed. */
        public EchoClientProtocol(String message, Future<Boolean> onConnectionLost) {
            this.message = message;
            this.onConnectionLost = onConnectionLost;
        }

        @Override
        public void connectionMade(BaseTransport transport) {
            this.transport = (DatagramTransport) transport;
            System.out.println("Send: '" + message + "'");
            this.transport.sendto(ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public void datagramReceived(ByteBuffer data, SocketAddress address) {
            System.out.println("Received: '" + StandardCharsets.UTF_8.decode(data) + "'");
            System.out.println("Close the socket");
            transport.close();
        }

        @Override
        public void errorReceived(Exception error) {
            System.out.println("Error received: " + error);
        }

        @Override
        public void connectionLost(Throwable error) {
            System.out.println("Connection closed");
            onConnectionLost.setResult(true);
        }
    }

    /** Runs the client once. */
    public static void main(String[] args) {
        String host = args.length > 0 ? args[0] : "127.0.0.1";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 9999;
        Asyncio.run(() -> talk(host, port, "Hello World!"));
    }

    /** Coroutine: sends {@code message} to the echo server at {@code host}:{@code port} and waits for the reply. */
    public static Void talk(String host, int port, String message) {
        EventLoop loop = Asyncio.getRunningLoop();
        Future<Boolean> onConnectionLost = loop.createFuture();
        // A remote address connects the socket: sendto() needs no address, and only the server's replies arrive.
        DatagramEndpoint<EchoClientProtocol> endpoint = loop.createDatagramEndpoint(
                () -> new EchoClientProtocol(message, onConnectionLost), null, new InetSocketAddress(host, port)).await();
        try {
            onConnectionLost.await();
        } finally {
            endpoint.transport().close();
        }
        return null;
    }
}
