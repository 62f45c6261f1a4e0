package asyncio.uring;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.channels.SelectableChannel;

/**
 * The file descriptor under a NIO channel: every socket of the io_uring loop is a channel (its
 * own and those {@code sock_*} calls adopt), and the ring works on its descriptor. The JDK keeps
 * it in an internal interface ({@code sun.nio.ch.SelChImpl}); reading it needs {@code --add-exports
 * java.base/sun.nio.ch=asyncio.uring} ({@code =ALL-UNNAMED} on the class path). Without the flag
 * the loop cannot run: the provider's probe says so.
 */
final class Descriptors {
    static final String FLAG = "--add-exports java.base/sun.nio.ch=asyncio.uring (=ALL-UNNAMED on the class path)";

    private static final MethodHandle GET_FD;
    private static final String UNAVAILABLE;

    static {
        MethodHandle getFd = null;
        String unavailable = null;
        try {
            Class<?> selChImpl = Class.forName("sun.nio.ch.SelChImpl");
            getFd = MethodHandles.lookup().findVirtual(selChImpl, "getFDVal", MethodType.methodType(int.class))
                    .asType(MethodType.methodType(int.class, SelectableChannel.class));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError hidden) {
            unavailable = hidden.toString();
        }
        GET_FD = getFd;
        UNAVAILABLE = unavailable;
    }

    private Descriptors() {
    }

    /** Whether channels can be watched (the JDK lets this module read their descriptors). */
    static boolean available() {
        return GET_FD != null;
    }

    /** The descriptor of {@code channel}, which must be open. */
    static int fdOf(SelectableChannel channel) {
        if (GET_FD == null) {
            throw new UnsupportedOperationException("the io_uring loop uses a NIO channel through its file descriptor, which"
                    + " the JDK hides: run with " + FLAG + ", or use the selector loop (-Dasyncio.loop=selector); "
                    + UNAVAILABLE);
        }
        try {
            return (int) GET_FD.invokeExact(channel);
        } catch (ClassCastException notJdkChannel) {
            throw new IllegalArgumentException("not a JDK channel with a file descriptor: " + channel, notJdkChannel);
        } catch (Throwable unexpected) {
            throw new IllegalStateException("cannot read the descriptor of " + channel, unexpected);
        }
    }
}
