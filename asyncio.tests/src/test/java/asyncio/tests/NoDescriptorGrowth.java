package asyncio.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The suite-wide descriptor check: registered for every test class at once (found through
 * {@code META-INF/services} with {@code junit.jupiter.extensions.autodetection.enabled} in
 * {@code junit-platform.properties}), it fails a class that ends with a descriptor of any kind
 * open that was not open when it started: sockets, pipes and event descriptors as
 * {@link NoDescriptorLeaks} counts them, and also files, devices and pidfds. So a leak fails
 * the build even in a class that forgot {@code NoDescriptorLeaks}, and the fd count of a JVM
 * running the whole suite stays flat. Linux only; elsewhere it does nothing.
 *
 * <p>What the JVM opens once and keeps for the life of the process is opened before the first
 * count (see {@link #warmUp}); jar files the class loader opens on demand are not counted.
 */
public final class NoDescriptorGrowth implements BeforeAllCallback, AfterAllCallback {
    private static final Path FDS = Path.of("/proc/self/fd");
    private static final String JAVA_HOME = System.getProperty("java.home");
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(NoDescriptorGrowth.class);
    private static boolean warmedUp;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (!Files.isDirectory(FDS)) {
            return;
        }
        warmUp(context);
        context.getStore(NAMESPACE).put("before", descriptors());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        @SuppressWarnings("unchecked")
        List<String> before = context.getStore(NAMESPACE).get("before", List.class);
        if (before == null) {
            return;
        }
        // A multiset difference: anonymous inodes and devices all look alike.
        List<String> leaked = new ArrayList<>(descriptors());
        for (String open : before) {
            leaked.remove(open);
        }
        if (!leaked.isEmpty()) {
            throw new AssertionError(context.getDisplayName() + " left file descriptors open: " + leaked);
        }
    }

    /**
     * Opens, once per JVM, what the JDK keeps open for good after its first use, so that the class
     * that happens to use it first is not blamed: the socket pair behind the first socket channel,
     * the virtual-thread pollers, and {@code /dev/random} and {@code /dev/urandom} (NativePRNG,
     * e.g. for the names of temporary files).
     */
    private static synchronized void warmUp(ExtensionContext context) throws Exception {
        if (warmedUp) {
            return;
        }
        warmedUp = true;
        new JdkNioWarmUp().beforeAll(context);
        new VirtualThreadPollerWarmUp().beforeAll(context);
        new SecureRandom().nextBytes(new byte[1]);
    }

    /** The link targets of the open descriptors, without the class path's jars and the JDK's own files. */
    static List<String> descriptors() {
        List<String> targets = new ArrayList<>();
        try (Stream<Path> fds = Files.list(FDS)) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (counted(target)) {
                        targets.add(target);
                    }
                } catch (IOException closedMeanwhile) {
                    // one closed while we looked
                }
            }
        } catch (IOException unreadable) {
            return List.of();
        }
        return targets;
    }

    private static boolean counted(String target) {
        // The listing's own directory descriptor shows as /proc/<pid>/fd.
        return !target.startsWith("/proc/") && !target.endsWith(".jar") && !target.startsWith(JAVA_HOME);
    }
}
