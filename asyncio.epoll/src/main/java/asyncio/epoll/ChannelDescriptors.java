package asyncio.epoll;

import asyncio.spi.ChannelDescriptorReader;
import java.lang.invoke.MethodHandles;
import java.nio.channels.SelectableChannel;

/**
 * The file descriptor under a NIO channel an application hands to the epoll loop ({@code sock_*}
 * calls, {@code addReader}, pipes, adopted sockets). The JDK keeps it in an internal interface
 * ({@code sun.nio.ch.SelChImpl}); reading it needs {@code --add-exports
 * java.base/sun.nio.ch=asyncio.epoll} ({@code =ALL-UNNAMED} on the class path). Without the flag
 * the loop still runs its own sockets; only channels are refused, with a message naming the flag.
 * The channel keeps doing its own I/O: epoll only watches its descriptor.
 */
final class ChannelDescriptors {
    /** Looked up with this module's access: the flag must name asyncio.epoll. */
    private static final ChannelDescriptorReader READER = new ChannelDescriptorReader(MethodHandles.lookup(),
            "asyncio.epoll", "the epoll loop watches a NIO channel through its file descriptor, which");
    static final String FLAG = READER.flag();

    private ChannelDescriptors() {
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
