package asyncio.spi.proactor;

import asyncio.api.Asyncio;
import asyncio.api.Future;
import asyncio.api.Handle;
import asyncio.api.Task;
import asyncio.api.internal.AtSignal;
import asyncio.api.subprocess.SubprocessConnection;
import asyncio.api.subprocess.SubprocessOptions;
import asyncio.api.subprocess.SubprocessProtocol;
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
import asyncio.api.transports.Transport;
import asyncio.api.transports.WritePipeConnection;
import asyncio.api.transports.WriteTransport;
import asyncio.spi.AddressConnector;
import asyncio.spi.BaseEventLoop;
import asyncio.spi.ConnectionChecks;
import asyncio.spi.DatagramEndpointChecks;
import asyncio.spi.InspectableTransport;
import asyncio.spi.ProcessStarter;
import asyncio.spi.Resolver;
import asyncio.spi.ServerBinding;
import asyncio.spi.SignalHandlers;
import asyncio.spi.TransportWiring;
import asyncio.spi.process.ProcessTransport;
import asyncio.spi.readiness.TransportSendfile;
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
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * An event loop whose I/O is driven by completions: operations are submitted to a
 * {@link CompletionPort} with buffers they lend, and their completions run on the loop thread.
 * Written once for every completion kernel (Windows I/O completion ports, io_uring, the suite's
 * emulation); a loop module supplies the port and its sockets. Mirrors
 * {@code asyncio.proactor_events.BaseProactorEventLoop}.
 */
public abstract class ProactorEventLoop extends BaseEventLoop {
    private final CompletionPort port;
    /** The direct buffers the stream transports copy their writes into (one copy, none allocated in steady traffic). */
    private final DirectBufferPool sendBuffers = new DirectBufferPool();
    private final Set<ProactorTransport> openTransports = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<ProactorServer> openServers = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Subprocess transports neither closed nor seen to exit: their child may outlive the loop. */
    private final Set<ProcessTransport> openProcesses = Collections.newSetFromMap(new IdentityHashMap<>());
    /** The application's channels watched with addReader/addWriter. */
    private final Map<SelectableChannel, ProactorFdWatch> watches = new IdentityHashMap<>();
    /** SIGINT's number on Linux and Windows alike. */
    private static final int SIGINT = 2;
    /** The runner's Ctrl-C handler, the one signal this loop takes; null until it is set. */
    private SignalHandlers interrupts;

    /** A loop over {@code port}, which it closes when it closes. */
    protected ProactorEventLoop(CompletionPort port) {
        this.port = Objects.requireNonNull(port, "port");
    }

    // --- what a loop module provides ---

    /** A new stream socket of {@code family} (INET, INET6), unbound and unconnected, usable with the port. */
    protected abstract ProactorSocket openStreamSocket(ProtocolFamily family) throws IOException;

    /** A new datagram socket of {@code family}, unbound, usable with the port. */
    protected abstract ProactorSocket openDatagramSocket(ProtocolFamily family) throws IOException;

    /** A new socket for listening (null family: the platform's dual-stack default); {@link ProactorSocket#listen} binds it. */
    protected abstract ProactorSocket openListeningSocket(ProtocolFamily family) throws IOException;

    /**
     * The application's channel as a socket the port can use (a stream, listening or datagram
     * channel); the same channel gives the same socket. Closing that socket closes the channel;
     * the sock_* operations never close it.
     */
    protected abstract ProactorSocket adopt(SelectableChannel channel) throws IOException;

    /**
     * The application's pipe end (a {@link java.nio.channels.Pipe} end, or any selectable byte
     * channel of the platform's pipes) as a handle for the port's {@code read}/{@code write}.
     */
    protected abstract ProactorSocket adoptPipe(SelectableChannel pipe) throws IOException;

    // --- the loop's wait, on the port ---

    final CompletionPort port() {
        return port;
    }

    final DirectBufferPool sendBuffers() {
        return sendBuffers;
    }

    @Override
    protected final void poll(long timeoutNanos) {
        port.poll(timeoutNanos);
    }

    @Override
    protected final void processEvents() {
        port.dispatch((completion, error) -> {
            java.util.Map<String, Object> context = new java.util.LinkedHashMap<>();
            context.put("message", "Exception in callback " + completion);
            context.put("exception", error);
            callExceptionHandler(context);
        });
    }

    @Override
    protected final void wakeup() {
        port.wakeup();
    }

    /**
     * Closes the sockets of the transports and servers nobody closed, warning for each (as the
     * readiness loops do), then the port, which aborts what is still pending.
     */
    @Override
    protected void closeResources() {
        // Processes first: a child's pipe transports then close with the other transports.
        List<ProcessTransport> processes = new ArrayList<>(openProcesses);
        openProcesses.clear();
        processes.forEach(ProcessTransport::closedWithLoop);
        List<ProactorServer> servers = new ArrayList<>(openServers);
        List<ProactorTransport> transports = new ArrayList<>(openTransports);
        openServers.clear();
        watches.clear();
        if (interrupts != null) {
            interrupts.removeAll();
        }
        servers.forEach(ProactorServer::closedWithLoop);
        // Each one leaves the set as it lets go of its socket (and is recorded closed then).
        transports.forEach(ProactorTransport::closedWithLoop);
        openTransports.clear();
        port.close();
    }

    final void transportOpened(ProactorTransport transport) {
        openTransports.add(transport);
    }

    /** The transport is set up: record it opened (JFR). */
    final void transportStarted(ProactorTransport transport) {
        recordTransportOpened(transport);
    }

    final void transportReleased(ProactorTransport transport) {
        if (openTransports.remove(transport)) {
            recordTransportClosed(transport);
        }
    }

    @Override
    protected final Collection<? extends InspectableTransport> liveTransports() {
        return openTransports;
    }

    final void serverOpened(ProactorServer server) {
        openServers.add(server);
    }

    final void serverClosed(ProactorServer server) {
        openServers.remove(server);
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
    public <P extends BaseProtocol> Future<Connection<P>> createConnection(Supplier<? extends P> protocolFactory,
                                                                          String host, int port,
                                                                          ConnectionOptions options) {
        checkClosed();
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        Objects.requireNonNull(options, "options");
        String serverHostname = ConnectionChecks.check(host, options);
        if (options.ssl() == null) {
            return TransportWiring.closedIfDropped(new Task<>(() -> ProactorConnector.connect(this, protocolFactory, host, port, options), this,
                    "create_connection", true));
        }
        return TransportWiring.closedIfDropped(new Task<>(() -> TlsConnections.overTls(this, protocolFactory, options.ssl(),
                () -> SslEngines.client(options.ssl(), serverHostname, port, options.checkHostname()),
                options.sslHandshakeTimeout(), options.sslShutdownTimeout(),
                tls -> ProactorConnector.connect(this, tls, host, port, options)), this, "create_connection", true));
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
            return TransportWiring.closedIfDropped(new Task<>(() -> ProactorConnector.wire(this, adopt(channel), protocolFactory, true), this,
                    "connect_accepted_socket", true));
        }
        return TransportWiring.closedIfDropped(new Task<>(() -> TlsConnections.overTls(this, protocolFactory, options.ssl(),
                () -> SslEngines.server(options.ssl()), options.sslHandshakeTimeout(), options.sslShutdownTimeout(),
                tls -> ProactorConnector.wire(this, adopt(channel), tls, true)), this, "connect_accepted_socket", true));
    }

    @Override
    public Future<Server> createServer(Supplier<? extends BaseProtocol> protocolFactory, List<String> hosts, int port,
                                       ServerOptions options) {
        checkClosed();
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        ServerBinding.check(hosts, options);
        Supplier<? extends BaseProtocol> factory = options.ssl() == null ? protocolFactory
                : () -> new SslProtocol(this, options.ssl(), SslEngines.server(options.ssl()), protocolFactory.get(),
                        null, true, options.sslHandshakeTimeout(), options.sslShutdownTimeout());
        return new Task<>(() -> {
            List<ProactorSocket> sockets = options.sock() != null ? List.of(adopt(options.sock()))
                    : bindAll(hosts, port, options);
            ProactorServer server = new ProactorServer(this, sockets, factory, options.keepAlive(), null);
            if (options.startServing()) {
                server.startServingNow();
                Asyncio.sleep(0);
            }
            return server;
        }, this, "create_server", true);
    }

    private List<ProactorSocket> bindAll(List<String> hosts, int port, ServerOptions options) throws IOException {
        return ServerBinding.bindAll(this, hosts, port, options, new ServerBinding.Listen<>() {
            @Override
            public ProactorSocket open(ProtocolFamily family) throws IOException {
                return openListeningSocket(family);
            }

            @Override
            public void listen(ProactorSocket socket, InetSocketAddress address, int backlog) throws IOException {
                socket.listen(address, backlog);
            }
        });
    }

    @Override
    public Future<Transport> startTls(Transport transport, BaseProtocol protocol, SSLContext context,
                                      boolean serverSide, String serverHostname, double handshakeTimeout,
                                      double shutdownTimeout) {
        checkClosed();
        Objects.requireNonNull(context, "sslcontext");
        Future<Void> handshake = createFuture();
        int peerPort = transport.getExtraInfo("peername") instanceof InetSocketAddress peer ? peer.getPort() : -1;
        javax.net.ssl.SSLEngine engine = serverSide ? SslEngines.server(context)
                : SslEngines.client(context, serverHostname, peerPort, serverHostname != null);
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
            return (Transport) tls.appTransport();
        }, this, "start_tls", true);
    }

    // --- datagrams ---

    @Override
    public <P extends DatagramProtocol> Future<DatagramEndpoint<P>> createDatagramEndpoint(
            Supplier<? extends P> protocolFactory, SocketAddress localAddr, SocketAddress remoteAddr,
            DatagramOptions options) {
        checkClosed();
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        Objects.requireNonNull(options, "options");
        DatagramEndpointChecks.check(localAddr, remoteAddr, options);
        if (!hasUnixDatagrams() && (localAddr instanceof UnixDomainSocketAddress
                || remoteAddr instanceof UnixDomainSocketAddress || options.family() == StandardProtocolFamily.UNIX)) {
            // Windows has AF_UNIX stream sockets only, and asyncio's proactor loop no AF_UNIX at all.
            throw new UnsupportedOperationException("Unix datagram endpoints are not supported by the "
                    + implementationName() + " loop: Windows has no Unix datagram sockets, as asyncio's proactor loop");
        }
        return TransportWiring.endpointClosedIfDropped(new Task<>(
                () -> ProactorDatagrams.open(this, protocolFactory, localAddr, remoteAddr, options), this,
                "create_datagram_endpoint", true));
    }

    /**
     * Whether this loop's {@link #openDatagramSocket} takes {@code StandardProtocolFamily.UNIX}
     * (io_uring on Linux); false refuses Unix datagram endpoints at the call, as Windows must.
     */
    protected boolean hasUnixDatagrams() {
        return false;
    }

    // --- raw socket operations: one operation on the port each ---

    @Override
    public Future<ByteBuffer> sockRecv(SocketChannel sock, int n) {
        checkClosed();
        return ProactorSocketOperations.recv(this, sock, n);
    }

    @Override
    public Future<Integer> sockRecvInto(SocketChannel sock, ByteBuffer buffer) {
        checkClosed();
        return ProactorSocketOperations.recvInto(this, sock, buffer);
    }

    @Override
    public Future<ReceivedDatagram> sockRecvfrom(DatagramChannel sock, int bufsize) {
        checkClosed();
        return ProactorSocketOperations.recvfrom(this, sock, bufsize);
    }

    @Override
    public Future<ReceivedInto> sockRecvfromInto(DatagramChannel sock, ByteBuffer buffer, int nbytes) {
        checkClosed();
        return ProactorSocketOperations.recvfromInto(this, sock, buffer, nbytes);
    }

    @Override
    public Future<Void> sockSendall(SocketChannel sock, ByteBuffer data) {
        checkClosed();
        return ProactorSocketOperations.sendall(this, sock, data);
    }

    @Override
    public Future<Integer> sockSendto(DatagramChannel sock, ByteBuffer data, SocketAddress address) {
        checkClosed();
        return ProactorSocketOperations.sendto(this, sock, data, address);
    }

    @Override
    public Future<Void> sockConnect(SocketChannel sock, SocketAddress address) {
        checkClosed();
        return ProactorSocketOperations.connect(this, sock, address);
    }

    @Override
    public Future<AcceptedSocket> sockAccept(ServerSocketChannel sock) {
        checkClosed();
        return ProactorSocketOperations.accept(this, sock);
    }

    /**
     * Connects a Unix stream socket through the port, as asyncio's {@code create_unix_connection}
     * (Windows has AF_UNIX stream sockets since Windows 10 1803, and ConnectEx takes them).
     */
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

    /** Connects a new Unix socket to {@code path} through the port, or takes over {@code options.sock()}. */
    private <P extends BaseProtocol> Connection<P> connectUnix(Path path, ConnectionOptions options,
                                                               Supplier<? extends P> protocolFactory) throws IOException {
        if (options.sock() != null) {
            return ProactorConnector.wire(this, adopt(options.sock()), protocolFactory, false);
        }
        ProactorSocket socket = openStreamSocket(StandardProtocolFamily.UNIX);
        try {
            ProactorConnector.connect(this, socket, UnixDomainSocketAddress.of(path));
        } catch (IOException | RuntimeException | Error failed) {
            closeQuietly(socket);
            throw failed;
        }
        return ProactorConnector.wire(this, socket, protocolFactory, false);
    }

    /** Serves on a Unix stream socket, accepting through the port, as asyncio's {@code create_unix_server}. */
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
        Supplier<? extends BaseProtocol> factory = options.ssl() == null ? protocolFactory
                : () -> new SslProtocol(this, options.ssl(), SslEngines.server(options.ssl()), protocolFactory.get(),
                        null, true, options.sslHandshakeTimeout(), options.sslShutdownTimeout());
        return new Task<>(() -> {
            ProactorSocket socket;
            if (options.sock() != null) {
                socket = adopt(options.sock());
            } else {
                BaseEventLoop.removeStaleSocketFile(path);
                socket = openListeningSocket(StandardProtocolFamily.UNIX);
                try {
                    socket.listen(UnixDomainSocketAddress.of(path), options.backlog());
                } catch (IOException failed) {
                    closeQuietly(socket);
                    throw AddressConnector.bindError(UnixDomainSocketAddress.of(path), failed);
                }
            }
            Runnable cleanup = options.cleanupSocket() && path != null ? () -> deleteQuietly(path) : null;
            ProactorServer server = new ProactorServer(this, List.of(socket), factory, false, cleanup);
            if (options.startServing()) {
                server.startServingNow();
                Asyncio.sleep(0);
            }
            return server;
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

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // As asyncio's server close: a socket file already gone or not removable is left alone.
        }
    }

    /**
     * As asyncio's proactor loop, signals are not supported, with one exception: the runner's
     * Ctrl-C handler ({@link AtSignal}, for SIGINT). asyncio's runner installs it with
     * {@code signal.signal()}, beside the loop, so Ctrl-C cancels the main task on Windows too;
     * here it comes through this method (the JVM delivers a console Ctrl-C as SIGINT on Windows).
     */
    @Override
    public void addSignalHandler(String signal, Runnable callback) {
        if (callback instanceof AtSignal && isInterrupt(signal)) {
            checkClosed();
            if (interrupts == null) {
                interrupts = new SignalHandlers(this);
            }
            interrupts.add(signal, callback);
            return;
        }
        throw new UnsupportedOperationException("add_signal_handler is not supported by the proactor loop");
    }

    /** Removes the runner's Ctrl-C handler; refuses any other signal, as asyncio's proactor loop. */
    @Override
    public boolean removeSignalHandler(String signal) {
        if (interrupts != null && isInterrupt(signal)) {
            return interrupts.remove(signal);
        }
        throw new UnsupportedOperationException("remove_signal_handler is not supported by the proactor loop");
    }

    @Override
    public void addSignalHandler(int signal, Runnable callback) {
        if (signal == SIGINT) {
            addSignalHandler("INT", callback);
            return;
        }
        throw new UnsupportedOperationException("add_signal_handler is not supported by the proactor loop");
    }

    @Override
    public boolean removeSignalHandler(int signal) {
        if (signal == SIGINT) {
            return removeSignalHandler("INT");
        }
        throw new UnsupportedOperationException("remove_signal_handler is not supported by the proactor loop");
    }

    private static boolean isInterrupt(String signal) {
        return signal != null && (signal.equals("INT") || signal.equals("SIGINT"));
    }

    /** A raw descriptor has no completion-port twin here (Windows pipes are handles, not numbers). */
    @Override
    public <P extends Protocol> Future<ReadPipeConnection<P>> connectReadPipe(Supplier<? extends P> protocolFactory,
                                                                             int fd) {
        requireDescriptor(fd);
        throw new UnsupportedOperationException("connect_read_pipe over a raw file descriptor is not supported by the "
                + "proactor loop: pass a channel, or use the epoll loop");
    }

    @Override
    public <P extends BaseProtocol> Future<WritePipeConnection<P>> connectWritePipe(Supplier<? extends P> protocolFactory,
                                                                                   int fd) {
        requireDescriptor(fd);
        throw new UnsupportedOperationException("connect_write_pipe over a raw file descriptor is not supported by the "
                + "proactor loop: pass a channel, or use the epoll loop");
    }

    /** A negative number is no descriptor on any loop: the same error as the loops that take descriptors. */
    private static void requireDescriptor(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("not a file descriptor: " + fd);
        }
    }

    @Override
    public Future<Long> sockSendfile(SocketChannel sock, FileChannel file, long offset, Long count, boolean fallback) {
        checkClosed();
        ProactorSocketOperations.requireNonBlocking(sock);
        Objects.requireNonNull(file, "file");
        ProactorSendfile.checkParams(offset, count);
        return new Task<>(() -> ProactorSendfile.sockSendfile(this, sock, file, offset, count, fallback), this,
                "sock_sendfile", true);
    }

    @Override
    public Future<Long> sendfile(WriteTransport transport, FileChannel file, long offset, Long count, boolean fallback) {
        checkClosed();
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(file, "file");
        ProactorSendfile.checkParams(offset, count);
        if (TransportSendfile.isTls(transport)) {
            TransportSendfile.check(transport, fallback);
            return new Task<>(() -> TransportSendfile.sendOverTls(this, transport, file, offset, count), this,
                    "sendfile", true);
        }
        ProactorSocketTransport socketTransport = ProactorSendfile.check(transport);
        return new Task<>(() -> ProactorSendfile.sendfile(this, socketTransport, file, offset, count, fallback), this,
                "sendfile", true);
    }

    // --- named pipes: ProactorEventLoop.create_pipe_connection / start_serving_pipe (Windows only) ---

    /**
     * Connects to the named pipe {@code address} ({@code \\.\pipe\name}) and wraps it in a duplex
     * pipe transport; asyncio's {@code create_pipe_connection}. Only the Windows loop has named
     * pipes, as only CPython's Windows proactor has this method.
     */
    public <P extends BaseProtocol> Future<Connection<P>> createPipeConnection(Supplier<? extends P> protocolFactory,
                                                                              String address) {
        throw new UnsupportedOperationException("named pipes are Windows-only");
    }

    /** Serves the named pipe {@code address}: asyncio's {@code start_serving_pipe}. Windows only. */
    public Future<PipeServer> startServingPipe(Supplier<? extends BaseProtocol> protocolFactory, String address) {
        throw new UnsupportedOperationException("named pipes are Windows-only");
    }

    /**
     * For the Windows loop: a connected named pipe (read and written with the port's read/write)
     * as a stream transport without write_eof, {@code _ProactorDuplexPipeTransport}; returns once
     * {@code connectionMade} ran. The caller closes {@code pipe} if this fails.
     */
    protected final <P extends BaseProtocol> Connection<P> wireDuplexPipe(ProactorSocket pipe, String address,
                                                                         Supplier<? extends P> protocolFactory)
            throws IOException {
        return TransportWiring.wire(this, pipe, false, protocolFactory,
                (protocol, waiter) -> new ProactorSocketTransport(this, pipe, protocol, waiter, null, address),
                Connection::new);
    }

    /** For the Windows loop's pipe server: a served instance's transport; {@code connectionMade} comes next. */
    protected final void serveDuplexPipe(ProactorSocket pipe, String address, BaseProtocol protocol)
            throws IOException {
        new ProactorSocketTransport(this, pipe, protocol, null, null, address);
    }

    // --- end of named pipes ---

    // --- watching the application's channels, beyond asyncio's proactor ---

    /**
     * Watches {@code channel} for reading through the port's {@link ReadinessHelper}, as asyncio's
     * {@code loop.add_reader()} on the selector loop (asyncio's proactor raises
     * {@code NotImplementedError}; so does this loop on a port without the helper).
     */
    @Override
    public void addReader(SelectableChannel channel, Runnable callback) {
        ProactorFdWatch watch = watchFor(channel, callback, SelectionKey.OP_READ | SelectionKey.OP_ACCEPT, "add_reader");
        setHandle(watch, true, new Handle(callback, this, null));
    }

    /** Stops watching {@code channel} for reading; whether a reader was set. Mirrors {@code loop.remove_reader()}. */
    @Override
    public boolean removeReader(SelectableChannel channel) {
        return unwatch(channel, true);
    }

    /** Watches {@code channel} for writing, as {@link #addReader} for reading. Mirrors {@code loop.add_writer()}. */
    @Override
    public void addWriter(SelectableChannel channel, Runnable callback) {
        ProactorFdWatch watch = watchFor(channel, callback, SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT,
                "add_writer");
        setHandle(watch, false, new Handle(callback, this, null));
    }

    /** Stops watching {@code channel} for writing; whether a writer was set. Mirrors {@code loop.remove_writer()}. */
    @Override
    public boolean removeWriter(SelectableChannel channel) {
        return unwatch(channel, false);
    }

    /** Clears the reader ({@code reading}) or writer of {@code channel}; whether one was set. */
    private boolean unwatch(SelectableChannel channel, boolean reading) {
        ensureNoTransport(Objects.requireNonNull(channel, "channel"));
        ProactorFdWatch watch = isClosed() ? null : watches.get(channel);
        if (watch == null || watch.handle(reading) == null) {
            return false;
        }
        setHandle(watch, reading, null);
        return true;
    }

    /** Sets (null: clears) one side of the watch, updates the registration, then cancels the handle replaced. */
    private void setHandle(ProactorFdWatch watch, boolean reading, Handle handle) {
        Handle previous = watch.replace(reading, handle);
        update(watch);
        if (previous != null) {
            previous.cancel();
        }
    }

    /**
     * Raw descriptors cannot be watched here ({@code addReader(int, ...)} refuses them: the helper
     * watches channels), so none is ever registered and removing one answers false, as the
     * selector loop answers for a descriptor it does not watch.
     */
    @Override
    public boolean removeReader(int fd) {
        return false;
    }

    /** As {@link #removeReader(int)}: no descriptor is ever watched, so none is removed. */
    @Override
    public boolean removeWriter(int fd) {
        return false;
    }

    private ProactorFdWatch watchFor(SelectableChannel channel, Runnable callback, int validOps, String what) {
        ensureNoTransport(Objects.requireNonNull(channel, "channel"));
        Objects.requireNonNull(callback, "callback");
        checkClosed();
        ReadinessHelper readiness = port.readiness();
        if (readiness == null) {
            throw new UnsupportedOperationException(what + " is not supported by the " + implementationName()
                    + " loop: its completion port has no readiness helper");
        }
        if ((channel.validOps() & validOps) == 0) {
            throw new IllegalArgumentException("channel cannot be watched for "
                    + (validOps == (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT) ? "reading" : "writing") + ": "
                    + channel);
        }
        if (channel.isBlocking()) {
            throw new IllegalArgumentException("the channel must be non-blocking: " + channel);
        }
        return watches.computeIfAbsent(channel, key -> new ProactorFdWatch(this, key));
    }

    /** Tells the helper the watch's new mask; a watch with no callback left is forgotten, as asyncio unregisters it. */
    private void update(ProactorFdWatch watch) {
        int ops = watch.ops();
        port.readiness().watch(watch.channel, ops, ops == 0 ? null : watch);
        if (ops == 0) {
            watches.remove(watch.channel);
        }
    }

    /** Refuses a channel a live transport of this loop uses. Mirrors {@code _ensure_fd_no_transport}. */
    private void ensureNoTransport(SelectableChannel channel) {
        for (ProactorTransport transport : openTransports) {
            if (transport.socket.channel() == channel && !transport.isClosing()) {
                throw new IllegalStateException("File descriptor " + channel + " is used by transport " + transport);
            }
        }
    }

    @Override
    public <P extends Protocol, C extends SelectableChannel & ReadableByteChannel>
            Future<ReadPipeConnection<P>> connectReadPipe(Supplier<? extends P> protocolFactory, C pipe) {
        checkClosed();
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        Objects.requireNonNull(pipe, "pipe");
        return new Task<>(() -> {
            P protocol = protocolFactory.get();
            Future<Void> waiter = createFuture();
            ProactorReadPipeTransport transport = new ProactorReadPipeTransport(this, adoptPipe(pipe), pipe, protocol,
                    waiter);
            awaitOrClose(waiter, transport);
            return new ReadPipeConnection<>(transport, protocol);
        }, this, "connect_read_pipe", true);
    }

    @Override
    public <P extends BaseProtocol, C extends SelectableChannel & WritableByteChannel>
            Future<WritePipeConnection<P>> connectWritePipe(Supplier<? extends P> protocolFactory, C pipe) {
        checkClosed();
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        Objects.requireNonNull(pipe, "pipe");
        return new Task<>(() -> {
            P protocol = protocolFactory.get();
            Future<Void> waiter = createFuture();
            ProactorWritePipeTransport transport = new ProactorWritePipeTransport(this, adoptPipe(pipe), pipe,
                    protocol, waiter);
            awaitOrClose(waiter, transport);
            return new WritePipeConnection<>(transport, protocol);
        }, this, "connect_write_pipe", true);
    }

    private static void awaitOrClose(Future<Void> waiter, asyncio.api.transports.BaseTransport transport) {
        try {
            waiter.await();
        } catch (RuntimeException | Error failed) {
            transport.close();
            throw failed;
        }
    }

    /**
     * Starts {@code args} as {@code options} say, its pipes created for the port (overlapped
     * named pipes on Windows, as {@code windows_utils.Popen}). Called off the loop thread (a
     * start blocks for the whole spawn); throws what {@link ProcessBuilder#start()} would for
     * the same failure, having closed whatever it opened. A loop module without processes
     * keeps this default, which refuses.
     */
    protected ProactorProcess spawnProcess(List<String> args, SubprocessOptions options) throws IOException {
        throw new UnsupportedOperationException("subprocesses are not supported by the " + implementationName()
                + " loop");
    }

    /**
     * Whether {@link #spawnProcess} honours {@code start_new_session}, {@code pass_fds} and
     * {@code close_fds=False} (a loop module that spawns with posix_spawn, as io_uring's); false
     * refuses them before the spawn, as asyncio on Windows.
     */
    protected boolean spawnsPosixOptions() {
        return false;
    }

    /** The command that runs {@code command} in the platform's shell: {@code /bin/sh -c} (cmd.exe on Windows). */
    protected List<String> shellCommand(String command) {
        return List.of("/bin/sh", "-c", command);
    }

    /**
     * Starts the child off the loop thread ({@link ProcessStarter}), then wires its pipes as
     * proactor pipe transports and waits for its exit through the port. Mirrors
     * {@code ProactorEventLoop._make_subprocess_transport}.
     */
    @Override
    public <P extends SubprocessProtocol> Future<SubprocessConnection<P>> subprocessExec(
            Supplier<? extends P> protocolFactory, List<String> args, SubprocessOptions options) {
        checkClosed();
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        Objects.requireNonNull(options, "options");
        if (args == null || args.isEmpty()) {
            throw new IllegalArgumentException("args must contain at least the program to run");
        }
        List<String> command = List.copyOf(args);
        return new Task<>(() -> {
            if (options.needsOwnSpawn() && !spawnsPosixOptions()) {
                throw new UnsupportedOperationException("start_new_session, pass_fds and close_fds=False are not"
                        + " supported by the " + implementationName() + " loop (nor by asyncio on Windows)");
            }
            P protocol = protocolFactory.get();
            Future<Void> waiter = createFuture();
            ProactorProcess process = ProcessStarter.start(this, () -> spawnProcess(command, options),
                    ProactorChildProcess::discard).await();
            ProcessTransport transport = ProcessTransport.start(this, openProcesses::remove, protocol,
                    new ProactorChildProcess(this, process), waiter);
            openProcesses.add(transport);
            try {
                waiter.await();
            } catch (RuntimeException | Error failed) {
                transport.close();
                throw failed;
            }
            return new SubprocessConnection<>(transport, protocol);
        }, this, "subprocess_exec", true);
    }

    @Override
    public <P extends SubprocessProtocol> Future<SubprocessConnection<P>> subprocessShell(
            Supplier<? extends P> protocolFactory, String command, SubprocessOptions options) {
        Objects.requireNonNull(command, "command");
        return subprocessExec(protocolFactory, shellCommand(command), options);
    }
}
