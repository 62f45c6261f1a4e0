package asyncio.tests;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For the fault-injection tests: fails a test that ends with more descriptors or platform threads
 * than it started with. A test's sockets close and its executor threads end a little after its
 * loop closes, so the check waits for them, boundedly, before it fails. Tasks belong to a loop,
 * not to the JVM, so each test checks its own with {@link #assertOnlyThisTaskLeft()}.
 *
 * <p>Threads the JDK or JUnit start once and keep (the virtual-thread carriers and pollers, the
 * process reaper, cleaners, JUnit's timeout watcher) are not the test's doing and are not counted.
 */
public final class BackToStart implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(BackToStart.class);
    private static final long PATIENCE_NANOS = 10_000_000_000L;

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put("descriptors", NoDescriptorGrowth.descriptors());
        context.getStore(NAMESPACE).put("threads", threads());
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        @SuppressWarnings("unchecked")
        List<String> descriptorsBefore = context.getStore(NAMESPACE).get("descriptors", List.class);
        @SuppressWarnings("unchecked")
        Set<Thread> threadsBefore = context.getStore(NAMESPACE).get("threads", Set.class);
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        List<String> extraDescriptors;
        List<String> extraThreads;
        do {
            // A thread's end is an event to wait on: join each new one within what is left.
            for (Thread extra : threads()) {
                if (!threadsBefore.contains(extra)) {
                    extra.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                }
            }
            extraDescriptors = minus(NoDescriptorGrowth.descriptors(), descriptorsBefore);
            extraThreads = threads().stream().filter(thread -> !threadsBefore.contains(thread))
                    .map(Thread::getName).toList();
            if (extraDescriptors.isEmpty() && extraThreads.isEmpty()) {
                return;
            }
            // A descriptor the JDK closes on one of its own threads (a reaper, a cleaner) sends no
            // event: look again shortly, within the same bound.
            Thread.sleep(10);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(context.getDisplayName() + " did not give back what it took: descriptors "
                + extraDescriptors + ", threads " + extraThreads);
    }

    /** Fails unless the running task is the only task of its loop. */
    static void assertOnlyThisTaskLeft() {
        var others = asyncio.api.Asyncio.allTasks().stream()
                .filter(task -> task != asyncio.api.Asyncio.currentTask()).toList();
        if (!others.isEmpty()) {
            throw new AssertionError("tasks still pending: " + others);
        }
    }

    /** The live platform threads, less the JDK's own that live for the life of the JVM once started. */
    private static Set<Thread> threads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !thread.isVirtual() && thread.isAlive() && !jdkOwned(thread.getName()))
                .collect(Collectors.toSet());
    }

    private static boolean jdkOwned(String name) {
        return name.startsWith("ForkJoinPool") || name.startsWith("VirtualThread-") || name.equals("process reaper")
                || name.endsWith("-Poller")
                || name.startsWith("Common-Cleaner") || name.startsWith("Cleaner-") || name.equals("Attach Listener")
                || name.startsWith("junit-");
    }

    /** A multiset difference: anonymous inodes all look alike. */
    private static List<String> minus(List<String> after, List<String> before) {
        List<String> extra = new ArrayList<>(after);
        for (String open : before) {
            extra.remove(open);
        }
        return extra;
    }
}
