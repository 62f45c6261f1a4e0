package asyncio.spi.proactor;

import asyncio.api.Asyncio;
import asyncio.api.Future;
import asyncio.api.Task;
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
import asyncio.api.transports.NameInfo;
import asyncio.api.transports.Protocol;
import asyncio.api.transports.ReadPipeConnection;
import asyncio.api.transports.ReceivedDatagram;
import asyncio.api.transports.ReceivedInto;
import asyncio.api.transports.Server;
import asyncio.api.transports.ServerOptions;
import asyncio.api.transports.Transport;
import asyncio.api.transports.WritePipeConnection;
import asyncio.api.transports.WriteTransport;
import asyncio.spi.BaseEventLoop;
import asyncio.spi.Resolver;
import asyncio.spi.SslEngines;
import asyncio.spi.SslProtocol;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
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
    private final Set<ProactorTransport> openTransports = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<ProactorServer> openServers = Collections.newSetFromMap(new IdentityHashMap<>());

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
        List<ProactorServer> servers = new ArrayList<>(openServers);
        List<ProactorTransport> transports = new ArrayList<>(openTransports);
        openServers.clear();
        openTransports.clear();
        servers.forEach(ProactorServer::closedWithLoop);
        transports.forEach(ProactorTransport::closedWithLoop);
        port.close();
    }

    final void transportOpened(ProactorTransport transport) {
        openTransports.add(transport);
    }

    final void transportReleased(ProactorTransport transport) {
        openTransports.remove(transport);
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
        if (options.sock() != null && host != null) {
            throw new IllegalArgumentException("host/port and sock can not be specified at the same time");
        }
        if (options.happyEyeballsDelay() != null && !(options.happyEyeballsDelay() >= 0)) {
            throw new IllegalArgumentException("happyEyeballsDelay must be >= 0, got " + options.happyEyeballsDelay());
        }
        if (options.ssl() == null) {
            if (options.serverHostname() != null) {
                throw new IllegalArgumentException("server_hostname is only meaningful with ssl");
            }
            return new Task<>(() -> ProactorConnector.connect(this, protocolFactory, host, port, options), this,
                    "create_connection", true);
        }
        String serverHostname = options.serverHostname() != null ? options.serverHostname() : host;
        if (serverHostname == null) {
            throw new IllegalArgumentException("You must set server_hostname when using ssl without a host");
        }
        return new Task<>(() -> {
            List<P> app = new ArrayList<>(1);
            Future<Void> handshake = createFuture();
            Supplier<SslProtocol> tls = () -> {
                app.add(protocolFactory.get());
                return new SslProtocol(this, options.ssl(),
                        SslEngines.client(options.ssl(), serverHostname, port, options.checkHostname()), app.get(0),
                        handshake, true, options.sslHandshakeTimeout(), options.sslShutdownTimeout());
            };
            Connection<SslProtocol> plain = ProactorConnector.connect(this, tls, host, port, options);
            try {
                handshake.await();
            } catch (RuntimeException | Error failed) {
                plain.transport().close();
                throw failed;
            }
            return new Connection<>(plain.protocol().appTransport(), app.get(0));
        }, this, "create_connection", true);
    }

    @Override
    public <P extends BaseProtocol> Future<Connection<P>> connectAcceptedSocket(Supplier<? extends P> protocolFactory,
                                                                               SocketChannel channel) {
        checkClosed();
        Objects.requireNonNull(channel, "channel");
        return new Task<>(() -> ProactorConnector.wire(this, adopt(channel), protocolFactory, true), this,
                "connect_accepted_socket", true);
    }

    @Override
    public Future<Server> createServer(Supplier<? extends BaseProtocol> protocolFactory, List<String> hosts, int port,
                                       ServerOptions options) {
        checkClosed();
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        if (options.sock() != null && hosts != null) {
            throw new IllegalArgumentException("host/port and sock can not be specified at the same time");
        }
        Supplier<? extends BaseProtocol> factory = options.ssl() == null ? protocolFactory
                : () -> new SslProtocol(this, options.ssl(), SslEngines.server(options.ssl()), protocolFactory.get(),
                        null, true, options.sslHandshakeTimeout(), options.sslShutdownTimeout());
        return new Task<>(() -> {
            List<ProactorSocket> sockets = options.sock() != null ? List.of(adopt(options.sock()))
                    : bindAll(hosts, port, options);
            ProactorServer server = new ProactorServer(this, sockets, factory, options.keepAlive());
            if (options.startServing()) {
                server.startServingNow();
                Asyncio.sleep(0);
            }
            return server;
        }, this, "create_server", true);
    }

    private List<ProactorSocket> bindAll(List<String> hosts, int port, ServerOptions options) throws IOException {
        List<InetSocketAddress> addresses = new ArrayList<>();
        boolean wildcard = hosts == null || hosts.isEmpty() || hosts.stream().anyMatch(h -> h == null || h.isEmpty());
        if (wildcard) {
            addresses.add(new InetSocketAddress(port));
        } else {
            Set<InetSocketAddress> unique = new LinkedHashSet<>();
            for (String host : hosts) {
                unique.addAll(Resolver.resolve(this, host, port, options.family()).await());
            }
            addresses.addAll(unique);
        }
        List<ProactorSocket> sockets = new ArrayList<>();
        boolean completed = false;
        try {
            for (InetSocketAddress address : addresses) {
                ProtocolFamily family = wildcard ? options.family() : Resolver.family(address.getAddress());
                ProactorSocket socket = openListeningSocket(family);
                sockets.add(socket);
                socket.setOption(StandardSocketOptions.SO_REUSEADDR, options.reuseAddress());
                if (options.reusePort()) {
                    try {
                        socket.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                    } catch (UnsupportedOperationException unsupported) {
                        throw new IllegalArgumentException("reuse_port not supported by socket module", unsupported);
                    }
                }
                try {
                    socket.listen(address, options.backlog());
                } catch (IOException failed) {
                    throw ProactorConnector.bindError(address, failed);
                }
            }
            if (sockets.isEmpty()) {
                throw new IOException("could not bind on any address out of " + addresses);
            }
            completed = true;
            return sockets;
        } finally {
            if (!completed) {
                sockets.forEach(ProactorEventLoop::closeQuietly);
            }
        }
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

    // --- name resolution ---

    @Override
    public Future<List<InetSocketAddress>> getaddrinfo(String host, int port, ProtocolFamily family) {
        checkClosed();
        return Resolver.resolve(this, host, port, family);
    }

    @Override
    public Future<NameInfo> getnameinfo(InetSocketAddress address) {
        checkClosed();
        return Resolver.nameOf(this, Objects.requireNonNull(address, "address"));
    }

    // --- datagrams ---

    @Override
    public <P extends DatagramProtocol> Future<DatagramEndpoint<P>> createDatagramEndpoint(
            Supplier<? extends P> protocolFactory, SocketAddress localAddr, SocketAddress remoteAddr,
            DatagramOptions options) {
        checkClosed();
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        Objects.requireNonNull(options, "options");
        ProactorDatagrams.check(localAddr, remoteAddr, options);
        return new Task<>(() -> ProactorDatagrams.open(this, protocolFactory, localAddr, remoteAddr, options), this,
                "create_datagram_endpoint", true);
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

    private UnsupportedOperationException notYet(String what) {
        return new UnsupportedOperationException(what + " is not implemented on the " + implementationName()
                + " loop yet");
    }

    @Override
    public <P extends BaseProtocol> Future<Connection<P>> createUnixConnection(Supplier<? extends P> protocolFactory,
                                                                              Path path) {
        throw new UnsupportedOperationException("Unix domain sockets are not supported by the proactor loop");
    }

    @Override
    public Future<Server> createUnixServer(Supplier<? extends BaseProtocol> protocolFactory, Path path,
                                           ServerOptions options) {
        throw new UnsupportedOperationException("Unix domain sockets are not supported by the proactor loop");
    }

    /** As asyncio's proactor loop: signals are not supported. */
    @Override
    public void addSignalHandler(String signal, Runnable callback) {
        throw new UnsupportedOperationException("add_signal_handler is not supported by the proactor loop");
    }

    @Override
    public boolean removeSignalHandler(String signal) {
        throw new UnsupportedOperationException("remove_signal_handler is not supported by the proactor loop");
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
        ProactorSocketTransport socketTransport = ProactorSendfile.check(transport);
        return new Task<>(() -> ProactorSendfile.sendfile(this, socketTransport, file, offset, count, fallback), this,
                "sendfile", true);
    }

    // --- not yet on the proactor (issue 14: later sessions) ---

    @Override
    public void addReader(SelectableChannel channel, Runnable callback) {
        throw notYet("add_reader");
    }

    /** Nothing can be watched yet (see {@link #addReader}), so nothing is removed. */
    @Override
    public boolean removeReader(SelectableChannel channel) {
        Objects.requireNonNull(channel, "channel");
        return false;
    }

    @Override
    public void addWriter(SelectableChannel channel, Runnable callback) {
        throw notYet("add_writer");
    }

    /** Nothing can be watched yet (see {@link #addWriter}), so nothing is removed. */
    @Override
    public boolean removeWriter(SelectableChannel channel) {
        Objects.requireNonNull(channel, "channel");
        return false;
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

    @Override
    public <P extends SubprocessProtocol> Future<SubprocessConnection<P>> subprocessExec(
            Supplier<? extends P> protocolFactory, List<String> args, SubprocessOptions options) {
        throw notYet("subprocess_exec");
    }

    @Override
    public <P extends SubprocessProtocol> Future<SubprocessConnection<P>> subprocessShell(
            Supplier<? extends P> protocolFactory, String command, SubprocessOptions options) {
        throw notYet("subprocess_shell");
    }
}
