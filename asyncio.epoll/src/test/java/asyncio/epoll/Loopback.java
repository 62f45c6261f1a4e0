package asyncio.epoll;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;

/** Connected pairs of native sockets on loopback, made with native sockets only. */
final class Loopback {
    private Loopback() {
    }

    /** A listening socket, a client connected to it and the connection it accepted; closes all three. */
    record Pair(NativeListeningSocket listener, NativeStreamSocket client, NativeStreamSocket server)
            implements AutoCloseable {
        @Override
        public void close() {
            server.close();
            client.close();
            listener.close();
        }
    }

    static SocketAddress loopback(ProtocolFamily family) {
        return new InetSocketAddress(family == StandardProtocolFamily.INET6 ? InetAddress.getLoopbackAddress() : v4(), 0);
    }

    private static InetAddress v4() {
        try {
            return InetAddress.getByName("127.0.0.1");
        } catch (IOException impossible) {
            throw new AssertionError(impossible);
        }
    }

    static Pair tcp(NativeIo io, ProtocolFamily family) throws IOException {
        SocketAddress where = family == StandardProtocolFamily.INET6
                ? new InetSocketAddress(InetAddress.getByName("::1"), 0) : loopback(StandardProtocolFamily.INET);
        return pair(io, family, where);
    }

    static Pair pair(NativeIo io, ProtocolFamily family, SocketAddress where) throws IOException {
        NativeListeningSocket listener = NativeListeningSocket.open(io, family);
        NativeStreamSocket client = null;
        try {
            listener.bind(where, 16);
            client = NativeStreamSocket.open(io, family);
            if (!client.connect(listener.localAddress())) {
                Readiness.writable(client);
                client.finishConnect();
            }
            return new Pair(listener, client, accept(listener));
        } catch (IOException | RuntimeException | Error failed) {
            if (client != null) {
                client.close();
            }
            listener.close();
            throw failed;
        }
    }

    static NativeStreamSocket accept(NativeListeningSocket listener) throws IOException {
        Readiness.readable(listener);
        NativeStreamSocket accepted = listener.accept();
        if (accepted == null) {
            throw new AssertionError("readable listening socket had nothing to accept");
        }
        return accepted;
    }

    /** Reads exactly {@code size} bytes, waiting for each piece. */
    static byte[] readFully(NativeStreamSocket socket, int size) throws IOException {
        ByteBuffer into = ByteBuffer.allocate(size);
        while (into.hasRemaining()) {
            int n = socket.read(into);
            if (n < 0) {
                throw new AssertionError("EOF after " + into.position() + " of " + size + " bytes");
            }
            if (n == 0) {
                Readiness.readable(socket);
            }
        }
        return into.array();
    }

    static void writeFully(NativeStreamSocket socket, ByteBuffer from) throws IOException {
        while (from.hasRemaining()) {
            if (socket.write(from) == 0) {
                Readiness.writable(socket);
            }
        }
    }
}
