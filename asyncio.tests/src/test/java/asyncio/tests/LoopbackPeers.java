package asyncio.tests;

import asyncio.api.Asyncio;
import asyncio.api.Future;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/** Loopback channels for networking tests, and a bounded await. */
final class LoopbackPeers {
    /** How long any single await in a networking test may take before the test fails. */
    static final double BOUND = 10.0;

    private LoopbackPeers() {
    }

    /** Two connected TCP channels over loopback, both still blocking; the caller closes them. */
    record Pair(SocketChannel left, SocketChannel right) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try (left; right) {
                // both closed, even if one close fails
            }
        }
    }

    static Pair tcpPair() throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketChannel left = SocketChannel.open(listener.getLocalAddress());
            return new Pair(left, listener.accept());
        }
    }

    /** Both ends of a {@link Pipe}, closed together. */
    record PipeEnds(Pipe.SourceChannel source, Pipe.SinkChannel sink) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try (source; sink) {
                // both closed, even if one close fails
            }
        }
    }

    static PipeEnds pipe() throws IOException {
        Pipe pipe = Pipe.open();
        return new PipeEnds(pipe.source(), pipe.sink());
    }

    /** A loopback address with a UDP port nothing listens on (bound once, then released). */
    static InetSocketAddress unusedUdpAddress() throws IOException {
        try (DatagramChannel probe = DatagramChannel.open()) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return (InetSocketAddress) probe.getLocalAddress();
        }
    }

    static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** Awaits {@code future} inside a task, failing with a timeout after {@link #BOUND} seconds. */
    static <T> T within(Future<T> future) {
        return Asyncio.waitFor(future, BOUND);
    }

    static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    static String text(ByteBuffer data) {
        ByteBuffer view = data.duplicate();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
