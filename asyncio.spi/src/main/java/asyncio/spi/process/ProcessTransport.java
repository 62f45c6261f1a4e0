package asyncio.spi.process;

import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.subprocess.ProcessLookupError;
import asyncio.api.subprocess.SubprocessProtocol;
import asyncio.api.subprocess.SubprocessTransport;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.BaseTransport;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A child process, its pipes as transports, and asyncio's order of callbacks: {@code connectionMade},
 * pipe data, {@code processExited} and {@code pipeConnectionLost} as they happen, and
 * {@code connectionLost} only once the child has exited and every pipe is closed. How the child
 * was started, how its pipes are read and how its exit is noticed is the {@link ChildProcess}'s
 * business. Shared by both loop families (the proactor loop supplies its own {@link ChildProcess}).
 * Mirrors {@code asyncio.base_subprocess.BaseSubprocessTransport}.
 */
public final class ProcessTransport implements SubprocessTransport {
    /** The logger every transport writes to, as asyncio's single {@code asyncio} logger. */
    private static final Logger LOG = LoggerFactory.getLogger("asyncio");
    private static final int SIGKILL = 9;

    private final EventLoop loop;
    /** Told once the transport was closed or its child exited: the loop has nothing of it left to close. */
    private final Consumer<ProcessTransport> onRelease;
    private final SubprocessProtocol protocol;
    private final ChildProcess child;
    private final BaseTransport[] pipes;
    private final boolean[] pipeOpen = new boolean[3];
    private final List<Future<Integer>> exitWaiters = new ArrayList<>();
    /** What happened before {@code connectionMade}, replayed right after it; null once connected. Mirrors {@code _pending_calls}. */
    private List<Runnable> pendingCalls = new ArrayList<>();
    private Integer returncode;
    private boolean closed;
    private boolean finished;
    /** {@code connectionLost} was called: the process is gone for good, and signals raise. */
    private boolean released;

    private ProcessTransport(EventLoop loop, Consumer<ProcessTransport> released, SubprocessProtocol protocol,
                             ChildProcess child) {
        this.loop = loop;
        this.onRelease = released;
        this.protocol = protocol;
        this.child = child;
        this.pipes = child.openPipes(this);
        for (int fd = 0; fd < 3; fd++) {
            pipeOpen[fd] = pipes[fd] != null;
        }
    }

    /**
     * Takes over the started {@code child} and schedules {@code connectionMade}; {@code waiter}
     * completes right after it. {@code released} is told when the loop need not close it any more.
     */
    public static ProcessTransport start(EventLoop loop, Consumer<ProcessTransport> released,
                                         SubprocessProtocol protocol, ChildProcess child, Future<Void> waiter) {
        ProcessTransport transport = new ProcessTransport(loop, released, protocol, child);
        loop.callSoon(() -> transport.connect(waiter));
        return transport;
    }

    private void connect(Future<Void> waiter) {
        try {
            protocol.connectionMade(this);
        } finally {
            List<Runnable> pending = pendingCalls;
            pendingCalls = null;
            pending.forEach(loop::callSoon);
            // The exit watch starts after connectionMade, so no exit can be reported before it.
            child.start(this::processExited);
            if (waiter != null && !waiter.done()) {
                waiter.setResult(null);
            }
        }
    }

    /** Runs {@code call} soon, or after {@code connectionMade} if that has not happened yet. Mirrors {@code _call()}. */
    private void call(Runnable call) {
        if (pendingCalls != null) {
            pendingCalls.add(call);
        } else {
            loop.callSoon(call);
        }
    }

    // --- from the pipes ---

    /** Data read from the child's stdout (1) or stderr (2), valid during the call only. */
    public void pipeDataReceived(int fd, ByteBuffer data) {
        if (pendingCalls == null) {
            // Delivered at once: the buffer is only valid during this call.
            protocol.pipeDataReceived(fd, data);
            return;
        }
        ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
        pendingCalls.add(() -> protocol.pipeDataReceived(fd, copy));
    }

    /** The pipe of {@code fd} is closed ({@code error} null: without an error). */
    public void pipeConnectionLost(int fd, Throwable error) {
        pipeOpen[fd] = false;
        call(() -> protocol.pipeConnectionLost(fd, error));
        tryFinish();
    }

    private void processExited(int code) {
        onRelease.accept(this);
        if (loop.getDebug()) {
            LOG.info("{} exited with return code {}", this, code);
        }
        returncode = code;
        call(protocol::processExited);
        tryFinish();
        for (Future<Integer> waiter : exitWaiters) {
            if (!waiter.cancelled() && !waiter.done()) {
                waiter.setResult(returncode);
            }
        }
        exitWaiters.clear();
    }

    private void tryFinish() {
        if (finished || returncode == null || pipeOpen[0] || pipeOpen[1] || pipeOpen[2]) {
            return;
        }
        finished = true;
        call(() -> {
            released = true;
            protocol.connectionLost(null);
        });
    }

    /** Completes with the return code once the child has exited. Mirrors {@code _wait()}. */
    Future<Integer> exitFuture() {
        Future<Integer> waiter = loop.createFuture();
        if (returncode != null) {
            waiter.setResult(returncode);
        } else {
            exitWaiters.add(waiter);
        }
        return waiter;
    }

    // --- SubprocessTransport ---

    @Override
    public long getPid() {
        return child.pid();
    }

    @Override
    public BaseTransport getPipeTransport(int fd) {
        return fd >= 0 && fd < 3 ? pipes[fd] : null;
    }

    @Override
    public Integer getReturncode() {
        return returncode;
    }

    /**
     * Raises {@link ProcessLookupError} once {@code connectionLost} was called (asyncio drops its
     * {@code Popen} then), and does nothing for a child whose exit was already noticed (as
     * {@code Popen.send_signal} skips a process known to be dead).
     */
    @Override
    public void sendSignal(int signal) {
        if (released) {
            throw new ProcessLookupError("the process " + child.pid() + " is gone");
        }
        if (returncode == null) {
            child.sendSignal(signal);
        }
    }

    @Override
    public void terminate() {
        sendSignal(15);
    }

    @Override
    public void kill() {
        sendSignal(SIGKILL);
    }

    /** Closes the pipes and kills a child still running. Mirrors {@code close()}. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        onRelease.accept(this);
        for (BaseTransport pipe : pipes) {
            if (pipe != null) {
                pipe.close();
            }
        }
        if (returncode == null) {
            if (loop.getDebug()) {
                LOG.warn("Close running child process: kill {}", this);
            }
            try {
                child.sendSignal(SIGKILL);
            } catch (ProcessLookupError gone) {
                // Exited meanwhile: its exit is reported as usual.
            }
        }
    }

    /**
     * The loop closed with this transport open and its child running: do what {@link #close()}
     * does, as Python's collector does through {@code __del__}, without the callbacks the closed
     * loop cannot run, so the child does not outlive the loop (or the JVM).
     */
    public void closedWithLoop() {
        if (closed || returncode != null) {
            return;
        }
        closed = true;
        LOG.warn("unclosed transport {} closed with its loop: child killed", this);
        child.killWithLoop();
    }

    @Override
    public boolean isClosing() {
        return closed;
    }

    @Override
    public Object getExtraInfo(String name, Object defaultValue) {
        return "subprocess".equals(name) ? child.handle() : defaultValue;
    }

    @Override
    public void setProtocol(BaseProtocol newProtocol) {
        throw new UnsupportedOperationException("the protocol of a subprocess transport is fixed");
    }

    @Override
    public BaseProtocol getProtocol() {
        return protocol;
    }

    @Override
    public String toString() {
        return "<ProcessTransport pid=" + child.pid() + (returncode != null ? " returncode=" + returncode : " running")
                + (closed ? " closed" : "") + ">";
    }
}
