package asyncio.uring;

import asyncio.api.subprocess.SubprocessOptions;
import asyncio.epoll.NativeChildren;
import asyncio.spi.SignalHandlers;
import asyncio.spi.proactor.ProactorEventLoop;
import asyncio.spi.proactor.ProactorProcess;
import asyncio.spi.proactor.ProactorSocket;
import asyncio.spi.process.SpawnedProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

/**
 * The proactor loop on Linux io_uring: asyncio's {@code ProactorEventLoop} transports over
 * {@link UringCompletionPort}. The loop's stream and listening sockets are native descriptors
 * (asyncio.epoll's), its datagram sockets and the application's channels non-blocking NIO channels;
 * the ring works on the descriptors of both.
 */
public final class UringEventLoop extends ProactorEventLoop {
    private final UringCompletionPort port;
    /** The application's channels used with sock_*: one socket each, so their operations share one list. */
    private final Map<SelectableChannel, UringSocket> adopted = new WeakHashMap<>();
    private SignalHandlers signalHandlers;
    /** Starts children; its spawn runs off the loop thread (ProcessStarter), one at a time. */
    private final NativeChildren children = new NativeChildren();

    /** A loop with its own ring; fails if io_uring cannot be set up (see the provider's probe). */
    public UringEventLoop() {
        this(openPort());
    }

    private UringEventLoop(UringCompletionPort port) {
        super(port);
        this.port = port;
    }

    private static UringCompletionPort openPort() {
        try {
            return new UringCompletionPort();
        } catch (IOException failed) {
            throw new UncheckedIOException("cannot set up io_uring", failed);
        }
    }

    /** Signals as on asyncio's Unix loops (the JVM's signal thread hands them over), not refused as on the Windows proactor. */
    @Override
    public void addSignalHandler(String signal, Runnable callback) {
        checkClosed();
        Objects.requireNonNull(callback, "callback");
        if (signalHandlers == null) {
            signalHandlers = new SignalHandlers(this);
        }
        signalHandlers.add(signal, callback);
    }

    @Override
    public void addSignalHandler(int signal, Runnable callback) {
        addSignalHandler(SignalHandlers.nameOf(signal), callback);
    }

    @Override
    public boolean removeSignalHandler(String signal) {
        if (signalHandlers == null) {
            SignalHandlers.check(signal);
            return false;
        }
        return signalHandlers.remove(signal);
    }

    @Override
    public boolean removeSignalHandler(int signal) {
        return removeSignalHandler(SignalHandlers.nameOf(signal));
    }

    /** Restores the signal handlers this loop installed, as asyncio's Unix loops do at close. */
    @Override
    protected void closeResources() {
        if (signalHandlers != null) {
            signalHandlers.removeAll();
        }
        super.closeResources();
    }

    @Override
    public String implementationName() {
        return UringEventLoopProvider.NAME;
    }

    /** A native socket (TCP or Unix), so that the ring can connect it (IORING_OP_CONNECT). */
    @Override
    protected ProactorSocket openStreamSocket(ProtocolFamily family) throws IOException {
        return new UringSocket(port, port.sockets.openStream(family));
    }

    /** Unix datagram sockets are native (NIO's DatagramChannel has no AF_UNIX); IP ones NIO channels. */
    @Override
    protected ProactorSocket openDatagramSocket(ProtocolFamily family) throws IOException {
        if (family == StandardProtocolFamily.UNIX) {
            return new UringSocket(port, port.sockets.openDatagram(family));
        }
        DatagramChannel channel = family == null ? DatagramChannel.open() : DatagramChannel.open(family);
        return wrap(channel);
    }

    /** A native listening socket (TCP or Unix), so that the ring can accept on it (IORING_OP_ACCEPT). */
    @Override
    protected ProactorSocket openListeningSocket(ProtocolFamily family) throws IOException {
        return new UringSocket(port, port.sockets.openListening(family));
    }

    /** As the epoll loop: Linux has AF_UNIX datagram sockets, and asyncio's Unix loops take them. */
    @Override
    protected boolean hasUnixDatagrams() {
        return true;
    }

    /**
     * posix_spawnp and a pidfd, as the epoll loop (asyncio.epoll's {@link NativeChildren}); the
     * ring then moves the pipes' bytes and polls the pidfd ({@link UringProcess}).
     */
    @Override
    protected ProactorProcess spawnProcess(List<String> args, SubprocessOptions options) throws IOException {
        SpawnedProcess child = children.spawn(args, options);
        if (child == null) {
            String reason = NativeChildren.unsupportedReason();
            throw new UnsupportedOperationException("the uring loop cannot start this child: " + (reason != null ? reason
                    : "a working directory needs posix_spawn_file_actions_addchdir_np (glibc 2.29+)"));
        }
        return new UringProcess(port, child);
    }

    /** posix_spawn takes them, as on the epoll loop: setsid, descriptors kept open, close_fds=False. */
    @Override
    protected boolean spawnsPosixOptions() {
        return true;
    }

    private UringSocket wrap(SelectableChannel channel) throws IOException {
        try {
            channel.configureBlocking(false);
            return new UringSocket(port, channel);
        } catch (IOException | RuntimeException failed) {
            channel.close();
            throw failed;
        }
    }

    @Override
    protected ProactorSocket adopt(SelectableChannel channel) throws IOException {
        if (channel.isBlocking()) {
            channel.configureBlocking(false);
        }
        UringSocket socket = adopted.get(channel);
        if (socket == null) {
            socket = new UringSocket(port, channel);
            adopted.put(channel, socket);
        }
        return socket;
    }

    @Override
    protected ProactorSocket adoptPipe(SelectableChannel pipe) throws IOException {
        // Non-blocking, as NIO's pipe ends usually are: the port polls before it reads or writes.
        if (pipe.isBlocking()) {
            pipe.configureBlocking(false);
        }
        return new UringSocket(port, pipe);
    }
}
