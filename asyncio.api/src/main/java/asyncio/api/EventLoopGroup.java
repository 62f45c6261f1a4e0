package asyncio.api;

import asyncio.api.internal.AcceptorGroupServer;
import asyncio.api.internal.GroupLoopThread;
import asyncio.api.internal.ReusePortGroupServer;
import asyncio.api.internal.RunningLoop;
import asyncio.api.internal.Throwables;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.ServerOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * N event loops in one JVM, each on a thread of its own, serving listening ports together: one
 * loop per core. asyncio has no such API; it scales across cores with N processes, each running
 * one loop (with {@code reuse_port=True} on a shared port). This is that, in one JVM, shaped as
 * Netty's {@code EventLoopGroup}: {@link #createServer} with {@code reusePort} gives each loop a
 * listening socket of its own and lets the kernel spread connections; without it one socket is
 * listened on, the first loop accepts and deals the connections to the loops in turn
 * ({@code connect_accepted_socket}). Each loop is an ordinary single-threaded asyncio loop: a
 * protocol runs on the loop of its connection, and other threads reach a loop only through
 * {@link EventLoop#callSoonThreadsafe} and {@link Asyncio#runCoroutineThreadsafe}.
 *
 * <pre>{@code
 * try (EventLoopGroup group = EventLoopGroup.start(Runtime.getRuntime().availableProcessors())) {
 *     GroupServer server = group.createServer(EchoProtocol::new, "127.0.0.1", 8888,
 *             new ServerOptions().reusePort(true));
 *     ...
 * }   // closes the servers and their connections, then stops and closes every loop
 * }</pre>
 */
public final class EventLoopGroup implements AutoCloseable {
    /** How long {@link #close()} waits for each loop thread to finish its teardown. */
    private static final Duration THREAD_STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final AtomicInteger GROUPS = new AtomicInteger();

    private final List<GroupLoopThread> threads;
    private final List<EventLoop> loops;
    private final AtomicInteger turn = new AtomicInteger();
    private final List<GroupServer> servers = new CopyOnWriteArrayList<>();
    private boolean closed;

    private EventLoopGroup(List<GroupLoopThread> threads, List<EventLoop> loops) {
        this.threads = threads;
        this.loops = loops;
    }

    /** Starts {@code size} loops from the event loop policy ({@link Asyncio#newEventLoop()}), one thread each. */
    public static EventLoopGroup start(int size) {
        return start(size, Asyncio::newEventLoop);
    }

    /**
     * Starts {@code size} loops, one platform thread each (named {@code asyncio-group-G-loop-I}),
     * each loop made by {@code loopFactory} on its own thread; returns once all of them run. If one
     * cannot be made, the others are stopped and its exception is thrown.
     */
    public static EventLoopGroup start(int size, Supplier<? extends EventLoop> loopFactory) {
        if (size < 1) {
            throw new IllegalArgumentException("a loop group needs at least one loop (got " + size + ")");
        }
        Objects.requireNonNull(loopFactory, "loopFactory");
        int group = GROUPS.incrementAndGet();
        List<GroupLoopThread> threads = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            threads.add(new GroupLoopThread("asyncio-group-" + group + "-loop-" + i, loopFactory));
        }
        List<EventLoop> loops = new ArrayList<>();
        try {
            for (GroupLoopThread thread : threads) {
                loops.add(thread.awaitRunning());
            }
        } catch (Throwable failed) {
            stopAll(threads, failed);
            throw failed;
        }
        return new EventLoopGroup(List.copyOf(threads), List.copyOf(loops));
    }

    /** The group's loops, in a fixed order; the first one accepts for servers without {@code reusePort}. */
    public List<EventLoop> loops() {
        return loops;
    }

    /** How many loops the group runs. */
    public int size() {
        return loops.size();
    }

    /** The next loop in turn (round robin); any thread. Mirrors Netty's {@code EventLoopGroup.next()}. */
    public EventLoop next() {
        return loops.get(Math.floorMod(turn.getAndIncrement(), loops.size()));
    }

    /**
     * Serves {@code host}:{@code port} (null host: every interface; port 0: one the system picks,
     * then the same for every loop) with {@code protocolFactory} on every loop of the group; each
     * connection's protocol runs on one loop. With {@code options.reusePort()} every loop runs
     * {@link EventLoop#createServer} with SO_REUSEPORT (the kernel spreads the connections);
     * without it, one listening socket (or {@code options.sock()}) is accepted on by the first
     * loop, and each connection goes to the next loop in turn through
     * {@link EventLoop#connectAcceptedSocket} (only the TLS options apply then, as there). Blocks
     * until listening; call it from a thread that is not one of the group's loops. Throws what
     * {@code create_server} would (the address in use, say), after closing what was opened.
     */
    public GroupServer createServer(Supplier<? extends BaseProtocol> protocolFactory, String host, int port,
                                    ServerOptions options) throws IOException {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        Objects.requireNonNull(options, "options");
        checkOpenAndOutside("createServer");
        GroupServer server;
        if (options.reusePort()) {
            if (options.sock() != null) {
                throw new IllegalArgumentException("reusePort gives each loop a listening socket of its own: "
                        + "a given sock cannot be shared; leave reusePort off to accept on it");
            }
            server = ReusePortGroupServer.start(loops, protocolFactory, host, port, options);
        } else {
            server = AcceptorGroupServer.start(loops, this::next, protocolFactory, host, port, options);
        }
        servers.add(server);
        return server;
    }

    private synchronized void checkOpenAndOutside(String operation) {
        if (closed) {
            throw new IllegalStateException("the loop group is closed");
        }
        checkOutside(operation);
    }

    private void checkOutside(String operation) {
        // The running loop, not the thread: on the virtual-thread carrier a task runs off the loop's thread.
        EventLoop running = RunningLoop.get();
        for (GroupLoopThread thread : threads) {
            if (thread.isCurrent() || (running != null && loops != null && loops.contains(running))) {
                throw new IllegalStateException(operation + " blocks until every loop of the group answered: "
                        + "call it from a thread outside the group, not from one of its loops");
            }
        }
    }

    /**
     * Closes every server of the group ({@link GroupServer#close()}: listening stops, connections
     * close), then stops each loop and waits for its thread to tear it down as {@code asyncio.run}
     * does (tasks left are cancelled, the default executor is shut down, the loop is closed).
     * Throws the first failure (others suppressed) once everything was attempted. Call it from a
     * thread outside the group. Idempotent.
     */
    @Override
    public void close() {
        checkOutside("close");
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        Throwable failure = null;
        for (GroupServer server : servers) {
            try {
                server.close();
            } catch (Throwable failed) {
                failure = add(failure, failed);
            }
        }
        servers.clear();
        failure = stopAll(threads, failure);
        if (failure != null) {
            throw Throwables.sneaky(failure);
        }
    }

    /** Stops every thread and waits for each; returns {@code failure} with what they raised added (or the first of those). */
    private static Throwable stopAll(List<GroupLoopThread> threads, Throwable failure) {
        for (GroupLoopThread thread : threads) {
            thread.stop();
        }
        for (GroupLoopThread thread : threads) {
            try {
                thread.awaitEnded(THREAD_STOP_TIMEOUT);
            } catch (Throwable failed) {
                failure = add(failure, failed);
            }
        }
        return failure;
    }

    private static Throwable add(Throwable first, Throwable next) {
        if (first == null) {
            return next;
        }
        if (first == next) {
            return first;
        }
        first.addSuppressed(next);
        return first;
    }
}
