package asyncio.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Heap in use after full collections, the figure {@link ScaleBench} divides by its object count.
 * Reading {@code used} right after {@code System.gc()} counts only what is reachable: with G1 (the
 * default here) an explicit GC is a full, stop-the-world, compacting collection unless
 * {@code -XX:+ExplicitGCInvokesConcurrent} is given, and {@link #check()} refuses that flag.
 */
final class HeapMeter {
    /** Full GCs per reading at most; it stops earlier once two readings agree (weak and soft refs, finalizers settle). */
    private static final int MAX_ROUNDS = 8;
    /** Readings within this many bytes count as settled. */
    private static final long SETTLED_BYTES = 64 * 1024;

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private HeapMeter() {
    }

    /** How the heap is measured, for the report. */
    static String method() {
        return "MemoryMXBean heap used after System.gc() (full GC, repeated until two readings agree within 64 KiB)"
                + ", gc=" + collectors();
    }

    /** Fails when explicit GCs would not be full collections, so that no figure is silently wrong. */
    static void check() {
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (argument.equals("-XX:+ExplicitGCInvokesConcurrent") || argument.equals("-XX:+DisableExplicitGC")) {
                throw new IllegalStateException(argument + " makes System.gc() no full collection; drop it");
            }
        }
    }

    /** Bytes of heap reachable now. Call it on a quiet loop: what runs meanwhile is counted too. */
    static long usedAfterGc() {
        long previous = Long.MAX_VALUE;
        long used = 0;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            System.gc();
            used = MEMORY.getHeapMemoryUsage().getUsed();
            if (Math.abs(previous - used) <= SETTLED_BYTES) {
                break;
            }
            previous = used;
        }
        return used;
    }

    private static String collectors() {
        StringBuilder names = new StringBuilder();
        for (var collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!names.isEmpty()) {
                names.append('+');
            }
            names.append(collector.getName().replace(' ', '_'));
        }
        return names.toString();
    }
}
