package asyncio.epoll;

import java.io.FileDescriptor;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;

/**
 * The file descriptor under a JDK {@link FileChannel}, so that {@code loop.sendfile} can call
 * sendfile(2) from it to the loop's own sockets. The JDK keeps it in a private field of
 * {@code sun.nio.ch.FileChannelImpl}, readable only with {@code --add-opens
 * java.base/sun.nio.ch=asyncio.epoll} ({@code =ALL-UNNAMED} on the class path; it also grants
 * what {@code --add-exports} of that package does). Without the flag, sendfile still works: the
 * JDK copies the file through user space instead (docs/decisions.md).
 */
final class FileChannelDescriptors {
    /** {@code (FileChannel) -> int}, or null when the JDK does not let this module read it. */
    private static final MethodHandle FD_OF = lookUp();

    private FileChannelDescriptors() {
    }

    private static MethodHandle lookUp() {
        try {
            Class<?> impl = Class.forName("sun.nio.ch.FileChannelImpl");
            MethodHandles.Lookup inside = MethodHandles.privateLookupIn(impl, MethodHandles.lookup());
            MethodHandle field = inside.findGetter(impl, "fd", FileDescriptor.class);
            MethodHandle fdVal = inside.findStatic(Class.forName("sun.nio.ch.IOUtil"), "fdVal",
                    MethodType.methodType(int.class, FileDescriptor.class));
            return MethodHandles.filterReturnValue(field, fdVal)
                    .asType(MethodType.methodType(int.class, FileChannel.class));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError hiddenByJdk) {
            return null;
        }
    }

    /** Whether descriptors can be read: the JVM runs with the flag. */
    static boolean available() {
        return FD_OF != null;
    }

    /**
     * The descriptor of {@code file}, or -1 when it cannot be read: the flag is missing, or the
     * channel is not the JDK's own (a zip entry, an in-memory file system).
     */
    static int fdOf(FileChannel file) throws ClosedChannelException {
        if (FD_OF == null || !file.getClass().getName().equals("sun.nio.ch.FileChannelImpl")) {
            return -1;
        }
        if (!file.isOpen()) {
            throw new ClosedChannelException();
        }
        try {
            return (int) FD_OF.invokeExact(file);
        } catch (Throwable unexpected) {
            throw new IllegalStateException("cannot read the descriptor of " + file, unexpected);
        }
    }
}
