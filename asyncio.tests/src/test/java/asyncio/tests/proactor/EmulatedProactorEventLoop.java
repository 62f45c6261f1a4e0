package asyncio.tests.proactor;

import asyncio.spi.proactor.ProactorEventLoop;
import asyncio.spi.proactor.ProactorProcess;
import asyncio.spi.proactor.ProactorSocket;
import asyncio.api.subprocess.SubprocessOptions;
import java.util.List;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.WeakHashMap;

/** The proactor loop over {@link EmulatedCompletionPort}: the completion transports, proven on Linux. */
public final class EmulatedProactorEventLoop extends ProactorEventLoop {
    private final EmulatedCompletionPort port;
    /** The application's channels used with sock_*: one socket each, so their operations share one queue. */
    private final Map<SelectableChannel, EmulatedSocket> adopted = new WeakHashMap<>();

    public EmulatedProactorEventLoop() {
        this(new EmulatedCompletionPort());
    }

    private EmulatedProactorEventLoop(EmulatedCompletionPort port) {
        super(port);
        this.port = port;
    }

    @Override
    public String implementationName() {
        return EmulatedProactorProvider.NAME;
    }

    @Override
    protected ProactorSocket openStreamSocket(ProtocolFamily family) throws IOException {
        SocketChannel channel = SocketChannel.open(family);
        channel.configureBlocking(false);
        return new EmulatedSocket(port, channel);
    }

    @Override
    protected ProactorSocket openDatagramSocket(ProtocolFamily family) throws IOException {
        DatagramChannel channel = family == null ? DatagramChannel.open() : DatagramChannel.open(family);
        channel.configureBlocking(false);
        return new EmulatedSocket(port, channel);
    }

    @Override
    protected ProactorSocket openListeningSocket(ProtocolFamily family) throws IOException {
        ServerSocketChannel channel = family == null ? ServerSocketChannel.open() : ServerSocketChannel.open(family);
        channel.configureBlocking(false);
        return new EmulatedSocket(port, channel);
    }

    @Override
    protected ProactorSocket adopt(SelectableChannel channel) throws IOException {
        if (channel.isBlocking()) {
            channel.configureBlocking(false);
        }
        return adopted.computeIfAbsent(channel, key -> new EmulatedSocket(port, key));
    }

    @Override
    protected ProactorProcess spawnProcess(List<String> args, SubprocessOptions options) throws IOException {
        return EmulatedProcess.start(port, args, options);
    }

    @Override
    protected ProactorSocket adoptPipe(SelectableChannel pipe) throws IOException {
        if (pipe.isBlocking()) {
            pipe.configureBlocking(false);
        }
        return new EmulatedSocket(port, pipe);
    }
}
