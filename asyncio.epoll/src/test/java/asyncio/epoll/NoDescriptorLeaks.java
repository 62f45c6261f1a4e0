package asyncio.epoll;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class that leaves sockets, pipes or epoll descriptors open, comparing the I/O
 * descriptors of {@code /proc/self/fd} before and after the class (as asyncio.tests does).
 */
final class NoDescriptorLeaks implements BeforeAllCallback, AfterAllCallback {
    private static final Path FDS = Path.of("/proc/self/fd");
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(NoDescriptorLeaks.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        // The JVM's first NIO socket makes the JDK open a socket it keeps for good (its "pre-close"
        // descriptor): open it now, or the first class comparing with NIO is blamed for it.
        try {
            SocketChannel.open().close();
        } catch (IOException failed) {
            throw new AssertionError("could not open a socket channel", failed);
        }
        context.getStore(NAMESPACE).put("before", ioDescriptors());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        @SuppressWarnings("unchecked")
        List<String> before = context.getStore(NAMESPACE).get("before", List.class);
        // A multiset difference: anonymous inodes ("anon_inode:[eventpoll]") all look alike.
        List<String> leaked = new ArrayList<>(ioDescriptors());
        for (String open : before) {
            leaked.remove(open);
        }
        if (!leaked.isEmpty()) {
            throw new AssertionError(context.getDisplayName() + " leaked file descriptors: " + leaked);
        }
    }

    /** The link targets of the open socket, pipe and anonymous-inode descriptors, e.g. {@code socket:[123]}. */
    static List<String> ioDescriptors() {
        List<String> targets = new ArrayList<>();
        try (Stream<Path> fds = Files.list(FDS)) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:") || target.startsWith("pipe:") || target.startsWith("anon_inode:")) {
                        targets.add(target);
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor of the listing itself, or one closed while we looked
                }
            }
        } catch (IOException unreadable) {
            throw new AssertionError("cannot list " + FDS, unreadable);
        }
        return targets;
    }
}
