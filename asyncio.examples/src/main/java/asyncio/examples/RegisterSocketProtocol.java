package asyncio.examples;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.Connection;
import asyncio.api.transports.ConnectionOptions;
import asyncio.api.transports.Protocol;
import asyncio.api.transports.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The asyncio docs' "register an open socket to wait for data using a protocol": one end of
 * a connected socket pair is handed to {@code createConnection} with
 * {@link ConnectionOptions#sock}, and the protocol prints what the other end sends.
 */
public final class RegisterSocketProtocol {
    private RegisterSocketProtocol() {
    }

    /** Prints the first data and closes. Mirrors the docs' {@code MyProtocol}. */
    public static final class PrintingProtocol implements Protocol {
        private final Future<Boolean> onConnectionLost;
        private Transport transport;

        /** A protocol that completes {@code onConnectionLost} once its socket is closed. */
        public PrintingProtocol(Future<Boolean> onConnectionLost) {
            this.onConnectionLost = onConnectionLost;
        }

        @Override
        public void connectionMade(BaseTransport transport) {
            this.transport = (Transport) transport;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            System.out.println("Received: " + StandardCharsets.UTF_8.decode(data));
            // Done: closing the transport leads to connectionLost.
            transport.close();
        }

        @Override
        public void connectionLost(Throwable error) {
            onConnectionLost.setResult(true);
        }
    }

    /** Runs the example. */
    public static void main(String[] args) {
        Asyncio.run(RegisterSocketProtocol::waitForData);
    }

    /** The main coroutine. */
    public static Void waitForData() throws IOException {
        EventLoop loop = Asyncio.getRunningLoop();
        Future<Boolean> onConnectionLost = loop.createFuture();
        SocketChannel[] pair = socketPair();
        SocketChannel readEnd = pair[0];
        SocketChannel writeEnd = pair[1];
        try {
            Connection<PrintingProtocol> connection = loop.createConnection(
                    () -> new PrintingProtocol(onConnectionLost), null, 0, new ConnectionOptions().sock(readEnd)).await();
            // Simulates data arriving from the network, once the loop gets to it.
            loop.callSoon(() -> send(writeEnd, "abc"));
            try {
                onConnectionLost.await();
            } finally {
                connection.transport().close();
            }
        } finally {
            // The transport owns readEnd from now on (closing it twice does no harm).
            readEnd.close();
            writeEnd.close();
        }
        return null;
    }

    /**
     * Two connected sockets over loopback: Java has no {@code socket.socketpair()}. A blocking
     * connect and accept are fine here, as the listener is local and the loop has nothing else to do.
     */
    static SocketChannel[] socketPair() throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketChannel client = SocketChannel.open(listener.getLocalAddress());
            SocketChannel accepted = listener.accept();
            return new SocketChannel[] {client, accepted};
        }
    }

    private static void send(SocketChannel channel, String text) {
        try {
            channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }
}
