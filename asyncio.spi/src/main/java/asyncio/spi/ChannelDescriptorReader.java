package asyncio.spi;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.channels.SelectableChannel;

/**
 * Reads the file descriptor under a NIO channel, for a loop module that works on descriptors
 * (epoll, io_uring). The JDK keeps it in an internal interface ({@code sun.nio.ch.SelChImpl})
 * that a module may read only with {@code --add-exports java.base/sun.nio.ch=<module>}
 * ({@code =ALL-UNNAMED} on the class path). The look-up is made with the loop module's own
 * {@link MethodHandles.Lookup}, so the flag names that module, not this one.
 */
public final class ChannelDescriptorReader {
    private final MethodHandle getFd;
    private final String unavailable;
    private final String flag;
    private final String hiddenMessage;

    /**
     * @param lookup {@code MethodHandles.lookup()} of the loop module, whose access the JDK checks
     * @param module the loop module's name, for the flag the messages name
     * @param hidden what the loop cannot do without the descriptor, which starts the error message
     *               ({@code "the epoll loop watches a NIO channel through its file descriptor, which"})
     */
    public ChannelDescriptorReader(MethodHandles.Lookup lookup, String module, String hidden) {
        MethodHandle found = null;
        String reason = null;
        try {
            Class<?> selChImpl = Class.forName("sun.nio.ch.SelChImpl");
            found = lookup.findVirtual(selChImpl, "getFDVal", MethodType.methodType(int.class))
                    .asType(MethodType.methodType(int.class, SelectableChannel.class));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError hiddenByJdk) {
            reason = hiddenByJdk.toString();
        }
        this.getFd = found;
        this.unavailable = reason;
        this.flag = "--add-exports java.base/sun.nio.ch=" + module + " (=ALL-UNNAMED on the class path)";
        this.hiddenMessage = hidden;
    }

    /** The command-line flag that lets the loop module read descriptors. */
    public String flag() {
        return flag;
    }

    /** Whether channels' descriptors can be read (the JDK lets the loop module see them). */
    public boolean available() {
        return getFd != null;
    }

    /** The descriptor of {@code channel}, which must be open. */
    public int fdOf(SelectableChannel channel) {
        if (getFd == null) {
            throw new UnsupportedOperationException(hiddenMessage + " the JDK hides: run with " + flag
                    + ", or use the selector loop (-Dasyncio.loop=selector); " + unavailable);
        }
        try {
            return (int) getFd.invokeExact(channel);
        } catch (ClassCastException notJdkChannel) {
            throw new IllegalArgumentException("not a JDK channel with a file descriptor: " + channel, notJdkChannel);
        } catch (Throwable unexpected) {
            throw new IllegalStateException("cannot read the descriptor of " + channel, unexpected);
        }
    }
}
