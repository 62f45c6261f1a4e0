package asyncio.spi;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.FutureCallGraph;
import asyncio.api.Task;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Publishes a loop as the MXBean {@code asyncio:type=EventLoop,name=<class>-<id>} on the
 * platform MBean server. Nothing is registered unless the application calls {@link #register}
 * or the JVM runs with {@code -Dasyncio.jmx=true} (then every loop registers when created and
 * unregisters when closed). A read runs on the loop thread through {@code callSoonThreadsafe},
 * so it sees a consistent loop and measures how late the loop runs a callback; no Python twin
 * (CPython's {@code python -m asyncio ps} reads the process's memory instead).
 */
public final class EventLoopMonitor implements EventLoopMXBean {
    /** The system property that registers every loop: {@code -Dasyncio.jmx=true}. */
    public static final String PROPERTY = "asyncio.jmx";

    private static final Map<EventLoop, ObjectName> REGISTERED = new ConcurrentHashMap<>();
    private static final long ANSWER_MILLIS = 1000;
    private static final long FRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final EventLoop loop;
    private volatile Snapshot last;

    private EventLoopMonitor(EventLoop loop) {
        this.loop = loop;
    }

    /**
     * Registers {@code loop}'s MXBean (once) and returns its name; it is unregistered when a loop
     * of this project closes, or by {@link #unregister}.
     */
    public static ObjectName register(EventLoop loop) {
        return REGISTERED.computeIfAbsent(loop, key -> {
            try {
                ObjectName name = new ObjectName("asyncio:type=EventLoop,name=" + key.getClass().getSimpleName()
                        + "-" + Integer.toHexString(System.identityHashCode(key)));
                ManagementFactory.getPlatformMBeanServer().registerMBean(new EventLoopMonitor(key), name);
                return name;
            } catch (JMException error) {
                throw new IllegalStateException("cannot register the MXBean of " + key, error);
            }
        });
    }

    /** Removes {@code loop}'s MXBean, if registered. */
    public static void unregister(EventLoop loop) {
        ObjectName name = REGISTERED.remove(loop);
        if (name == null) {
            return;
        }
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            server.unregisterMBean(name);
        } catch (JMException alreadyGone) {
            // Someone unregistered it through JMX: nothing left to do.
        }
    }

    /** Registers {@code loop} when {@code -Dasyncio.jmx=true}; called by every new {@link BaseEventLoop}. */
    static void registerIfEnabled(EventLoop loop) {
        if (Boolean.getBoolean(PROPERTY)) {
            register(loop);
        }
    }

    @Override
    public String getLoopClass() {
        return loop.getClass().getName();
    }

    @Override
    public String getThreadName() {
        return snapshot().threadName;
    }

    @Override
    public long getThreadId() {
        return snapshot().threadId;
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }

    @Override
    public boolean isClosed() {
        return loop.isClosed();
    }

    @Override
    public boolean isDebug() {
        return loop.getDebug();
    }

    @Override
    public int getReadyQueueLength() {
        return snapshot().ready;
    }

    @Override
    public int getTimerCount() {
        return snapshot().timers;
    }

    @Override
    public double getLoopLagMillis() {
        return snapshot().lagMillis;
    }

    @Override
    public TaskInfo[] getTasks() {
        return snapshot().tasks.toArray(TaskInfo[]::new);
    }

    @Override
    public TransportInfo[] getTransports() {
        return snapshot().transports.toArray(TransportInfo[]::new);
    }

    /** What the loop thread saw; reused for a moment so that a client reading every attribute asks once. */
    private record Snapshot(long takenAt, String threadName, long threadId, int ready, int timers, double lagMillis,
            List<TaskInfo> tasks, List<TransportInfo> transports) {
    }

    private Snapshot snapshot() {
        Snapshot recent = last;
        if (recent != null && System.nanoTime() - recent.takenAt < FRESH_NANOS) {
            return recent;
        }
        Snapshot fresh = loop.isRunning() ? askTheLoop() : new Snapshot(System.nanoTime(), "", 0, 0, 0, 0, List.of(), List.of());
        last = fresh;
        return fresh;
    }

    private Snapshot askTheLoop() {
        CompletableFuture<Snapshot> answer = new CompletableFuture<>();
        long sent = System.nanoTime();
        try {
            loop.callSoonThreadsafe(() -> answer.complete(take((System.nanoTime() - sent) / 1e6)));
            return answer.get(ANSWER_MILLIS, TimeUnit.MILLISECONDS);
        } catch (Exception notAnswered) {
            // Closed, stopped, or stuck in a callback: say so rather than block the JMX client.
            return new Snapshot(System.nanoTime(), "", 0, 0, 0, -1, List.of(), List.of());
        }
    }

    /** Runs on the loop thread. */
    private Snapshot take(double lagMillis) {
        Thread thread = Thread.currentThread();
        int ready = loop instanceof BaseEventLoop base ? base.readyCount() : 0;
        int timers = loop instanceof BaseEventLoop base ? base.scheduledTimerCount() : 0;
        List<TaskInfo> tasks = new ArrayList<>();
        for (Task<?> task : Asyncio.allTasks(loop)) {
            tasks.add(describe(task));
        }
        List<TransportInfo> transports = new ArrayList<>();
        if (loop instanceof BaseEventLoop base) {
            for (InspectableTransport transport : base.liveTransports()) {
                transports.add(transport.describe());
            }
        }
        return new Snapshot(System.nanoTime(), thread.getName(), thread.threadId(), ready, timers, lagMillis, tasks,
                transports);
    }

    private static TaskInfo describe(Task<?> task) {
        List<String> stack = new ArrayList<>();
        List<StackTraceElement> oldestFirst = task.getStack(0);
        for (int i = oldestFirst.size() - 1; i >= 0; i--) {
            StackTraceElement frame = oldestFirst.get(i);
            boolean plumbing = frame.getMethodName().equals("await") && frame.getClassName().startsWith("asyncio.api.");
            if (!(plumbing && stack.isEmpty())) {
                stack.add(frame.getClassName() + "." + frame.getMethodName() + " " + frame.getFileName() + ":"
                        + frame.getLineNumber());
            }
        }
        // limit 0: the awaiters without anybody's frames, which is all this row needs.
        FutureCallGraph graph = Asyncio.captureCallGraph(task, 1, 0);
        List<String> awaitedBy = new ArrayList<>();
        for (FutureCallGraph waiter : graph.awaitedBy()) {
            if (waiter.future() instanceof Task<?>) {
                awaitedBy.add(idOf(waiter.future()));
            }
        }
        String state = task.cancelling() > 0 ? "cancelling" : "pending";
        return new TaskInfo(idOf(task), task.getName(), state, stack, awaitedBy);
    }

    /** The id of a task or transport, as the call graph, the MXBean, asyncio-ps and the JFR events print it. */
    static String idOf(Object future) {
        return "0x" + Integer.toHexString(System.identityHashCode(future));
    }
}
