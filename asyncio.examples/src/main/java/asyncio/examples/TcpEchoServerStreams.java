package asyncio.examples;

import asyncio.api.Asyncio;
import asyncio.api.streams.StreamReader;
import asyncio.api.streams.StreamWriter;
import asyncio.api.streams.Streams;
import asyncio.api.transports.Server;
import asyncio.api.transports.TransportSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The asyncio docs' "TCP echo server using streams": each connection is served by
 * {@link #handleEcho}, which reads one message, sends it back and closes. Pair it with
 * {@link TcpEchoClientStreams}. Arguments: {@code [host [port]]}, by default 127.0.0.1 8888;
 * stop it with Ctrl-C.
 */
public final class TcpEchoServerStreams {
    private TcpEchoServerStreams() {
    }

    /** Coroutine run as its own task per connection: echoes up to 100 bytes, then closes. */
    public static void handleEcho(StreamReader reader, StreamWriter writer) {
        byte[] data = reader.read(100);
        String message = new String(data, StandardCharsets.UTF_8);
        Object address = writer.getExtraInfo("peername");
        System.out.println("Received '" + message + "' from " + address);

        System.out.println("Send: '" + message + "'");
        writer.write(data);
        writer.drain();

        System.out.println("Close the connection");
        writer.close();
        writer.waitClosed().await();
    }

    /** Serves until the process is stopped. */
    public static void main(String[] args) {
        String host = args.length > 0 ? args[0] : "127.0.0.1";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 8888;
        Asyncio.run(() -> {
            Server server = start(host, port);
            // serve_forever() ends only when cancelled; it closes the server on its way out.
            return server.serveForever().await();
        });
    }

    /** Coroutine: starts the server on {@code host}:{@code port} (0: any free port) and says where. */
    public static Server start(String host, int port) throws IOException {
        Server server = Streams.startServer(TcpEchoServerStreams::handleEcho, host, port).await();
        List<String> addresses = new ArrayList<>();
        for (TransportSocket socket : server.sockets()) {
            addresses.add(String.valueOf(socket.localAddress()));
        }
        System.out.println("Serving on " + String.join(", ", addresses));
        return server;
    }

    /** The port {@code server}'s first socket listens on. */
    public static int port(Server server) throws IOException {
        return ((InetSocketAddress) server.sockets().get(0).localAddress()).getPort();
    }
}
