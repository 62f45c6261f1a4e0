package asyncio.examples;

import asyncio.api.Asyncio;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.Protocol;
import asyncio.api.transports.Server;
import asyncio.api.transports.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The asyncio docs' "TCP echo server" with a protocol: each connection gets a new
 * {@link EchoServerProtocol}, which sends the first data it receives back and closes.
 * Pair it with {@link TcpEchoClientProtocol}. Arguments: {@code [host [port]]}, by default
 * 127.0.0.1 8888; stop it with Ctrl-C.
 */
public final class TcpEchoServerProtocol {
    private TcpEchoServerProtocol() {
    }

    /** Echoes the first message of each connection, then closes it. Mirrors the docs' {@code EchoServerProtocol}. */
    public static final class EchoServerProtocol implements Protocol {
        private Transport transport;

        @Override
        public void connectionMade(BaseTransport transport) {
            System.out.println("Connection from " + transport.getExtraInfo("peername"));
            this.transport = (Transport) transport;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            // data is only valid during this call; decoding a duplicate leaves it whole for the echo.
            String message = StandardCharsets.UTF_8.decode(data.duplicate()).toString();
            System.out.println("Data received: '" + message + "'");
            System.out.println("Send: '" + message + "'");
            transport.write(data);
            System.out.println("Close the client socket");
            transport.close();
        }
    }

    /** Runs the server until the process is stopped. */
    public static void main(String[] args) {
        String host = args.length > 0 ? args[0] : "127.0.0.1";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 8888;
        Asyncio.run(() -> {
            Server server = start(host, port);
            // serve_forever() ends only when cancelled; it closes the server on its way out.
            return server.serveForever().await();
        });
    }

    /** Coroutine: listens on {@code host}:{@code port} (0: any free port) and says where. */
    public static Server start(String host, int port) throws IOException {
        Server server = Asyncio.getRunningLoop().createServer(EchoServerProtocol::new, host, port).await();
        System.out.println("Serving on " + address(server));
        return server;
    }

    /** The address {@code server}'s first socket listens on (Python's {@code server.sockets[0].getsockname()}). */
    public static InetSocketAddress address(Server server) throws IOException {
        return (InetSocketAddress) server.sockets().get(0).localAddress();
    }
}
