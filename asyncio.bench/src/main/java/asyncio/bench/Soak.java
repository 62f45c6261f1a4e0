package asyncio.bench;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Task;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/**
 * The soak of issue 18: the mixed load of {@link SoakLoad} against one loop in one JVM for a
 * while, sampling heap after GC, open descriptors, threads and live tasks at fixed intervals (and
 * at the end). It fails (exit 1) when a figure grows without bound, when an echo came back wrong
 * or a round failed, when the loop's exception handler was called, or when, after the load
 * stopped, the tasks and descriptors are not back to where they were before it started.
 *
 * <pre>
 * Soak --minutes N | --seconds S  [--loop epoll|selector] [--sample-seconds S] [--scale K]
 * </pre>
 *
 * "Without bound" is decided on the samples taken under load: the highest sample of the last
 * third may exceed the highest of the first third by at most a margin (heap: 16 MiB or a quarter
 * of that first-third maximum, whichever is larger; descriptors: 32; threads: 4; tasks: 4 per
 * lane). A leak of a few hundred bytes per connection crosses the heap margin within minutes at
 * the load's connection rate; a leaked descriptor per minute crosses the descriptor margin in a
 * 30-minute run. Steady-state noise (connections in flight at the sampling instant) stays under it.
 */
public final class Soak {
    private static final long MIB = 1024 * 1024;

    private Soak() {
    }

    /** Command-line options; {@code seconds} is the duration of the load. */
    record Options(double seconds, String loop, double sampleSeconds, int scale) {
        static Options parse(String[] args) {
            double seconds = -1;
            String loop = null;
            double sampleSeconds = -1;
            int scale = 2;
            for (int i = 0; i < args.length; i += 2) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                if (value == null) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                switch (args[i]) {
                    case "--minutes" -> seconds = Double.parseDouble(value) * 60;
                    case "--seconds" -> seconds = Double.parseDouble(value);
                    case "--loop" -> loop = value;
                    case "--sample-seconds" -> sampleSeconds = Double.parseDouble(value);
                    case "--scale" -> scale = Integer.parseInt(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (seconds <= 0) {
                throw new IllegalArgumentException("give --minutes N or --seconds S (> 0)");
            }
            if (sampleSeconds <= 0) {
                // A minute for real soaks; short runs (CI's) need more than a handful of samples.
                sampleSeconds = seconds >= 600 ? 60 : Math.max(1, seconds / 6);
            }
            if (scale <= 0) {
                throw new IllegalArgumentException("--scale must be > 0");
            }
            return new Options(seconds, loop, sampleSeconds, scale);
        }
    }

    /** One reading: seconds since the load started, heap after GC, descriptors, threads, tasks. */
    record Sample(double seconds, long heapBytes, long descriptors, long threads, long tasks) {
        static Sample take(double seconds, EventLoop loop) {
            return new Sample(seconds, HeapMeter.usedAfterGc(), openDescriptors(),
                    ManagementFactory.getThreadMXBean().getThreadCount(), Asyncio.allTasks(loop).size());
        }

        String line(String label) {
            return String.format(Locale.ROOT, "SAMPLE %s t=%.0fs heap_mib=%.1f fds=%d threads=%d tasks=%d",
                    label, seconds, heapBytes / (double) MIB, descriptors, threads, tasks);
        }
    }

    /** Runs the soak; exit 0 when it held, 1 when it failed, 2 on bad options. */
    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException error) {
            System.err.println("soak: " + error.getMessage());
            System.err.println("usage: soak --minutes N | --seconds S [--loop epoll|selector] [--sample-seconds S] [--scale K]");
            System.exit(2);
            return;
        }
        if (options.loop() != null) {
            // The policy reads it when it first chooses a provider: set it before any loop exists.
            System.setProperty("asyncio.loop", options.loop());
        }
        HeapMeter.check();
        ScaleBench.Watchdog.start(options.seconds() + 300);
        SoakTls tls = SoakTls.make();
        boolean held = Asyncio.run(() -> soak(options, tls));
        System.exit(held ? 0 : 1);
    }

    private static boolean soak(Options options, SoakTls tls) {
        EventLoop loop = Asyncio.getRunningLoop();
        long[] handlerCalls = {0};
        loop.setExceptionHandler((where, context) -> {
            handlerCalls[0]++;
            where.defaultExceptionHandler(context);
        });
        Sample before = Sample.take(0, loop);
        System.out.println(before.line("before") + " loop=" + ScaleBench.loopName(loop) + " carrier="
                + ScaleBench.carrierName() + " jdk=" + Runtime.version() + " duration_s=" + options.seconds()
                + " sample_s=" + options.sampleSeconds() + " scale=" + options.scale());
        SoakLoad load = new SoakLoad(loop, tls);
        load.startServers();
        List<Task<Void>> lanes = load.startLanes(options.scale());
        double start = loop.time();
        List<Sample> samples = new ArrayList<>();
        samples.add(report(Sample.take(0, loop), load));
        while (true) {
            double left = options.seconds() - (loop.time() - start);
            if (left <= 0.5) {
                break;
            }
            Asyncio.sleep(Math.min(options.sampleSeconds(), left));
            samples.add(report(Sample.take(loop.time() - start, loop), load));
        }
        load.stop(lanes);
        Sample after = Sample.take(loop.time() - start, loop);
        System.out.println(after.line("after-stop"));
        return verdict(samples, before, after, load, lanes.size(), handlerCalls[0]);
    }

    private static Sample report(Sample sample, SoakLoad load) {
        StringBuilder rounds = new StringBuilder();
        for (Map.Entry<String, long[]> entry : load.rounds.entrySet()) {
            rounds.append(rounds.isEmpty() ? "" : ",").append(entry.getKey()).append(':').append(entry.getValue()[0]);
        }
        System.out.println(sample.line("load") + " rounds=" + rounds + " failures=" + load.failureCount);
        System.out.flush();
        return sample;
    }

    private static boolean verdict(List<Sample> samples, Sample before, Sample after, SoakLoad load, int lanes,
            long handlerCalls) {
        List<String> problems = new ArrayList<>();
        bounded(problems, "heap", samples, Sample::heapBytes, first -> Math.max(16 * MIB, first / 4));
        bounded(problems, "fds", samples, Sample::descriptors, first -> 32);
        bounded(problems, "threads", samples, Sample::threads, first -> 4);
        bounded(problems, "tasks", samples, Sample::tasks, first -> 4L * lanes);
        if (load.failureCount > 0) {
            problems.add(load.failureCount + " failed rounds (first: " + load.failures + ")");
        }
        if (handlerCalls > 0) {
            problems.add("the loop's exception handler was called " + handlerCalls + " times");
        }
        if (after.tasks() != before.tasks()) {
            problems.add("after the load stopped " + after.tasks() + " tasks live, " + before.tasks() + " before it");
        }
        // The JDK opens a few descriptors of its own lazily (jars, entropy); a leak per connection is far more.
        if (after.descriptors() > before.descriptors() + 8) {
            problems.add("after the load stopped " + after.descriptors() + " descriptors open, " + before.descriptors()
                    + " before it");
        }
        for (String problem : problems) {
            System.out.println("PROBLEM " + problem);
        }
        System.out.println("RESULT ok=" + problems.isEmpty() + " samples=" + samples.size() + " rounds="
                + load.rounds.values().stream().mapToLong(count -> count[0]).sum());
        return problems.isEmpty();
    }

    /** Adds a problem when the last third of the samples rises above the first third's maximum by more than the margin. */
    private static void bounded(List<String> problems, String name, List<Sample> samples, ToLongFunction<Sample> figure,
            java.util.function.LongUnaryOperator margin) {
        int third = samples.size() / 3;
        if (third == 0) {
            problems.add("too few samples (" + samples.size() + ") to judge " + name + ": sample more often");
            return;
        }
        long firstMax = samples.subList(0, third).stream().mapToLong(figure).max().orElseThrow();
        long lastMax = samples.subList(samples.size() - third, samples.size()).stream().mapToLong(figure).max()
                .orElseThrow();
        long allowed = margin.applyAsLong(firstMax);
        System.out.println("CHECK " + name + " first_third_max=" + firstMax + " last_third_max=" + lastMax
                + " margin=" + allowed + " ok=" + (lastMax <= firstMax + allowed));
        if (lastMax > firstMax + allowed) {
            problems.add(name + " grew: last third up to " + lastMax + ", first third up to " + firstMax
                    + " (margin " + allowed + ")");
        }
    }

    private static long openDescriptors() {
        try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
            return entries.count();
        } catch (IOException notLinux) {
            return -1;
        }
    }
}
