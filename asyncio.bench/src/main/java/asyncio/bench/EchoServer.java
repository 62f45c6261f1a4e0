package asyncio.bench;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.EventLoopPolicy;
import asyncio.api.Future;
import asyncio.api.streams.StreamReader;
import asyncio.api.streams.StreamWriter;
import asyncio.api.streams.Streams;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.BufferedProtocol;
import asyncio.api.transports.Protocol;
import asyncio.api.transports.Server;
import asyncio.api.transports.ServerOptions;
import asyncio.api.transports.Transport;
import asyncio.api.transports.TransportSocket;
import asyncio.spi.DefaultEventLoopPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The TCP echo server that the shared load generator ({@code ../shared/bench/echoload}) measures,
 * in the three shapes of uvloop's echo benchmark: a Protocol, a BufferedProtocol and a streams
 * handler, in clear or (with {@code --tls-keystore}) over TLS. Prints one
 * {@code READY port= pid= loop= mode= carrier= tls=} line once it listens, and stops on SIGTERM or
 * after {@code --max-seconds}.
 *
 * <pre>
 * EchoServer [--loop NAME] [--mode protocol|buffered|streams] [--port N] [--host H] [--max-seconds S]
 *            [--tls-keystore FILE.p12 --tls-password PW]
 * </pre>
 */
public final class EchoServer {
    /** uvloop's echo benchmark reads with this size in streams mode; the kit's Python server does too. */
    private static final int STREAMS_READ_SIZE = 1_000_000;
    /** Large enough for a 100 KiB message in one read. */
    private static final int BUFFERED_SIZE = 256 * 1024;

    private EchoServer() {
    }

    /** Command-line options, with the defaults of issue 7. */
    record Options(String loop, String mode, String host, int port, double maxSeconds, Path tlsKeystore,
            String tlsPassword) {
        static Options parse(String[] args) {
            String loop = null;
            String mode = "protocol";
            String host = "127.0.0.1";
            int port = 0;
            double maxSeconds = 900;
            Path tlsKeystore = null;
            String tlsPassword = null;
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--loop" -> loop = required(args[i], value);
                    case "--mode" -> mode = required(args[i], value);
                    case "--host" -> host = required(args[i], value);
                    case "--port" -> port = Integer.parseInt(required(args[i], value));
                    case "--max-seconds" -> maxSeconds = Double.parseDouble(required(args[i], value));
                    case "--tls-keystore" -> tlsKeystore = Path.of(required(args[i], value));
                    case "--tls-password" -> tlsPassword = required(args[i], value);
                    case "-h", "--help" -> throw new IllegalArgumentException("usage");
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
                i++;
            }
            if (!mode.equals("protocol") && !mode.equals("buffered") && !mode.equals("streams")) {
                throw new IllegalArgumentException("--mode must be protocol, buffered or streams, not " + mode);
            }
            if (tlsPassword != null && tlsKeystore == null) {
                throw new IllegalArgumentException("--tls-password needs --tls-keystore");
            }
            return new Options(loop, mode, host, port, maxSeconds, tlsKeystore, tlsPassword);
        }

        private static String required(String option, String value) {
            if (value == null) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return value;
        }
    }

    /** Runs the server until SIGTERM or {@code --max-seconds}. */
    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException error) {
            System.err.println("echo-server: " + error.getMessage());
            System.err.println("usage: echo-server [--loop NAME] [--mode protocol|buffered|streams]"
                    + " [--port N] [--host H] [--max-seconds S] [--tls-keystore FILE.p12 --tls-password PW]");
            System.exit(2);
            return;
        }
        SSLContext tls = null;
        if (options.tlsKeystore() != null) {
            try {
                tls = tlsContext(options.tlsKeystore(), options.tlsPassword());
            } catch (IllegalArgumentException unusable) {
                System.err.println("echo-server: " + unusable.getMessage());
                System.exit(2);
                return;
            }
        }
        if (options.loop() != null) {
            // The policy reads it when it first chooses a provider, so set it before any loop exists.
            System.setProperty("asyncio.loop", options.loop());
        }
        EventLoop loop = Asyncio.newEventLoop();
        Asyncio.setEventLoop(loop);
        SSLContext context = tls;
        try {
            loop.runUntilComplete(() -> serve(loop, options, context));
        } finally {
            loop.close();
        }
    }

    private static Void serve(EventLoop loop, Options options, SSLContext tls) {
        ServerOptions serverOptions = new ServerOptions();
        if (tls != null) {
            serverOptions.ssl(tls);
        }
        Server server = startServer(loop, options, serverOptions).await();
        Future<Void> stop = loop.createFuture();
        Runnable stopper = () -> {
            if (!stop.done()) {
                stop.setResult(null);
            }
        };
        loop.addSignalHandler("TERM", stopper);
        loop.callLater(options.maxSeconds(), stopper);
        System.out.println("READY port=" + boundPort(server) + " pid=" + ProcessHandle.current().pid()
                + " loop=" + loopName(loop) + " mode=" + options.mode() + " carrier=" + carrierName()
                + " tls=" + (tls != null));
        System.out.flush();
        stop.await();
        server.close();
        server.abortClients();
        return null;
    }

    private static Future<Server> startServer(EventLoop loop, Options options, ServerOptions serverOptions) {
        return switch (options.mode()) {
            case "streams" -> Streams.startServer(EchoServer::echoStream, options.host(), options.port(),
                    StreamReader.DEFAULT_LIMIT, serverOptions);
            case "buffered" -> loop.createServer(BufferedEcho::new, options.host(), options.port(), serverOptions);
            default -> loop.createServer(ProtocolEcho::new, options.host(), options.port(), serverOptions);
        };
    }

    /** A server context holding the key and certificate chain of a PKCS#12 file (keytool -genkeypair makes one). */
    static SSLContext tlsContext(Path keystore, String password) {
        String factory = System.getProperty("asyncio.bench.tlsContextFactory");
        if (factory != null) {
            // A benchmark experiment: another TLS implementation behind SSLContext, e.g. netty-tcnative's
            // (bench.OpenSslJsseContext in asyncio.bench/netty-tls, on the class path).
            try {
                return (SSLContext) Class.forName(factory).getMethod("create", Path.class, String.class)
                        .invoke(null, keystore, password);
            } catch (ReflectiveOperationException error) {
                throw new IllegalArgumentException("cannot make a TLS context with " + factory + ": " + error, error);
            }
        }
        char[] secret = password == null ? new char[0] : password.toCharArray();
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, secret);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, secret);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException error) {
            throw new IllegalArgumentException("cannot use " + keystore + " as a TLS keystore: " + error, error);
        }
    }

    private static void echoStream(StreamReader reader, StreamWriter writer) {
        try {
            while (true) {
                byte[] data = reader.read(STREAMS_READ_SIZE);
                if (data.length == 0) {
                    break;
                }
                writer.write(data);
                writer.drain();
            }
        } finally {
            writer.close();
        }
    }

    private static int boundPort(Server server) {
        for (TransportSocket socket : server.sockets()) {
            try {
                if (socket.localAddress() instanceof InetSocketAddress address) {
                    return address.getPort();
                }
            } catch (java.io.IOException error) {
                throw new java.io.UncheckedIOException(error);
            }
        }
        throw new IllegalStateException("server has no TCP listening socket: " + server);
    }

    private static String loopName(EventLoop loop) {
        EventLoopPolicy policy = Asyncio.getEventLoopPolicy();
        if (policy instanceof DefaultEventLoopPolicy chosen) {
            return chosen.selection().chosen().name();
        }
        return loop.getClass().getSimpleName();
    }

    private static String carrierName() {
        String description = Asyncio.coroutineCarrier().trim();
        int end = 0;
        while (end < description.length() && !Character.isWhitespace(description.charAt(end))
                && description.charAt(end) != ',' && description.charAt(end) != ':' && description.charAt(end) != '(') {
            end++;
        }
        return end == 0 ? "unknown" : description.substring(0, end);
    }

    /** Writes back what {@code dataReceived} hands it; the transport copies whatever it cannot send at once. */
    static final class ProtocolEcho implements Protocol {
        private Transport transport;

        @Override
        public void connectionMade(BaseTransport transport) {
            this.transport = (Transport) transport;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            transport.write(data);
        }
    }

    /** Lends the transport one buffer per connection and writes back from it in {@code bufferUpdated}. */
    static final class BufferedEcho implements BufferedProtocol {
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFERED_SIZE);
        private Transport transport;

        @Override
        public void connectionMade(BaseTransport transport) {
            this.transport = (Transport) transport;
        }

        @Override
        public ByteBuffer getBuffer(int sizeHint) {
            return buffer.clear();
        }

        @Override
        public void bufferUpdated(int bytes) {
            // getBuffer() handed out the buffer cleared, so the data is at [0, bytes) whether or not
            // the read moved the position. write() copies what it cannot send at once, so the
            // buffer is free again when it returns.
            transport.write(buffer.position(0).limit(bytes));
        }
    }
}
