package asyncio.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Opens the JDK's own lasting socket before {@link NoDescriptorLeaks} counts: the first socket
 * channel of a JVM makes the JDK create a socket pair it keeps for good (its "pre-close"
 * descriptor), which would otherwise be blamed on whichever test class opened a channel first.
 * List it before {@code NoDescriptorLeaks} in {@code @ExtendWith}.
 */
public final class JdkNioWarmUp implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        try {
            SocketChannel.open().close();
        } catch (IOException error) {
            throw new UncheckedIOException("could not open a socket channel", error);
        }
    }
}
