package asyncio.spi;

/**
 * What a running loop shows through JMX as {@code asyncio:type=EventLoop,name=...}: its class and
 * thread, its tasks and who awaits them, its queues, and how late it runs a callback. Every type is
 * an open type, so JConsole, VisualVM and {@code asyncio-ps} read it without this module. The
 * Java side of what {@code python -m asyncio ps} reads from a process; see {@link EventLoopMonitor}.
 */
public interface EventLoopMXBean {
    /** The loop's class name. */
    String getLoopClass();

    /** The name of the thread running the loop, or empty when it does not run. */
    String getThreadName();

    /** The id of the thread running the loop, or 0 when it does not run. */
    long getThreadId();

    /** Whether the loop runs. Mirrors {@code loop.is_running()}. */
    boolean isRunning();

    /** Whether the loop is closed. Mirrors {@code loop.is_closed()}. */
    boolean isClosed();

    /** Whether debug mode is on. Mirrors {@code loop.get_debug()}. */
    boolean isDebug();

    /** How many callbacks wait in the ready queue. */
    int getReadyQueueLength();

    /** How many timers are scheduled (cancelled ones not yet dropped included). */
    int getTimerCount();

    /**
     * How long, in milliseconds, a callback sent from another thread waited before the loop ran it,
     * measured by this read; -1 when the loop did not answer within a second.
     */
    double getLoopLagMillis();

    /** The loop's pending tasks, in creation order, each with its frames and its awaiters. */
    TaskInfo[] getTasks();

    /**
     * The transports that hold a socket or pipe now (until {@code connection_lost}), each with its
     * kind, addresses, protocol and the bytes it received and sent.
     */
    TransportInfo[] getTransports();
}
