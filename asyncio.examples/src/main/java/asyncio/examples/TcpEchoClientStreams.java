package asyncio.examples;

import asyncio.api.Asyncio;
import asyncio.api.streams.StreamConnection;
import asyncio.api.streams.Streams;
import java.nio.charset.StandardCharsets;

/**
 * The asyncio docs' "TCP echo client using streams": sends one message to
 * {@link TcpEchoServerStreams}, prints the answer and closes. Arguments:
 * {@code [host [port [message]]]}, by default 127.0.0.1 8888 "Hello World!".
 */
public final class TcpEchoClientStreams {
    private TcpEchoClientStreams() {
    }

    /** Coroutine: one round trip with the echo server at {@code host}:{@code port}. */
    public static Void tcpEchoClient(String host, int port, String message) {
        StreamConnection connection = Streams.openConnection(host, port).await();

        System.out.println("Send: '" + message + "'");
        connection.writer().write(message.getBytes(StandardCharsets.UTF_8));
        connection.writer().drain();

        byte[] data = connection.reader().read(100);
        System.out.println("Received: '" + new String(data, StandardCharsets.UTF_8) + "'");

        System.out.println("Close the connection");
        connection.writer().close();
        connection.writer().waitClosed().await();
        return null;
    }

    /** Runs the client once. */
    public static void main(String[] args) {
        String host = args.length > 0 ? args[0] : "127.0.0.1";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 8888;
        String message = args.length > 2 ? args[2] : "Hello World!";
        Asyncio.run(() -> tcpEchoClient(host, port, message));
    }
}
