package asyncio.spi;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.channels.SelectableChannel;

/**
 * The file descriptor under a JDK channel, for {@code TransportSocket.fileno()}. The JDK keeps it
 * in an internal interface ({@code sun.nio.ch.SelChImpl}); reading it needs {@code --add-exports
 * java.base/sun.nio.ch=asyncio.spi} ({@code =ALL-UNNAMED} on the class path). Without the flag
 * the number is not known and -1 is reported: nothing else depends on it.
 */
final class NioDescriptors {
    private static final MethodHandle GET_FD;

    static {
        MethodHandle getFd = null;
        try {
            Class<?> selChImpl = Class.forName("sun.nio.ch.SelChImpl");
            getFd = MethodHandles.lookup().findVirtual(selChImpl, "getFDVal", MethodType.methodType(int.class))
                    .asType(MethodType.methodType(int.class, SelectableChannel.class));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError hidden) {
            // Not exported to this module: fileno() reports -1.
        }
        GET_FD = getFd;
    }

    private NioDescriptors() {
    }

    /** The descriptor of {@code channel}, or -1 when the JDK hides it. */
    static int fdOf(SelectableChannel channel) {
        if (GET_FD == null) {
            return -1;
        }
        try {
            return (int) GET_FD.invokeExact(channel);
        } catch (Throwable notJdkChannel) {
            return -1;
        }
    }
}
