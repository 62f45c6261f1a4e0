package asyncio.uring;

import asyncio.spi.proactor.ProactorEventLoop;
import asyncio.spi.proactor.ProactorSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The proactor loop on Linux io_uring: asyncio's {@code ProactorEventLoop} transports over
 * {@link UringCompletionPort}. Sockets are non-blocking NIO channels whose descriptors the ring uses.
 */
public final class UringEventLoop extends ProactorEventLoop {
    private final UringCompletionPort port;
    /** The application's channels used with sock_*: one socket each, so their operations share one list. */
    private final Map<SelectableChannel, UringSocket> adopted = new WeakHashMap<>();

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

    @Override
    public String implementationName() {
        return UringEventLoopProvider.NAME;
    }

    @Override
    protected ProactorSocket openStreamSocket(ProtocolFamily family) throws IOException {
        SocketChannel channel = family == null ? SocketChannel.open() : SocketChannel.open(family);
        return wrap(channel);
    }

    @Override
    protected ProactorSocket openDatagramSocket(ProtocolFamily family) throws IOException {
        DatagramChannel channel = family == null ? DatagramChannel.open() : DatagramChannel.open(family);
        return wrap(channel);
    }

    @Override
    protected ProactorSocket openListeningSocket(ProtocolFamily family) throws IOException {
        ServerSocketChannel channel = family == null ? ServerSocketChannel.open() : ServerSocketChannel.open(family);
        return wrap(channel);
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
