package asyncio.spi.readiness;

import asyncio.api.Asyncio;
import asyncio.api.Future;
import asyncio.api.Handle;
import asyncio.api.SendfileNotAvailableError;
import asyncio.api.Task;
import asyncio.api.transports.AcceptedSocket;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.Connection;
import asyncio.api.transports.ConnectionOptions;
import asyncio.api.transports.DatagramEndpoint;
import asyncio.api.transports.DatagramOptions;
import asyncio.api.transports.DatagramProtocol;
import asyncio.api.transports.Protocol;
import asyncio.api.transports.ReadPipeConnection;
import asyncio.api.transports.ReceivedDatagram;
import asyncio.api.transports.ReceivedInto;
import asyncio.api.transports.Server;
import asyncio.api.transports.ServerOptions;
import asyncio.api.transports.WritePipeConnection;
import asyncio.api.transports.WriteTransport;
import asyncio.spi.AddressConnector;
import asyncio.spi.BaseEventLoop;
import asyncio.spi.ConnectionChecks;
import asyncio.spi.DatagramEndpointChecks;
import asyncio.spi.DatagramSocket;
import asyncio.spi.InspectableTransport;
import asyncio.spi.ListeningSocket;
import asyncio.spi.LoopSocket;
import asyncio.spi.ProcessStarter;
import asyncio.spi.ServerBinding;
import asyncio.spi.SignalHandlers;
import asyncio.spi.StreamSocket;
import asyncio.spi.TransportWiring;
import asyncio.spi.process.ChildProcess;
import asyncio.spi.process.PipeEnd;
import asyncio.spi.process.ProcessTransport;
import asyncio.spi.process.SpawnedProcess;
import asyncio.spi.tls.SslEngines;
import asyncio.spi.tls.SslProtocol;
import asyncio.spi.tls.TlsConnections;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The networking of a readiness-based loop (selector, epoll), written once over the
 * {@link StreamSocket}/{@link ListeningSocket} seam: a loop module supplies the sockets and the
 * poller registration, and gets connections, servers and transports with asyncio's behaviour.
 * Mirrors what {@code base_events} and {@code selector_events} share.
 */
public abstract class ReadinessEventLoop extends BaseEventLoop {
    /** asyncio reads up to 256 KiB at a time; one direct buffer per loop serves every transport. */
    private static final int READ_BUFFER_SIZE = 256 * 1024;

    private ByteBuffer readBuffer;
    /**
     * Transports holding their socket (registered, {@code connectionLost} not yet called) and
     * servers not yet closed: what {@link #close()} must not leave open. Touched at open and
     * close only, never per read or write.
     */
    private final Set<ReadinessTransport> openTransports = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<SocketServer> openServers = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Subprocess transports neither closed nor seen to exit: their child may outlive the loop. */
    private final Set<ProcessTransport> openProcesses = Collections.newSetFromMap(new IdentityHashMap<>());

    /** A loop that is neither running nor closed. */
    protected ReadinessEventLoop() {
    }

    // --- what a loop module provides ---

    /** A new non-blocking stream socket of {@code family} (INET, INET6 or UNIX), not connected. */
    protected abstract StreamSocket openStreamSocket(ProtocolFamily family) throws IOException;

    /** A new non-blocking listening socket of {@code family}; null: the platform's default (dual-stack where possible). */
    protected abstract ListeningSocket openListeningSocket(ProtocolFamily family) throws IOException;

    /** Takes over a connected channel the application made; it keeps doing its own I/O. */
    protected StreamSocket adopt(SocketChannel channel) throws IOException {
        return new ChannelStreamSocket(channel);
    }

    /** Takes over a bound server channel the application made. */
    protected ListeningSocket adopt(ServerSocketChannel channel) throws IOException {
        return new ChannelListeningSocket(channel);
    }

    /**
     * Registers {@code socket} with the poller, watching nothing yet; {@code listener} is called
     * on the loop thread. Registering a socket again replaces its listener.
     */
    protected abstract Readiness register(LoopSocket socket, ReadyListener listener) throws IOException;

    /**
     * Closes a listening socket whose readiness was cancelled, so that its port refuses new
     * connections at once, as asyncio's {@code Server.close()} does. A loop whose poller defers
     * the kernel's close of a registered socket (the JDK selector does, until its next select)
     * overrides this to make the close effective now.
     */
    protected void closeListening(ListeningSocket socket) throws IOException {
        socket.close();
    }

    /**
     * Runs a listener for what the poller reported, checking first that it is still watched, so a
     * transport closed earlier in the same iteration hears nothing. Errors go to the exception handler.
     */
    protected final void fire(Readiness readiness, ReadyListener listener, boolean readable, boolean writable) {
        // Debug mode times I/O callbacks as it times handles: a protocol callback that blocks shows too.
        boolean timed = getDebug();
        if (readable && readiness.watchingRead()) {
            long started = timed ? System.nanoTime() : 0;
            try {
                listener.readable();
            } catch (RuntimeException | LinkageError | AssertionError error) {
                reportCallbackError(listener, error);
            }
            if (timed) {
                reportIfSlow(listener, true, started);
            }
        }
        if (writable && readiness.watchingWrite()) {
            long started = timed ? System.nanoTime() : 0;
            try {
                listener.writable();
            } catch (RuntimeException | LinkageError | AssertionError error) {
                reportCallbackError(listener, error);
            }
            if (timed) {
                reportIfSlow(listener, false, started);
            }
        }
    }

    /** Reports an I/O callback that took the slow-callback duration or longer, as the handle of that callback. */
    private void reportIfSlow(ReadyListener listener, boolean readable, long started) {
        double seconds = (System.nanoTime() - started) * 1e-9;
        if (seconds >= getSlowCallbackDuration()) {
            slowCallback(new Handle(new IoCallback(listener, readable), this, null), seconds);
        }
    }

    /** A listener's readable or writable callback, named as asyncio names its reader and writer handles. */
    private record IoCallback(ReadyListener listener, boolean readable) implements Runnable {
        @Override
        public void run() {
            if (readable) {
                listener.readable();
            } else {
                listener.writable();
            }
        }

        @Override
        public String toString() {
            return listener + (readable ? ".readable()" : ".writable()");
        }
    }

    private void reportCallbackError(ReadyListener listener, Throwable error) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("message", "Exception in callback " + listener);
        context.put("exception", error);
        callExceptionHandler(context);
    }

    /** The loop's read buffer, shared by all its transports (one callback uses it at a time). */
    final ByteBuffer readBuffer() {
        ByteBuffer buffer = readBuffer;
        if (buffer == null) {
            buffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);
            readBuffer = buffer;
        }
        return buffer;
    }

    final void transportOpened(ReadinessTransport transport) {
        openTransports.add(transport);
        recordTransportOpened(transport);
    }

    final void transportReleased(ReadinessTransport transport) {
        if (openTransports.remove(transport)) {
            recordTransportClosed(transport);
        }
    }

    @Override
    protected final Collection<? extends InspectableTransport> liveTransports() {
        return openTransports;
    }

    /** The transport was closed, or its child exited: nothing of it is left for {@link #close()}. */
    final void processReleased(ProcessTransport transport) {
        openProcesses.remove(transport);
    }

    final void serverOpened(SocketServer server) {
        openServers.add(server);
    }

    final void serverClosed(SocketServer server) {
        openServers.remove(server);
    }

    private void closeLeftovers() {
        // Processes first: a spawned child's pipe transports go with it, under its one warning.
        List<ProcessTransport> processes = new ArrayList<>(openProcesses);
        openProcesses.clear();
        for (ProcessTransport transport : processes) {
            transport.closedWithLoop();
        }
        List<SocketServer> servers = new ArrayList<>(openServers);
        List<ReadinessTransport> transports = new ArrayList<>(openTransports);
        openServers.clear();
        for (SocketServer server : servers) {
            server.closedWithLoop();
        }
        // Each one leaves the set as it lets go of its socket (and is recorded closed then).
        for (ReadinessTransport transport : transports) {
            transport.closedWithLoop();
        }
        openTransports.clear();
        // Nobody will watch these any more: reap them now, so no zombie (or exit descriptor) is left.
        List.copyOf(liveChildren).forEach(SpawnedChildProcess::reapWithLoop);
    }

    /** {@link #checkClosed} for the watch helpers of this package, which are no subclass. */
    final void requireOpen() {
        checkClosed();
    }

    static void closeQuietly(Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException ignored) {
            // Already failing or already closed: the first error is the one that matters.
        }
    }

    // --- streams ---

    @Override
    public <P extends BaseProtocol> Future<Connection<P>> createConnection(Supplier<? extends P> protocolFactory, String host,
                                                                          int port, ConnectionOptions options) {
        checkClosed();
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        Objects.requireNonNull(options, "options");
        String serverHostname = ConnectionChecks.check(host, options);
        if (options.ssl() == null) {
            return TransportWiring.closedIfDropped(new Task<>(() -> Connector.connect(this, protocolFactory, host, port, options), this,
                    "create_connection", true));
        }
        return TransportWiring.closedIfDropped(new Task<>(() -> TlsConnections.overTls(this, protocolFactory, options.ssl(),
                () -> SslEngines.client(options.ssl(), serverHostname, port, options.checkHostname()),
                options.sslHandshakeTimeout(), options.sslShutdownTimeout(),
                tls -> Connector.connect(this, tls, host, port, options)), this, "create_connection", true));
    }

    @Override
    public Future<asyncio.api.transports.Transport> startTls(asyncio.api.transports.Transport transport,
                                                            BaseProtocol protocol, javax.net.ssl.SSLContext context,
                                                            boolean serverSide, String serverHostname,
                                                            double handshakeTimeout, double shutdownTimeout) {
        checkClosed();
        Objects.requireNonNull(context, "sslcontext");
        Future<Void> handshake = createFuture();
        javax.net.ssl.SSLEngine engine = serverSide ? SslEngines.server(context)
                : SslEngines.client(context, serverHostname, peerPort(transport), serverHostname != null);
        SslProtocol tls = new SslProtocol(this, context, engine, protocol, handshake, false, handshakeTimeout,
                shutdownTimeout);
        // Nothing may reach the TLS protocol before its connectionMade: pause, swap, then resume.
        transport.pauseReading();
        transport.setProtocol(tls);
        asyncio.api.Handle connectionMade = callSoon(() -> tls.connectionMade(transport));
        asyncio.api.Handle resume = callSoon(transport::resumeReading);
        return new Task<>(() -> {
            try {
                handshake.await();
            } catch (RuntimeException | Error failed) {
                transport.close();
                connectionMade.cancel();
                resume.cancel();
                throw failed;
            }
            return (asyncio.api.transports.Transport) tls.appTransport();
        }, this, "start_tls", true);
    }

    // --- subprocesses and signals ---

    private SignalHandlers signalHandlers;
    /** Spawned children whose exit descriptor is still open, released if the loop closes first. */
    private final Set<SpawnedChildProcess> liveChildren = new LinkedHashSet<>();

    /**
     * Starts a child for {@code subprocessExec} the loop's own way, or returns null (the default)
     * to have it started with {@link ProcessBuilder}, which costs a thread per pipe and one to
     * wait for the exit. A loop module overrides this where the system lets it spawn children
     * and watch their exit with the poller (posix_spawn and a pidfd on Linux). It throws what
     * {@link ProcessBuilder#start()} would for the same failure (an {@link IOException} naming
     * the program), having closed whatever it opened.
     */
    protected SpawnedProcess spawnProcess(List<String> args, asyncio.api.subprocess.SubprocessOptions options)
            throws IOException {
        return null;
    }

    /**
     * Whether the poller can watch the write end of an application's pipe for reading, which
     * tells when its reader went away (the kernel reports an error or hang-up there). A
     * {@link java.nio.channels.Selector} cannot (NIO refuses OP_READ on a {@code Pipe.SinkChannel});
     * a loop that polls raw descriptors overrides this to say it can.
     */
    protected boolean watchesPipeWriteEnds() {
        return false;
    }

    /**
     * Sends {@code signal} to the child {@code pid} with kill(2) and returns true, or returns
     * false (the default) where this loop has no such call; a child started with
     * {@link ProcessBuilder} then gets any signal but TERM and KILL through the {@code kill}
     * program. Raises {@link asyncio.api.subprocess.ProcessLookupError} for a process that is gone.
     */
    protected boolean killProcess(long pid, int signal) {
        return false;
    }

    final void adoptChild(SpawnedChildProcess child) {
        liveChildren.add(child);
    }

    final void forgetChild(SpawnedChildProcess child) {
        liveChildren.remove(child);
    }

    @Override
    public <P extends asyncio.api.subprocess.SubprocessProtocol>
            Future<asyncio.api.subprocess.SubprocessConnection<P>> subprocessExec(
                    Supplier<? extends P> protocolFactory, List<String> args,
                    asyncio.api.subprocess.SubprocessOptions options) {
        checkClosed();
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        if (args == null || args.isEmpty()) {
            throw new IllegalArgumentException("args must contain at least the program to run");
        }
        List<String> command = List.copyOf(args);
        return new Task<>(() -> {
            P protocol = protocolFactory.get();
            Future<Void> waiter = createFuture();
            SpawnedProcess spawned = spawnProcess(command, options);
            if (spawned == null && options.needsOwnSpawn()) {
                throw new UnsupportedOperationException("start_new_session, pass_fds and close_fds=False need a loop"
                        + " that spawns children itself (the epoll loop on Linux with glibc 2.34+): ProcessBuilder"
                        + " closes every descriptor and cannot call setsid");
            }
            ChildProcess child = spawned != null ? new SpawnedChildProcess(this, spawned)
                    : ProcessStarter.start(this, () -> JdkChildProcess.start(this, command, options),
                            JdkChildProcess::killWithLoop).await();
            ProcessTransport transport = ProcessTransport.start(this, this::processReleased, protocol, child, waiter);
            openProcesses.add(transport);
            try {
                waiter.await();
            } catch (RuntimeException | Error failed) {
                transport.close();
                throw failed;
            }
            return new asyncio.api.subprocess.SubprocessConnection<>(transport, protocol);
        }, this, "subprocess_exec", true);
    }

    @Override
    public <P extends asyncio.api.subprocess.SubprocessProtocol>
            Future<asyncio.api.subprocess.SubprocessConnection<P>> subprocessShell(
                    Supplier<? extends P> protocolFactory, String command,
                    asyncio.api.subprocess.SubprocessOptions options) {
        Objects.requireNonNull(command, "command");
        return subprocessExec(protocolFactory, List.of("/bin/sh", "-c", command), options);
    }

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
    public boolean removeSignalHandler(int signal) {
        return removeSignalHandler(SignalHandlers.nameOf(signal));
    }

    @Override
    public boolean removeSignalHandler(String signal) {
        if (signalHandlers == null) {
            SignalHandlers.check(signal);
            return false;
        }
        return signalHandlers.remove(signal);
    }

    /**
     * Also restores the signal handlers this loop installed, as asyncio's Unix loop does on close,
     * and then closes the sockets of the servers and transports nobody closed, warning for each.
     * Python warns with a {@code ResourceWarning} when such a transport is collected, and the
     * socket's finalizer closes it; Java has no finalizer to rely on, and after {@code close()}
     * the transport cannot close itself (its loop runs nothing more), so the descriptor would
     * leak for good. Sockets watched with {@code addReader} are the application's and stay open.
     * The poller is closed by then, so no leftover is deregistered from it: closing the socket is
     * all that is left to do. Children still running are killed, and their exit is no longer watched.
     */
    @Override
    public void close() {
        boolean closing = !isRunning() && !isClosed();
        if (closing && signalHandlers != null) {
            signalHandlers.removeAll();
        }
        try {
            super.close();
        } finally {
            if (closing && isClosed()) {
                closeLeftovers();
            }
        }
    }

    private static int peerPort(asyncio.api.transports.Transport transport) {
        return transport.getExtraInfo("peername") instanceof InetSocketAddress peer ? peer.getPort() : -1;
    }

    private static Supplier<? extends BaseProtocol> withTls(ReadinessEventLoop loop,
                                                            Supplier<? extends BaseProtocol> factory,
                                                            ServerOptions options) {
        if (options.ssl() == null) {
            return factory;
        }
        return () -> new SslProtocol(loop, options.ssl(), SslEngines.server(options.ssl()), factory.get(), null, true,
                options.sslHandshakeTimeout(), options.sslShutdownTimeout());
    }

    @Override
    public <P extends BaseProtocol> Future<Connection<P>> connectAcceptedSocket(Supplier<? extends P> protocolFactory,
                                                                               SocketChannel channel,
                                                                               ServerOptions options) {
        checkClosed();
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(options, "options");
        if (options.ssl() == null) {
            TlsConnections.requireSsl(options.sslOnlyOptionGiven());
            return TransportWiring.closedIfDropped(new Task<>(() -> Connector.wire(this, adopt(channel), protocolFactory, true), this,
                    "connect_accepted_socket", true));
        }
        return TransportWiring.closedIfDropped(new Task<>(() -> TlsConnections.overTls(this, protocolFactory, options.ssl(), () -> SslEngines.server(options.ssl()),
                options.sslHandshakeTimeout(), options.sslShutdownTimeout(),
                tls -> Connector.wire(this, adopt(channel), tls, true)), this, "connect_accepted_socket", true));
    }

    @Override
    public <P extends BaseProtocol> Future<Connection<P>> createUnixConnection(Supplier<? extends P> protocolFactory,
                                                                              Path path, ConnectionOptions options) {
        checkClosed();
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        Objects.requireNonNull(options, "options");
        TlsConnections.checkUnixConnection(path, options);
        if (options.ssl() == null) {
            return TransportWiring.closedIfDropped(new Task<>(() -> connectUnix(path, options, protocolFactory), this, "create_unix_connection", true));
        }
        return TransportWiring.closedIfDropped(new Task<>(() -> TlsConnections.overTls(this, protocolFactory, options.ssl(),
                () -> SslEngines.client(options.ssl(), options.serverHostname(), -1, options.checkHostname()),
                options.sslHandshakeTimeout(), options.sslShutdownTimeout(),
                tls -> connectUnix(path, options, tls)), this, "create_unix_connection", true));
    }

    /** Connects a new Unix socket to {@code path}, or takes over {@code options.sock()}, and wires it to a protocol. */
    private <P extends BaseProtocol> Connection<P> connectUnix(Path path, ConnectionOptions options,
                                                               Supplier<? extends P> protocolFactory) throws IOException {
        if (options.sock() != null) {
            return Connector.wire(this, adopt(options.sock()), protocolFactory, false);
        }
        StreamSocket socket = openStreamSocket(StandardProtocolFamily.UNIX);
        try {
            Connector.sockConnect(this, socket, UnixDomainSocketAddress.of(path));
        } catch (IOException | RuntimeException | Error failed) {
            closeQuietly(socket);
            throw failed;
        }
        return Connector.wire(this, socket, protocolFactory, false);
    }

    @Override
    public Future<Server> createServer(Supplier<? extends BaseProtocol> protocolFactory, List<String> hosts, int port,
                                       ServerOptions options) {
        checkClosed();
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        ServerBinding.check(hosts, options);
        return new Task<>(() -> {
            List<ListeningSocket> sockets = options.sock() != null ? List.of(adopt(options.sock()))
                    : bindAll(hosts, port, options);
            return serve(new SocketServer(this, sockets, withTls(this, protocolFactory, options), options.backlog(),
                    options.keepAlive(), true, null), options);
        }, this, "create_server", true);
    }

    @Override
    public Future<Server> createUnixServer(Supplier<? extends BaseProtocol> protocolFactory, Path path,
                                           ServerOptions options) {
        checkClosed();
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        Objects.requireNonNull(options, "options");
        if (options.ssl() == null) {
            TlsConnections.requireSsl(options.sslOnlyOptionGiven());
        }
        if (path != null && options.sock() != null) {
            throw new IllegalArgumentException("path and sock can not be specified at the same time");
        }
        if (path == null && options.sock() == null) {
            throw new IllegalArgumentException("path was not specified, and no sock specified");
        }
        if (options.sock() != null) {
            requireUnixStream(options.sock());
        }
        return new Task<>(() -> {
            ListeningSocket socket;
            if (options.sock() != null) {
                socket = adopt(options.sock());
            } else {
                removeStaleSocketFile(path);
                socket = openListeningSocket(StandardProtocolFamily.UNIX);
                try {
                    socket.bind(UnixDomainSocketAddress.of(path), options.backlog());
                } catch (IOException failed) {
                    closeQuietly(socket);
                    throw AddressConnector.bindError(UnixDomainSocketAddress.of(path), failed);
                }
            }
            Runnable cleanup = options.cleanupSocket() && path != null ? () -> deleteQuietly(path) : null;
            return serve(new SocketServer(this, List.of(socket), withTls(this, protocolFactory, options),
                    options.backlog(), false, false, cleanup), options);
        }, this, "create_unix_server", true);
    }

    /** A server channel is a Unix stream socket when bound to a Unix path (NIO shows no family otherwise). */
    private static void requireUnixStream(ServerSocketChannel sock) {
        SocketAddress local;
        try {
            local = sock.getLocalAddress();
        } catch (IOException closed) {
            local = null;
        }
        if (!(local instanceof UnixDomainSocketAddress)) {
            throw new IllegalArgumentException("A UNIX Domain Stream Socket was expected, got " + sock);
        }
    }

    private Server serve(SocketServer server, ServerOptions options) {
        if (options.startServing()) {
            server.startServingNow();
            // Let the listening sockets' registrations go through before returning, as asyncio does.
            Asyncio.sleep(0);
        }
        return server;
    }

    private List<ListeningSocket> bindAll(List<String> hosts, int port, ServerOptions options) throws IOException {
        return ServerBinding.bindAll(this, hosts, port, options, new ServerBinding.Listen<>() {
            @Override
            public ListeningSocket open(ProtocolFamily family) throws IOException {
                return openListeningSocket(family);
            }

            @Override
            public void listen(ListeningSocket socket, InetSocketAddress address, int backlog) throws IOException {
                socket.bind(address, backlog);
            }
        });
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // Someone else removed or replaced it: not ours to worry about.
        }
    }

    // --- datagrams, raw socket operations, descriptor watching, pipes and sendfile: what a loop module provides ---

    /** Whether {@link #openDatagramSocket} opens UNIX datagram sockets; without them such endpoints are refused at the call. */
    protected boolean hasUnixDatagrams() {
        return false;
    }

    /** A new non-blocking datagram socket of {@code family} (INET, INET6; UNIX where {@link #hasUnixDatagrams()}), unbound. */
    protected abstract DatagramSocket openDatagramSocket(ProtocolFamily family) throws IOException;

    /** Takes over a datagram channel the application made. */
    protected DatagramSocket adopt(DatagramChannel channel) throws IOException {
        return new ChannelDatagramSocket(channel);
    }

    /**
     * The listener currently registered for {@code channel} with the poller, or null: how the loop
     * finds a channel's watcher, and refuses a channel a transport owns.
     */
    protected abstract ReadyListener registeredListener(SelectableChannel channel);

    /** The listener registered for raw descriptor {@code fd}, or null; loops that cannot watch descriptors have none. */
    protected ReadyListener registeredListener(int fd) {
        return null;
    }

    /**
     * Raw descriptor {@code fd}, which the application owns, as a socket {@link #register} accepts;
     * a loop that polls channels only refuses it. The loop never closes it.
     */
    protected LoopSocket watchedDescriptor(int fd) throws IOException {
        throw new UnsupportedOperationException("the " + implementationName() + " loop watches NIO channels, not raw file descriptors");
    }

    /**
     * Sends up to {@code count} bytes of {@code file} from {@code position} to {@code socket} with
     * the kernel's sendfile, without blocking; returns the bytes sent (0: the socket is full, or
     * the file ended). A loop without such a path raises {@link SendfileNotAvailableError}.
     */
    protected long transferFile(FileChannel file, long position, long count, LoopSocket socket) throws IOException {
        throw new SendfileNotAvailableError("sendfile is not available on the " + implementationName() + " loop");
    }

    // --- datagrams ---

    @Override
    public <P extends DatagramProtocol> Future<DatagramEndpoint<P>> createDatagramEndpoint(Supplier<? extends P> protocolFactory,
                                                                                          SocketAddress localAddr,
                                                                                          SocketAddress remoteAddr,
                                                                                          DatagramOptions options) {
        checkClosed();
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        Objects.requireNonNull(options, "options");
        DatagramEndpointChecks.check(localAddr, remoteAddr, options);
        if (!hasUnixDatagrams() && DatagramConnector.isUnix(localAddr, remoteAddr, options)) {
            throw new UnsupportedOperationException("Unix datagram endpoints are not supported by the " + implementationName()
                    + " loop: java.nio has no Unix datagram channel (the epoll loop has them)");
        }
        return TransportWiring.endpointClosedIfDropped(new Task<>(() -> DatagramConnector.open(this, protocolFactory, localAddr, remoteAddr, options), this,
                "create_datagram_endpoint", true));
    }

    // --- raw socket operations ---

    @Override
    public Future<ByteBuffer> sockRecv(SocketChannel sock, int n) {
        checkClosed();
        return SocketOperations.recv(this, sock, n);
    }

    @Override
    public Future<Integer> sockRecvInto(SocketChannel sock, ByteBuffer buffer) {
        checkClosed();
        return SocketOperations.recvInto(this, sock, buffer);
    }

    @Override
    public Future<ReceivedDatagram> sockRecvfrom(DatagramChannel sock, int bufsize) {
        checkClosed();
        return SocketOperations.recvfrom(this, sock, bufsize);
    }

    @Override
    public Future<ReceivedInto> sockRecvfromInto(DatagramChannel sock, ByteBuffer buffer, int nbytes) {
        checkClosed();
        return SocketOperations.recvfromInto(this, sock, buffer, nbytes);
    }

    @Override
    public Future<Void> sockSendall(SocketChannel sock, ByteBuffer data) {
        checkClosed();
        return SocketOperations.sendall(this, sock, data);
    }

    @Override
    public Future<Integer> sockSendto(DatagramChannel sock, ByteBuffer data, SocketAddress address) {
        checkClosed();
        return SocketOperations.sendto(this, sock, data, address);
    }

    @Override
    public Future<Void> sockConnect(SocketChannel sock, SocketAddress address) {
        checkClosed();
        return SocketOperations.connect(this, sock, address);
    }

    @Override
    public Future<AcceptedSocket> sockAccept(ServerSocketChannel sock) {
        checkClosed();
        return SocketOperations.accept(this, sock);
    }

    @Override
    public Future<Long> sockSendfile(SocketChannel sock, FileChannel file, long offset, Long count, boolean fallback) {
        checkClosed();
        SocketOperations.requireNonBlocking(sock);
        Objects.requireNonNull(file, "file");
        SocketSendfile.checkParams(offset, count);
        return new Task<>(() -> SocketSendfile.send(this, sock, file, offset, count, fallback), this, "sock_sendfile", true);
    }

    // --- descriptor watching ---

    @Override
    public void addReader(SelectableChannel channel, Runnable callback) {
        FdWatcher.ensureNoTransport(this, Objects.requireNonNull(channel, "channel"));
        FdWatcher.watchRead(this, channel, Objects.requireNonNull(callback, "callback"));
    }

    @Override
    public boolean removeReader(SelectableChannel channel) {
        FdWatcher.ensureNoTransport(this, Objects.requireNonNull(channel, "channel"));
        return FdWatcher.unwatchRead(this, channel);
    }

    @Override
    public void addWriter(SelectableChannel channel, Runnable callback) {
        FdWatcher.ensureNoTransport(this, Objects.requireNonNull(channel, "channel"));
        FdWatcher.watchWrite(this, channel, Objects.requireNonNull(callback, "callback"));
    }

    @Override
    public boolean removeWriter(SelectableChannel channel) {
        FdWatcher.ensureNoTransport(this, Objects.requireNonNull(channel, "channel"));
        return FdWatcher.unwatchWrite(this, channel);
    }

    @Override
    public void addReader(int fd, Runnable callback) {
        FdWatcher.ensureNoTransport(this, fd);
        FdWatcher.watchRead(this, fd, Objects.requireNonNull(callback, "callback"));
    }

    @Override
    public boolean removeReader(int fd) {
        FdWatcher.ensureNoTransport(this, fd);
        return FdWatcher.unwatchRead(this, fd);
    }

    @Override
    public void addWriter(int fd, Runnable callback) {
        FdWatcher.ensureNoTransport(this, fd);
        FdWatcher.watchWrite(this, fd, Objects.requireNonNull(callback, "callback"));
    }

    @Override
    public boolean removeWriter(int fd) {
        FdWatcher.ensureNoTransport(this, fd);
        return FdWatcher.unwatchWrite(this, fd);
    }

    // --- pipes ---

    @Override
    public <P extends Protocol, C extends SelectableChannel & ReadableByteChannel> Future<ReadPipeConnection<P>> connectReadPipe(
            Supplier<? extends P> protocolFactory, C pipe) {
        checkClosed();
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        Objects.requireNonNull(pipe, "pipe");
        return new Task<>(() -> {
            P protocol = protocolFactory.get();
            Future<Void> waiter = createFuture();
            ReadPipeTransport transport = new ReadPipeTransport(this, pipe, protocol, waiter);
            awaitOrClose(waiter, transport);
            return new ReadPipeConnection<>(transport, protocol);
        }, this, "connect_read_pipe", true);
    }

    @Override
    public <P extends BaseProtocol, C extends SelectableChannel & WritableByteChannel> Future<WritePipeConnection<P>> connectWritePipe(
            Supplier<? extends P> protocolFactory, C pipe) {
        checkClosed();
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        Objects.requireNonNull(pipe, "pipe");
        return new Task<>(() -> {
            P protocol = protocolFactory.get();
            Future<Void> waiter = createFuture();
            WritePipeTransport transport = new WritePipeTransport(this, pipe, protocol, waiter);
            awaitOrClose(waiter, transport);
            return new WritePipeConnection<>(transport, protocol);
        }, this, "connect_write_pipe", true);
    }

    /**
     * Takes over raw descriptor {@code fd} as a non-blocking pipe end the poller can watch, or
     * raises (the default) where the poller watches NIO channels only. A loop module that polls raw
     * descriptors overrides this.
     */
    protected PipeEnd adoptPipeEnd(int fd) throws IOException {
        throw new UnsupportedOperationException("the " + implementationName() + " loop watches NIO channels, not"
                + " raw file descriptors: connect a pipe by descriptor on the epoll loop, or pass a channel");
    }

    @Override
    public <P extends Protocol> Future<ReadPipeConnection<P>> connectReadPipe(Supplier<? extends P> protocolFactory,
                                                                           int fd) {
        checkClosed();
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        PipeEnd end = adopt(fd);
        return closingOnFailure(end, new Task<>(() -> {
            P protocol = protocolFactory.get();
            Future<Void> waiter = createFuture();
            ReadPipeTransport transport = new ReadPipeTransport(this, end, end, protocol, waiter);
            awaitOrClose(waiter, transport);
            return new ReadPipeConnection<>(transport, protocol);
        }, this, "connect_read_pipe", true));
    }

    @Override
    public <P extends BaseProtocol> Future<WritePipeConnection<P>> connectWritePipe(
            Supplier<? extends P> protocolFactory, int fd) {
        checkClosed();
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        PipeEnd end = adopt(fd);
        return closingOnFailure(end, new Task<>(() -> {
            P protocol = protocolFactory.get();
            Future<Void> waiter = createFuture();
            WritePipeTransport transport = new WritePipeTransport(this, end, end, end.reportsReaderGone(), protocol,
                    waiter, null);
            awaitOrClose(waiter, transport);
            return new WritePipeConnection<>(transport, protocol);
        }, this, "connect_write_pipe", true));
    }

    /**
     * The loop took the descriptor over at the call, so it also closes it when no transport comes
     * of it: the task cancelled before it ran, or the protocol factory raised. (Once a transport
     * exists, closing it closes the descriptor; closing the end again is harmless.)
     */
    private static <T> Task<T> closingOnFailure(PipeEnd end, Task<T> connecting) {
        connecting.addDoneCallback(done -> {
            if (done.cancelled() || done.exception() != null) {
                closeQuietly(end);
            }
        });
        return connecting;
    }

    private PipeEnd adopt(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("not a file descriptor: " + fd);
        }
        try {
            return adoptPipeEnd(fd);
        } catch (IOException failed) {
            throw new IllegalArgumentException("cannot use descriptor " + fd + " as a pipe: " + failed.getMessage(),
                    failed);
        }
    }

    private static void awaitOrClose(Future<Void> waiter, asyncio.api.transports.BaseTransport transport) {
        try {
            waiter.await();
        } catch (RuntimeException | Error failed) {
            transport.close();
            throw failed;
        }
    }

    // --- sendfile ---

    @Override
    public Future<Long> sendfile(WriteTransport transport, FileChannel file, long offset, Long count, boolean fallback) {
        checkClosed();
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(file, "file");
        SocketSendfile.checkParams(offset, count);
        TransportSendfile.check(transport, fallback);
        return new Task<>(() -> TransportSendfile.send(this, transport, file, offset, count, fallback), this,
                "sendfile", true);
    }
}
