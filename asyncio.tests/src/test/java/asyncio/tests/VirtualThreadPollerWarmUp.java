package asyncio.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Lets the JDK open the I/O pollers it keeps for the life of the process the first time a virtual
 * thread blocks on a socket (with {@code -Dasyncio.coroutines=virtual} every task is one), so
 * {@link NoDescriptorLeaks}, listed after this, does not blame them on the first class that does so.
 */
public final class VirtualThreadPollerWarmUp implements BeforeAllCallback {
    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(10);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        try {
            startVirtualThreadPollers();
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }

    /** A virtual thread that blocks on a socket parks on the JDK's pollers, which opens them. */
    private static void startVirtualThreadPollers() throws IOException, InterruptedException {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel client = SocketChannel.open(listener.getLocalAddress());
                 SocketChannel served = listener.accept()) {
                Thread reader = Thread.ofVirtual().start(() -> {
                    try {
                        served.read(ByteBuffer.allocate(1));
                    } catch (IOException ignored) {
                        // Only the parking mattered.
                    }
                });
                long deadline = System.nanoTime() + PATIENCE_NANOS;
                while (reader.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                client.write(ByteBuffer.allocate(1));
                reader.join(TimeUnit.NANOSECONDS.toMillis(PATIENCE_NANOS));
            }
        }
    }
}
