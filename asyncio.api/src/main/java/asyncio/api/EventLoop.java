package asyncio.api;

import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.Connection;
import asyncio.api.transports.ConnectionOptions;
import asyncio.api.transports.NameInfo;
import asyncio.api.transports.Server;
import asyncio.api.transports.ServerOptions;
import asyncio.api.transports.AcceptedSocket;
import asyncio.api.transports.DatagramEndpoint;
import asyncio.api.transports.DatagramOptions;
import asyncio.api.transports.DatagramProtocol;
import asyncio.api.transports.Protocol;
import asyncio.api.transports.ReadPipeConnection;
import asyncio.api.transports.ReceivedDatagram;
import asyncio.api.transports.ReceivedInto;
import asyncio.api.transports.WritePipeConnection;
import asyncio.api.transports.WriteTransport;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.WritableByteChannel;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * A single-threaded event loop: runs callbacks, timers, I/O and tasks. Mirrors
 * {@code asyncio.AbstractEventLoop}. Only {@link #callSoonThreadsafe}, {@link #stop} and
 * {@link Asyncio#runCoroutineThreadsafe} may be called from other threads.
 */
public interface EventLoop extends AutoCloseable {

    // --- running and stopping ---

    /** Runs until {@link #stop()} is called. Mirrors {@code loop.run_forever()}. */
    void runForever();

    /**
     * Runs until {@code future} is done and returns its result (or throws its exception).
     * Mirrors {@code loop.run_until_complete()}.
     */
    <T> T runUntilComplete(Future<T> future);

    /** Wraps {@code coro} in a task, runs until it is done and returns its result. */
    <T> T runUntilComplete(Coroutine<T> coro);

    /** Stops the loop after the current iteration; safe from any thread. Mirrors {@code loop.stop()}. */
    void stop();

    /** Whether the loop is running. Mirrors {@code loop.is_running()}. */
    boolean isRunning();

    /** Whether the loop was closed. Mirrors {@code loop.is_closed()}. */
    boolean isClosed();

    /**
     * Closes the loop: drops pending callbacks, shuts the default executor down without waiting.
     * A running loop cannot be closed. Mirrors {@code loop.close()}; idempotent.
     */
    @Override
    void close();

    /**
     * Shuts the default executor down and completes when its threads have finished, or after
     * {@code timeout} (null waits forever). Mirrors {@code loop.shutdown_default_executor()}.
     */
    Future<Void> shutdownDefaultExecutor(Duration timeout);

    /** {@link #shutdownDefaultExecutor(Duration)} with {@code timeout} in seconds. Mirrors {@code loop.shutdown_default_executor(timeout)}. */
    default Future<Void> shutdownDefaultExecutor(double timeout) {
        return shutdownDefaultExecutor(Duration.ofNanos(Math.round(timeout * 1e9)));
    }

    /** {@link #shutdownDefaultExecutor(Duration)} waiting as long as it takes. Mirrors {@code loop.shutdown_default_executor()}. */
    default Future<Void> shutdownDefaultExecutor() {
        return shutdownDefaultExecutor((Duration) null);
    }

    // --- scheduling ---

    /** Runs {@code callback} at the next iteration, after those already scheduled. Mirrors {@code loop.call_soon()}. */
    Handle callSoon(Runnable callback);

    /** {@link #callSoon} from any thread; wakes the loop. Mirrors {@code loop.call_soon_threadsafe()}. */
    Handle callSoonThreadsafe(Runnable callback);

    /** Runs {@code callback} after {@code delay} seconds. Mirrors {@code loop.call_later()}. */
    TimerHandle callLater(double delay, Runnable callback);

    /** Runs {@code callback} after {@code delay}. */
    default TimerHandle callLater(Duration delay, Runnable callback) {
        return callLater(delay.toNanos() / 1e9, callback);
    }

    /** Runs {@code callback} at loop time {@code when}. Mirrors {@code loop.call_at()}. */
    TimerHandle callAt(double when, Runnable callback);

    /** The loop's monotonic clock, in seconds. Mirrors {@code loop.time()}. */
    double time();

    // --- futures and tasks ---

    /** A new pending future bound to this loop. Mirrors {@code loop.create_future()}. */
    <T> Future<T> createFuture();

    /** Schedules {@code coro} as a task. Mirrors {@code loop.create_task()}. */
    default <T> Task<T> createTask(Coroutine<T> coro) {
        return createTask(coro, null);
    }

    /** Schedules {@code coro} as a task named {@code name} (null: a generated name). */
    <T> Task<T> createTask(Coroutine<T> coro, String name);

    /** Sets the factory {@link #createTask} uses (null: plain tasks). Mirrors {@code loop.set_task_factory()}. */
    void setTaskFactory(TaskFactory factory);

    /** The task factory, or null. Mirrors {@code loop.get_task_factory()}. */
    TaskFactory getTaskFactory();

    // --- executor ---

    /**
     * Runs {@code function} in {@code executor} (null: the default executor) and returns a future
     * of its result. Mirrors {@code loop.run_in_executor()}.
     */
    <T> Future<T> runInExecutor(Executor executor, Callable<T> function);

    /** Replaces the default executor. Mirrors {@code loop.set_default_executor()}. */
    void setDefaultExecutor(ExecutorService executor);

    // --- errors and debug ---

    /** Sets the handler for unhandled errors (null: the default). Mirrors {@code loop.set_exception_handler()}. */
    void setExceptionHandler(ExceptionHandler handler);

    /** The handler set with {@link #setExceptionHandler}, or null. */
    ExceptionHandler getExceptionHandler();

    /** Logs the error described by {@code context}. Mirrors {@code loop.default_exception_handler()}. */
    void defaultExceptionHandler(Map<String, Object> context);

    /** Passes {@code context} to the current handler. Mirrors {@code loop.call_exception_handler()}. */
    void callExceptionHandler(Map<String, Object> context);

    /** Whether debug mode is on. Mirrors {@code loop.get_debug()}. */
    boolean getDebug();

    /** Turns debug mode on or off. Mirrors {@code loop.set_debug()}. */
    void setDebug(boolean enabled);

    /** Callbacks slower than this (seconds) are logged in debug mode. Mirrors {@code loop.slow_callback_duration}. */
    double getSlowCallbackDuration();

    /** Sets the slow-callback threshold in seconds. */
    void setSlowCallbackDuration(double seconds);

    // --- streams: TCP and Unix sockets ---

    /**
     * Connects to {@code host}:{@code port} (every resolved address is tried, Happy Eyeballs when
     * asked) and wires a new protocol to the transport; completes once {@code connectionMade}
     * ran. Mirrors {@code loop.create_connection()}.
     */
    <P extends BaseProtocol> Future<Connection<P>> createConnection(Supplier<? extends P> protocolFactory, String host, int port,
                                                                   ConnectionOptions options);

    /** {@link #createConnection(Supplier, String, int, ConnectionOptions)} with default options. */
    default <P extends BaseProtocol> Future<Connection<P>> createConnection(Supplier<? extends P> protocolFactory, String host,
                                                                           int port) {
        return createConnection(protocolFactory, host, port, new ConnectionOptions());
    }

    /**
     * Listens on {@code host}:{@code port} ({@code host} null: every interface; port 0: an ephemeral
     * port) and serves each connection with a new protocol. Mirrors {@code loop.create_server()}.
     */
    default Future<Server> createServer(Supplier<? extends BaseProtocol> protocolFactory, String host, int port,
                                        ServerOptions options) {
        return createServer(protocolFactory, host == null ? null : List.of(host), port, options);
    }

    /** {@link #createServer(Supplier, String, int, ServerOptions)} with default options. */
    default Future<Server> createServer(Supplier<? extends BaseProtocol> protocolFactory, String host, int port) {
        return createServer(protocolFactory, host, port, new ServerOptions());
    }

    /** Listens on several hosts at once (null: every interface). Mirrors {@code create_server(host=[...])}. */
    Future<Server> createServer(Supplier<? extends BaseProtocol> protocolFactory, List<String> hosts, int port,
                                ServerOptions options);

    /** Wraps a connection accepted elsewhere. Mirrors {@code loop.connect_accepted_socket()}. */
    default <P extends BaseProtocol> Future<Connection<P>> connectAcceptedSocket(Supplier<? extends P> protocolFactory,
                                                                                SocketChannel channel) {
        return connectAcceptedSocket(protocolFactory, channel, new ServerOptions());
    }

    /**
     * Wraps a connection accepted elsewhere, as the server side of TLS when {@code options} has
     * {@code ssl} (completing once the handshake is done). Only the TLS options apply: {@code ssl},
     * {@code sslHandshakeTimeout}, {@code sslShutdownTimeout}. Mirrors
     * {@code loop.connect_accepted_socket(protocol_factory, sock, *, ssl=, ssl_handshake_timeout=, ssl_shutdown_timeout=)}.
     */
    <P extends BaseProtocol> Future<Connection<P>> connectAcceptedSocket(Supplier<? extends P> protocolFactory,
                                                                        SocketChannel channel, ServerOptions options);

    /** Connects to the Unix domain socket at {@code path}. Mirrors {@code loop.create_unix_connection()}. */
    default <P extends BaseProtocol> Future<Connection<P>> createUnixConnection(Supplier<? extends P> protocolFactory,
                                                                               Path path) {
        return createUnixConnection(protocolFactory, path, new ConnectionOptions());
    }

    /**
     * Connects to the Unix domain socket at {@code path}, or wires the connected Unix channel of
     * {@code options.sock} ({@code path} null), speaking TLS when {@code options} has {@code ssl}
     * ({@code serverHostname} is then required, as a Unix path names no host). Only {@code sock} and
     * the TLS options apply; the TCP ones ({@code localAddr}, {@code family}, Happy Eyeballs) are
     * refused. Mirrors {@code loop.create_unix_connection(protocol_factory, path, *, ssl=, sock=,
     * server_hostname=, ssl_handshake_timeout=, ssl_shutdown_timeout=)}.
     */
    <P extends BaseProtocol> Future<Connection<P>> createUnixConnection(Supplier<? extends P> protocolFactory, Path path,
                                                                       ConnectionOptions options);

    /**
     * Listens on the Unix domain socket at {@code path}; the file is removed on close unless
     * {@code cleanupSocket(false)}. Mirrors {@code loop.create_unix_server()}.
     */
    Future<Server> createUnixServer(Supplier<? extends BaseProtocol> protocolFactory, Path path, ServerOptions options);

    /**
     * Upgrades a live connection to TLS: {@code protocol} keeps its place, now over the returned
     * transport, once the handshake is done (its {@code connectionMade} is not called again).
     * Mirrors {@code loop.start_tls()}; timeouts in seconds (asyncio: 60 and 30).
     */
    Future<asyncio.api.transports.Transport> startTls(asyncio.api.transports.Transport transport, BaseProtocol protocol,
                                                     javax.net.ssl.SSLContext sslContext, boolean serverSide,
                                                     String serverHostname, double handshakeTimeout,
                                                     double shutdownTimeout);

    /**
     * {@link #startTls(asyncio.api.transports.Transport, BaseProtocol, javax.net.ssl.SSLContext, boolean, String, double, double)}
     * as a client with asyncio's defaults (no server hostname, 60 s handshake, 30 s shutdown).
     * Mirrors {@code loop.start_tls(transport, protocol, sslcontext)}.
     */
    default Future<asyncio.api.transports.Transport> startTls(asyncio.api.transports.Transport transport,
                                                             BaseProtocol protocol, javax.net.ssl.SSLContext sslContext) {
        return startTls(transport, protocol, sslContext, false, null);
    }

    /**
     * {@code startTls} on the given side with asyncio's default timeouts and no server hostname.
     * Mirrors {@code loop.start_tls(transport, protocol, sslcontext, server_side=...)}.
     */
    default Future<asyncio.api.transports.Transport> startTls(asyncio.api.transports.Transport transport,
                                                             BaseProtocol protocol, javax.net.ssl.SSLContext sslContext,
                                                             boolean serverSide) {
        return startTls(transport, protocol, sslContext, serverSide, null);
    }

    /**
     * {@code startTls} with asyncio's default timeouts (60 s handshake, 30 s shutdown). Mirrors
     * {@code loop.start_tls(transport, protocol, sslcontext, server_side=..., server_hostname=...)}.
     */
    default Future<asyncio.api.transports.Transport> startTls(asyncio.api.transports.Transport transport,
                                                             BaseProtocol protocol, javax.net.ssl.SSLContext sslContext,
                                                             boolean serverSide, String serverHostname) {
        return startTls(transport, protocol, sslContext, serverSide, serverHostname, 60.0, 30.0);
    }

    /**
     * {@code startTls} with its timeouts as {@link Duration}s. Mirrors {@code loop.start_tls(...,
     * ssl_handshake_timeout=..., ssl_shutdown_timeout=...)}.
     */
    default Future<asyncio.api.transports.Transport> startTls(asyncio.api.transports.Transport transport,
                                                             BaseProtocol protocol, javax.net.ssl.SSLContext sslContext,
                                                             boolean serverSide, String serverHostname,
                                                             Duration handshakeTimeout, Duration shutdownTimeout) {
        return startTls(transport, protocol, sslContext, serverSide, serverHostname, Asyncio.seconds(handshakeTimeout),
                Asyncio.seconds(shutdownTimeout));
    }

    // --- subprocesses and signals ---

    /**
     * Starts {@code args} (program first) with its streams where {@code options} says (pipes by
     * default) and wires a new protocol to it. Mirrors {@code loop.subprocess_exec()}.
     */
    <P extends asyncio.api.subprocess.SubprocessProtocol> Future<asyncio.api.subprocess.SubprocessConnection<P>>
            subprocessExec(Supplier<? extends P> protocolFactory, List<String> args,
                           asyncio.api.subprocess.SubprocessOptions options);

    /** Runs {@code command} with the system shell ({@code /bin/sh -c}). Mirrors {@code loop.subprocess_shell()}. */
    <P extends asyncio.api.subprocess.SubprocessProtocol> Future<asyncio.api.subprocess.SubprocessConnection<P>>
            subprocessShell(Supplier<? extends P> protocolFactory, String command,
                            asyncio.api.subprocess.SubprocessOptions options);

    /**
     * Runs {@code callback} on the loop thread whenever UNIX signal {@code signal} ({@code "INT"},
     * {@code "SIGTERM"}, ...) arrives; replaces an earlier handler. Signals that cannot be caught
     * (KILL, STOP, those the JVM reserves) raise {@link IllegalArgumentException}.
     * Mirrors {@code loop.add_signal_handler()}.
     */
    void addSignalHandler(String signal, Runnable callback);

    /**
     * Restores the handler {@code signal} had before; returns whether one was set. A name that is
     * no signal raises {@link IllegalArgumentException} (null: {@link NullPointerException}), as
     * asyncio raises ValueError (TypeError). Mirrors {@code loop.remove_signal_handler()}.
     */
    boolean removeSignalHandler(String signal);

    /**
     * {@link #addSignalHandler(String, Runnable)} by signal number ({@code 15} for TERM), as
     * {@code loop.add_signal_handler(signal.SIGTERM, ...)} is written with an int. A number that is
     * no signal here raises {@link IllegalArgumentException}, as asyncio raises ValueError.
     */
    void addSignalHandler(int signal, Runnable callback);

    /** {@link #removeSignalHandler(String)} by signal number. Mirrors {@code loop.remove_signal_handler(signum)}. */
    boolean removeSignalHandler(int signal);

    // --- name resolution ---

    /**
     * Resolves {@code host} on the default executor (numeric addresses at once) to socket
     * addresses, filtered by {@code family} (null: any). Mirrors {@code loop.getaddrinfo()}.
     */
    Future<List<InetSocketAddress>> getaddrinfo(String host, int port, ProtocolFamily family);

    /** The host name and service of {@code address}, on the default executor. Mirrors {@code loop.getnameinfo()}. */
    Future<NameInfo> getnameinfo(InetSocketAddress address);

    /** The name of the loop implementation ({@code selector}, {@code epoll}, ...). */
    String implementationName();

    // --- datagrams, raw socket operations, descriptor watching, pipes and sendfile ---

    /**
     * Opens a UDP endpoint bound to {@code localAddr} and, unless broadcasting is allowed,
     * connected to {@code remoteAddr} (either may be null; unresolved addresses are resolved);
     * every matching address family is tried in turn. Completes once {@code connectionMade} ran.
     * Mirrors {@code loop.create_datagram_endpoint()}.
     */
    <P extends DatagramProtocol> Future<DatagramEndpoint<P>> createDatagramEndpoint(Supplier<? extends P> protocolFactory,
                                                                                   SocketAddress localAddr,
                                                                                   SocketAddress remoteAddr,
                                                                                   DatagramOptions options);

    /** {@link #createDatagramEndpoint(Supplier, SocketAddress, SocketAddress, DatagramOptions)} with default options. */
    default <P extends DatagramProtocol> Future<DatagramEndpoint<P>> createDatagramEndpoint(
            Supplier<? extends P> protocolFactory, SocketAddress localAddr, SocketAddress remoteAddr) {
        return createDatagramEndpoint(protocolFactory, localAddr, remoteAddr, new DatagramOptions());
    }

    /**
     * Receives up to {@code n} bytes from a non-blocking channel, waiting until some arrive; an
     * empty buffer means EOF. Mirrors {@code loop.sock_recv()}.
     */
    Future<ByteBuffer> sockRecv(SocketChannel sock, int n);

    /**
     * Receives into {@code buffer} from its position, waiting until data arrive; completes with
     * the byte count (0 at EOF). Mirrors {@code loop.sock_recv_into()}.
     */
    Future<Integer> sockRecvInto(SocketChannel sock, ByteBuffer buffer);

    /** Receives one datagram of up to {@code bufsize} bytes and its sender. Mirrors {@code loop.sock_recvfrom()}. */
    Future<ReceivedDatagram> sockRecvfrom(DatagramChannel sock, int bufsize);

    /**
     * Receives one datagram into {@code buffer} (at most {@code nbytes} bytes; 0: the buffer's
     * remaining room) and completes with the count and sender. Mirrors {@code loop.sock_recvfrom_into()}.
     */
    Future<ReceivedInto> sockRecvfromInto(DatagramChannel sock, ByteBuffer buffer, int nbytes);

    /** {@link #sockRecvfromInto(DatagramChannel, ByteBuffer, int)} filling up to the buffer's limit. */
    default Future<ReceivedInto> sockRecvfromInto(DatagramChannel sock, ByteBuffer buffer) {
        return sockRecvfromInto(sock, buffer, 0);
    }

    /**
     * Sends all of {@code data} (position to limit, consumed as it goes), waiting whenever the
     * kernel is full. Mirrors {@code loop.sock_sendall()}.
     */
    Future<Void> sockSendall(SocketChannel sock, ByteBuffer data);

    /** Sends {@code data} as one datagram to {@code address}; completes with the bytes sent. Mirrors {@code loop.sock_sendto()}. */
    Future<Integer> sockSendto(DatagramChannel sock, ByteBuffer data, SocketAddress address);

    /** Connects a non-blocking channel, resolving an unresolved address first. Mirrors {@code loop.sock_connect()}. */
    Future<Void> sockConnect(SocketChannel sock, SocketAddress address);

    /**
     * Accepts one connection on a bound, listening, non-blocking server channel; the accepted
     * channel is non-blocking. Mirrors {@code loop.sock_accept()}.
     */
    Future<AcceptedSocket> sockAccept(ServerSocketChannel sock);

    /**
     * {@link #connectReadPipe(Supplier, SelectableChannel)} over a raw file descriptor the
     * transport takes over (made non-blocking, closed with the transport, or at once when no
     * transport comes of the call: the future cancelled before its first step, or the protocol
     * factory raising): the master side of a pty, a pipe or FIFO that native code opened. Mirrors {@code loop.connect_read_pipe(protocol_factory,
     * os.fdopen(fd))}. Only a loop that polls raw descriptors can (the epoll loop); the selector
     * loop watches NIO channels only and raises {@link UnsupportedOperationException} here.
     */
    <P extends Protocol> Future<ReadPipeConnection<P>> connectReadPipe(Supplier<? extends P> protocolFactory, int fd);

    /**
     * {@link #connectWritePipe(Supplier, SelectableChannel)} over a raw file descriptor the transport
     * takes over, as {@link #connectReadPipe(Supplier, int)}. Mirrors
     * {@code loop.connect_write_pipe(protocol_factory, os.fdopen(fd, "wb"))}. The epoll loop only;
     * the selector loop raises {@link UnsupportedOperationException}.
     */
    <P extends BaseProtocol> Future<WritePipeConnection<P>> connectWritePipe(Supplier<? extends P> protocolFactory, int fd);

    /**
     * Sends {@code count} bytes of {@code file} from {@code offset} (null count: to the end) with
     * the sendfile system call, or, when that is impossible and {@code fallback} is true, by
     * reading and sending; completes with the bytes sent and leaves the file's position after
     * them. Mirrors {@code loop.sock_sendfile()}; without fallback it raises
     * {@link SendfileNotAvailableError}.
     */
    Future<Long> sockSendfile(SocketChannel sock, FileChannel file, long offset, Long count, boolean fallback);

    /** {@link #sockSendfile(SocketChannel, FileChannel, long, Long, boolean)} of the whole file, with fallback. */
    default Future<Long> sockSendfile(SocketChannel sock, FileChannel file) {
        return sockSendfile(sock, file, 0, null, true);
    }

    /**
     * Calls {@code callback} whenever the non-blocking {@code channel} is readable, replacing any
     * reader it had. A channel a live transport uses is refused. Mirrors {@code loop.add_reader()}.
     */
    void addReader(SelectableChannel channel, Runnable callback);

    /** Stops watching {@code channel} for reading; returns whether a reader was registered. Mirrors {@code loop.remove_reader()}. */
    boolean removeReader(SelectableChannel channel);

    /**
     * Calls {@code callback} whenever the non-blocking {@code channel} is writable, replacing any
     * writer it had. A channel a live transport uses is refused. Mirrors {@code loop.add_writer()}.
     */
    void addWriter(SelectableChannel channel, Runnable callback);

    /** Stops watching {@code channel} for writing; returns whether a writer was registered. Mirrors {@code loop.remove_writer()}. */
    boolean removeWriter(SelectableChannel channel);

    /**
     * Calls {@code callback} whenever the raw file descriptor {@code fd} is readable, as
     * {@code loop.add_reader(fd, ...)} does with an integer. Only loops that poll descriptors
     * themselves can (the epoll loop); the others throw {@link UnsupportedOperationException}.
     * The descriptor stays the application's: the loop never closes it.
     */
    default void addReader(int fd, Runnable callback) {
        throw new UnsupportedOperationException("the " + implementationName() + " loop watches NIO channels, not raw file descriptors");
    }

    /** Stops watching descriptor {@code fd} for reading; returns whether a reader was registered. */
    default boolean removeReader(int fd) {
        throw new UnsupportedOperationException("the " + implementationName() + " loop watches NIO channels, not raw file descriptors");
    }

    /** Like {@link #addReader(int, Runnable)}, for writability. Mirrors {@code loop.add_writer(fd, ...)}. */
    default void addWriter(int fd, Runnable callback) {
        throw new UnsupportedOperationException("the " + implementationName() + " loop watches NIO channels, not raw file descriptors");
    }

    /** Stops watching descriptor {@code fd} for writing; returns whether a writer was registered. */
    default boolean removeWriter(int fd) {
        throw new UnsupportedOperationException("the " + implementationName() + " loop watches NIO channels, not raw file descriptors");
    }

    /**
     * Wires the read end of a pipe (or any readable selectable channel) to a new protocol; the
     * channel is made non-blocking and closed with the transport. At EOF the protocol hears
     * {@code eofReceived} and then {@code connectionLost(null)}. Mirrors {@code loop.connect_read_pipe()}.
     */
    <P extends Protocol, C extends SelectableChannel & ReadableByteChannel> Future<ReadPipeConnection<P>> connectReadPipe(
            Supplier<? extends P> protocolFactory, C pipe);

    /**
     * Wires the write end of a pipe (or any writable selectable channel) to a new protocol, with
     * write buffering and flow control; the channel is made non-blocking and closed with the
     * transport. Mirrors {@code loop.connect_write_pipe()}.
     */
    <P extends BaseProtocol, C extends SelectableChannel & WritableByteChannel> Future<WritePipeConnection<P>> connectWritePipe(
            Supplier<? extends P> protocolFactory, C pipe);

    /**
     * Sends {@code count} bytes of {@code file} from {@code offset} (null count: to the end) over
     * {@code transport}: with the sendfile system call once the transport's write buffer is
     * empty, else, when {@code fallback} is true, by reading and writing with flow control.
     * Writes to the transport fail while a system-call transfer runs. Completes with the bytes
     * sent. Mirrors {@code loop.sendfile()}.
     */
    Future<Long> sendfile(WriteTransport transport, FileChannel file, long offset, Long count, boolean fallback);

    /** {@link #sendfile(WriteTransport, FileChannel, long, Long, boolean)} of the whole file, with fallback. */
    default Future<Long> sendfile(WriteTransport transport, FileChannel file) {
        return sendfile(transport, file, 0, null, true);
    }
}
