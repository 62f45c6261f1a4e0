package asyncio.api.streams;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.Task;
import asyncio.api.internal.Unclaimed;
import asyncio.api.transports.Connection;
import asyncio.api.transports.ConnectionOptions;
import asyncio.api.transports.Server;
import asyncio.api.transports.ServerOptions;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The stream entry points: connect or serve and get {@link StreamReader}/{@link StreamWriter}
 * pairs. Mirrors {@code asyncio.open_connection()}, {@code start_server()} and their Unix twins;
 * each returns a future to await.
 */
public final class Streams {
    private Streams() {
    }

    /** Connects to {@code host}:{@code port}. Mirrors {@code asyncio.open_connection()}. */
    public static Future<StreamConnection> openConnection(String host, int port) {
        return openConnection(host, port, StreamReader.DEFAULT_LIMIT, new ConnectionOptions());
    }

    /** Connects with a reader {@code limit} and any {@code createConnection} option. */
    public static Future<StreamConnection> openConnection(String host, int port, int limit, ConnectionOptions options) {
        EventLoop loop = Asyncio.getRunningLoop();
        return open(loop, limit, "open_connection",
                protocol -> loop.createConnection(() -> protocol, host, port, options));
    }

    /** Connects to the Unix socket at {@code path}. Mirrors {@code asyncio.open_unix_connection()}. */
    public static Future<StreamConnection> openUnixConnection(Path path) {
        return openUnixConnection(path, StreamReader.DEFAULT_LIMIT);
    }

    /** Connects to the Unix socket at {@code path} with a reader {@code limit}. */
    public static Future<StreamConnection> openUnixConnection(Path path, int limit) {
        return openUnixConnection(path, limit, new ConnectionOptions());
    }

    /**
     * Connects to the Unix socket at {@code path} (or over {@code options.sock}, {@code path} null)
     * with a reader {@code limit} and any {@code createUnixConnection} option, TLS included
     * ({@code ssl} with {@code serverHostname}). Mirrors
     * {@code asyncio.open_unix_connection(path, *, limit=, ssl=, sock=, server_hostname=, ...)}.
     */
    public static Future<StreamConnection> openUnixConnection(Path path, int limit, ConnectionOptions options) {
        EventLoop loop = Asyncio.getRunningLoop();
        return open(loop, limit, "open_unix_connection",
                protocol -> loop.createUnixConnection(() -> protocol, path, options));
    }

    /**
     * Serves {@code host}:{@code port}; {@code handler} runs as a task per connection.
     * Mirrors {@code asyncio.start_server()}.
     */
    public static Future<Server> startServer(StreamHandler handler, String host, int port) {
        return startServer(handler, host, port, StreamReader.DEFAULT_LIMIT, new ServerOptions());
    }

    /** {@link #startServer(StreamHandler, String, int)} with a reader {@code limit} and any {@code createServer} option. */
    public static Future<Server> startServer(StreamHandler handler, String host, int port, int limit,
                                             ServerOptions options) {
        EventLoop loop = Asyncio.getRunningLoop();
        return loop.createServer(protocolsFor(loop, handler, limit), host, port, options);
    }

    /** Serves the Unix socket at {@code path}. Mirrors {@code asyncio.start_unix_server()}. */
    public static Future<Server> startUnixServer(StreamHandler handler, Path path) {
        return startUnixServer(handler, path, StreamReader.DEFAULT_LIMIT, new ServerOptions());
    }

    /**
     * {@link #startUnixServer(StreamHandler, Path)} with a reader {@code limit} and server options,
     * TLS included ({@code ssl} and its timeouts). Mirrors
     * {@code asyncio.start_unix_server(cb, path, *, limit=, ssl=, ssl_handshake_timeout=, ...)}.
     */
    public static Future<Server> startUnixServer(StreamHandler handler, Path path, int limit, ServerOptions options) {
        EventLoop loop = Asyncio.getRunningLoop();
        return loop.createUnixServer(protocolsFor(loop, handler, limit), path, options);
    }

    private static Supplier<StreamReaderProtocol> protocolsFor(EventLoop loop, StreamHandler handler, int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("Limit cannot be <= 0");
        }
        return () -> new StreamReaderProtocol(new StreamReader(limit, loop), handler, loop);
    }

    private interface Connect {
        Future<Connection<StreamReaderProtocol>> start(StreamReaderProtocol protocol);
    }

    private static Future<StreamConnection> open(EventLoop loop, int limit, String name, Connect connect) {
        StreamReader reader = new StreamReader(limit, loop);
        StreamReaderProtocol protocol = new StreamReaderProtocol(reader, loop);
        // Cancelled between making the pair and the caller taking it, the pair is closed (Unclaimed).
        return Unclaimed.closeIfDropped(new Task<>(() -> {
            Connection<StreamReaderProtocol> connection = connect.start(protocol).await();
            return new StreamConnection(reader, new StreamWriter(connection.transport(), protocol, reader, loop));
        }, loop, name, true), pair -> pair.writer().close());
    }
}
