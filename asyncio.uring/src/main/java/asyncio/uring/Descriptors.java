package asyncio.uring;

import asyncio.spi.ChannelDescriptorReader;
import java.lang.invoke.MethodHandles;
import java.nio.channels.SelectableChannel;

/**
 * The file descriptor under a NIO channel: every socket of the io_uring loop is a channel (its
 * own and those {@code sock_*} calls adopt), and the ring works on its descriptor. The JDK keeps
 * it in an internal interface ({@code sun.nio.ch.SelChImpl}); reading it needs {@code --add-exports
 * java.base/sun.nio.ch=asyncio.uring} ({@code =ALL-UNNAMED} on the class path). Without the flag
 * the loop cannot run: the provider's probe says so.
 */
final class Descriptors {
    /** Looked up with this module's access: the flag must name asyncio.uring. */
    private static final ChannelDescriptorReader READER = new ChannelDescriptorReader(MethodHandles.lookup(),
            "asyncio.uring", "the io_uring loop uses a NIO channel through its file descriptor, which");
    static final String FLAG = READER.flag();

    private Descriptors() {
    }

    /** Whether channels can be watched (the JDK lets this module read their descriptors). */
    static boolean available() {
        return READER.available();
    }

    /** The descriptor of {@code channel}, which must be open. */
    static int fdOf(SelectableChannel channel) {
        return READER.fdOf(channel);
    }
}
