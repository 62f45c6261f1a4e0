package asyncio.examples;

import asyncio.api.Asyncio;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.DatagramEndpoint;
import asyncio.api.transports.DatagramProtocol;
import asyncio.api.transports.DatagramTransport;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The asyncio docs' "UDP echo server" with a datagram protocol: every datagram goes back to
 * whoever sent it. Pair it with {@link UdpEchoClientProtocol}. Arguments: {@code [host [port]]},
 * by default 127.0.0.1 9999; the server runs for an hour.
 */
public final class UdpEchoServerProtocol {
    private UdpEchoServerProtocol() {
    }

    /** Sends each datagram back to its sender. Mirrors the docs' {@code EchoServerProtocol}. */
    public static final class EchoServerProtocol implements DatagramProtocol {
        private DatagramTransport transport;

        @Override
        public void connectionMade(BaseTransport transport) {
            this.transport = (DatagramTransport) transport;
        }

        @Override
        public void datagramReceived(ByteBuffer data, SocketAddress address) {
            // data is only valid during this call; decoding a duplicate leaves it whole for the echo.
            String message = StandardCharsets.UTF_8.decode(data.duplicate()).toString();
            System.out.println("Received '" + message + "' from " + address);
            System.out.println("Send '" + message + "' to " + address);
            transport.sendto(data, address);
        }
    }

    /** Runs the server for an hour. */
    public static void main(String[] args) {
        String host = args.length > 0 ? args[0] : "127.0.0.1";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 9999;
        Asyncio.run(() -> {
            DatagramEndpoint<EchoServerProtocol> endpoint = start(host, port);
            try {
                Asyncio.sleep(3600);
            } finally {
                endpoint.transport().close();
            }
            return null;
        });
    }

    /** Coroutine: binds the endpoint to {@code host}:{@code port} (0: any free port). */
    public static DatagramEndpoint<EchoServerProtocol> start(String host, int port) {
        System.out.println("Starting UDP server");
        // One endpoint serves every client: there is no listening socket and no accept.
        return Asyncio.getRunningLoop().createDatagramEndpoint(EchoServerProtocol::new,
                new InetSocketAddress(host, port), null).await();
    }

    /** The address {@code endpoint} is bound to (Python's {@code transport.get_extra_info("sockname")}). */
    public static InetSocketAddress address(DatagramEndpoint<?> endpoint) {
        return (InetSocketAddress) endpoint.transport().getExtraInfo("sockname");
    }
}
