package asyncio.bench;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.EventLoopPolicy;
import asyncio.api.Future;
import asyncio.api.Task;
import asyncio.api.TimerHandle;
import asyncio.spi.DefaultEventLoopPolicy;
import java.lang.ref.Reference;
import java.util.Locale;

/**
 * The "scale and memory" targets of issue 7, as a program (never as timed tests): heap per
 * suspended task, per live and per cancelled timer, and per idle connection with 10,000 echo
 * connections whose every byte is checked. Each measurement prints one {@code RESULT kind=...} line.
 *
 * <pre>
 * ScaleBench tasks N       [--loop NAME] [--carrier continuation|virtual] [--wait sleep|future]
 * ScaleBench timers N      [--loop NAME]
 * ScaleBench connections N [--loop NAME] [--client-loop NAME] [--bytes B] [--rounds R]
 * ScaleBench clients --port P --count N [--loop NAME] [--bytes B] [--rounds R]   (the client process)
 * common: [--max-seconds S] (a watchdog ends the JVM, and its client process, after S seconds)
 *         [--hold-seconds S] (after each measurement, keep everything alive S seconds, for jcmd/jmap)
 * </pre>
 */
public final class ScaleBench {
    /** Issue 7: heap per suspended task at most 2 KiB. */
    static final long TASK_TARGET = 2048;
    /** Issue 7: heap per idle connection at most 4 KiB. */
    static final long CONNECTION_TARGET = 4096;
    /** Long enough that no sleeping task or timer comes due while it is measured. */
    private static final double HOUR = 3600;
    /** A no-op timer callback, shared so that a timer costs only what the loop allocates. */
    private static final Runnable NOTHING = () -> { };
    /** {@code --hold-seconds}: set once in main, before any measurement. */
    private static double holdSeconds;

    private ScaleBench() {
    }

    /** Command-line options; {@code count} is N. */
    record Options(String command, int count, String loop, String clientLoop, String carrier, String waitOn,
            int port, int bytes, int rounds, double maxSeconds, double holdSeconds) {
        static Options parse(String[] args) {
            if (args.length == 0) {
                throw new IllegalArgumentException("usage");
            }
            String command = args[0];
            int count = -1;
            String loop = null;
            String clientLoop = "selector";
            String carrier = null;
            String wait = "sleep";
            int port = 0;
            int bytes = 1024;
            int rounds = 4;
            double maxSeconds = 240;
            double holdSeconds = 0;
            int i = 1;
            if (i < args.length && !args[i].startsWith("--")) {
                count = Integer.parseInt(args[i++]);
            }
            for (; i < args.length; i += 2) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--loop" -> loop = required(args[i], value);
                    case "--client-loop" -> clientLoop = required(args[i], value);
                    case "--carrier" -> carrier = required(args[i], value);
                    case "--wait" -> wait = required(args[i], value);
                    case "--port" -> port = Integer.parseInt(required(args[i], value));
                    case "--count" -> count = Integer.parseInt(required(args[i], value));
                    case "--bytes" -> bytes = Integer.parseInt(required(args[i], value));
                    case "--rounds" -> rounds = Integer.parseInt(required(args[i], value));
                    case "--max-seconds" -> maxSeconds = Double.parseDouble(required(args[i], value));
                    case "--hold-seconds" -> holdSeconds = Double.parseDouble(required(args[i], value));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            switch (command) {
                case "tasks", "timers", "connections", "clients" -> { }
                default -> throw new IllegalArgumentException("unknown command " + command);
            }
            if (count <= 0) {
                throw new IllegalArgumentException(command + " needs a count N > 0");
            }
            if (!wait.equals("sleep") && !wait.equals("future")) {
                throw new IllegalArgumentException("--wait must be sleep or future, not " + wait);
            }
            if (bytes <= 0 || rounds <= 0) {
                throw new IllegalArgumentException("--bytes and --rounds must be > 0");
            }
            return new Options(command, count, loop, clientLoop, carrier, wait, port, bytes, rounds, maxSeconds, holdSeconds);
        }

        private static String required(String option, String value) {
            if (value == null) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return value;
        }
    }

    /** Runs one subcommand; exit status 0 when its measurement ran (ok=false is a result, not a failure). */
    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException error) {
            System.err.println("scale: " + error.getMessage());
            System.err.println("usage: scale tasks N [--carrier continuation|virtual] [--wait sleep|future]"
                    + " | timers N | connections N [--client-loop NAME] [--bytes B] [--rounds R]"
                    + "  (all: [--loop NAME] [--max-seconds S])");
            System.exit(2);
            return;
        }
        // Both are read once, when the first loop or task is made: set them before anything exists.
        if (options.loop() != null) {
            System.setProperty("asyncio.loop", options.loop());
        }
        if (options.carrier() != null) {
            System.setProperty("asyncio.coroutines", options.carrier());
        }
        HeapMeter.check();
        holdSeconds = options.holdSeconds();
        Watchdog.start(options.maxSeconds());
        switch (options.command()) {
            case "tasks" -> Asyncio.run(() -> tasks(options));
            case "timers" -> Asyncio.run(() -> timers(options));
            case "connections" -> Asyncio.run(() -> ScaleConnections.serve(options));
            default -> Asyncio.run(() -> ScaleClients.run(options));
        }
        System.exit(0);
    }

    /** N tasks suspended in {@code sleep(3600)} (or awaiting a future that never completes). */
    private static Void tasks(Options options) {
        EventLoop loop = Asyncio.getRunningLoop();
        int n = options.count();
        Future<Void> never = loop.createFuture();
        int[] started = {0};
        // Made before the baseline: the bench's own array of N references is not the tasks' cost.
        @SuppressWarnings({"unchecked", "rawtypes"})
        Task<Void>[] tasks = new Task[n];
        boolean sleep = options.waitOn().equals("sleep");
        long before = HeapMeter.usedAfterGc();
        for (int i = 0; i < n; i++) {
            tasks[i] = loop.createTask(() -> {
                started[0]++;
                if (sleep) {
                    Asyncio.sleep(HOUR);
                } else {
                    never.await();
                }
                return null;
            });
        }
        // Each task runs its first step in the next loop iteration, ahead of this one's wake-up.
        while (started[0] < n) {
            Asyncio.sleep(0);
        }
        long after = HeapMeter.usedAfterGc();
        report("tasks", n, loop, "wait=" + options.waitOn(), after - before, TASK_TARGET);
        for (Task<Void> task : tasks) {
            task.cancel();
        }
        Asyncio.gather(true, tasks).await();
        return null;
    }

    /**
     * N timers live, then all cancelled, then N scheduled and cancelled one after the other while
     * the loop runs: the heap after cancelling must not exceed what the N live timers needed.
     */
    private static Void timers(Options options) {
        EventLoop loop = Asyncio.getRunningLoop();
        int n = options.count();
        TimerHandle[] handles = new TimerHandle[n];
        long before = HeapMeter.usedAfterGc();
        for (int i = 0; i < n; i++) {
            handles[i] = loop.callLater(HOUR + i * 1e-6, NOTHING);
        }
        long live = HeapMeter.usedAfterGc() - before;
        report("timers-live", n, loop, "", live, -1);
        for (int i = 0; i < n; i++) {
            handles[i].cancel();
            handles[i] = null;
        }
        // The loop drops cancelled timers from its heap when it next runs (asyncio's clean-up rule).
        Asyncio.sleep(0);
        Asyncio.sleep(0);
        long cancelled = HeapMeter.usedAfterGc() - before;
        report("timers-cancelled", n, loop, "live_bytes=" + live, cancelled, live);
        for (int i = 0; i < n; i++) {
            loop.callLater(HOUR + i * 1e-6, NOTHING).cancel();
            if (i % 1000 == 999) {
                Asyncio.sleep(0);
            }
        }
        Asyncio.sleep(0);
        long churned = HeapMeter.usedAfterGc() - before;
        report("timers-churn", n, loop, "live_bytes=" + live, churned, live);
        // The array was in the baseline: were it collected early, every figure after it would read 4 B/timer low.
        Reference.reachabilityFence(handles);
        return null;
    }

    /**
     * Prints {@code RESULT kind= n= loop= carrier= heap_bytes= heap_per_item_bytes= target= ok=};
     * a negative target means the figure has none (a reference for the others).
     */
    static void report(String kind, long n, EventLoop loop, String extra, long bytes, long target) {
        StringBuilder line = new StringBuilder("RESULT kind=").append(kind).append(" n=").append(n)
                .append(" loop=").append(loopName(loop)).append(" carrier=").append(carrierName())
                .append(" jdk=").append(Runtime.version());
        if (!extra.isEmpty()) {
            line.append(' ').append(extra);
        }
        line.append(" heap_bytes=").append(bytes)
                .append(" heap_per_item_bytes=").append(String.format(Locale.ROOT, "%.1f", (double) bytes / n));
        if (target >= 0) {
            boolean ok = kind.startsWith("timers") ? bytes <= target : bytes <= target * n;
            line.append(" target=").append(target).append(" ok=").append(ok);
        }
        System.out.println(line);
        System.out.println("# heap measured by " + HeapMeter.method());
        System.out.flush();
        if (holdSeconds > 0) {
            // Blocks the loop on purpose: nothing may change while a heap histogram is taken.
            System.out.println("# holding " + holdSeconds + " s: jcmd " + ProcessHandle.current().pid()
                    + " GC.class_histogram");
            System.out.flush();
            try {
                Thread.sleep((long) (holdSeconds * 1000));
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static String loopName(EventLoop loop) {
        EventLoopPolicy policy = Asyncio.getEventLoopPolicy();
        if (policy instanceof DefaultEventLoopPolicy chosen) {
            return chosen.selection().chosen().name();
        }
        return loop.getClass().getSimpleName();
    }

    /** The carrier's name ({@code continuation} or {@code virtual}), the first word of its description. */
    static String carrierName() {
        String description = Asyncio.coroutineCarrier().trim();
        int end = description.indexOf(' ');
        return end <= 0 ? description : description.substring(0, end);
    }

    /** Ends the JVM (and, through {@link #onTimeout}, what it started) if a run hangs. */
    static final class Watchdog {
        private static volatile Runnable onTimeout = () -> { };

        private Watchdog() {
        }

        static void start(double seconds) {
            Thread thread = new Thread(() -> {
                try {
                    Thread.sleep((long) (seconds * 1000));
                } catch (InterruptedException stopped) {
                    return;
                }
                System.err.println("scale: watchdog: still running after " + seconds + " s; stopping");
                onTimeout.run();
                Runtime.getRuntime().halt(4);
            }, "scale-watchdog");
            thread.setDaemon(true);
            thread.start();
        }

        static void onTimeout(Runnable action) {
            onTimeout = action;
        }
    }
}
