package asyncio.tests;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.Connection;
import asyncio.api.transports.Server;
import asyncio.api.transports.ServerOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.function.Supplier;

/** Loopback servers and clients for the stream tests, used from a coroutine on the loop. */
final class Net {
    static final String LOCALHOST = "127.0.0.1";

    private Net() {
    }

    /** A server on 127.0.0.1 and an ephemeral port, serving each connection with {@code factory}. */
    static Server server(Supplier<? extends BaseProtocol> factory) {
        return server(factory, new ServerOptions());
    }

    static Server server(Supplier<? extends BaseProtocol> factory, ServerOptions options) {
        return loop().createServer(factory, LOCALHOST, 0, options).await();
    }

    /** The port the server's first listening socket is bound to. */
    static int port(Server server) {
        return address(server).getPort();
    }

    static InetSocketAddress address(Server server) {
        try {
            return (InetSocketAddress) server.sockets().get(0).localAddress();
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }

    /** Connects a new protocol from {@code factory} to the server. */
    static <P extends BaseProtocol> Connection<P> connect(Server server, Supplier<P> factory) {
        return loop().createConnection(factory, LOCALHOST, port(server)).await();
    }

    /** A server that echoes, and a recording client connected to it. */
    static Connection<RecordingProtocol> echoPair(Server echoServer) {
        return connect(echoServer, RecordingProtocol::new);
    }

    /** Closes the server and waits until every connection it accepted has ended. */
    static void closeAndWait(Server server) {
        server.close();
        Asyncio.waitFor(server.waitClosed(), RecordingProtocol.PATIENCE);
    }

    /**
     * A plain blocking NIO client connected to the server: a peer that is not asyncio. Loopback
     * connects complete in the kernel without the server accepting, so this does not block the loop.
     */
    static SocketChannel plainClient(Server server) {
        try {
            return SocketChannel.open(address(server));
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }

    /** Reads from a blocking channel until EOF, on another thread. */
    static byte[] readToEnd(SocketChannel channel) {
        return Asyncio.waitFor(Asyncio.toThread(() -> {
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            while (channel.read(buffer.clear()) >= 0) {
                all.write(buffer.array(), 0, buffer.position());
            }
            return all.toByteArray();
        }), RecordingProtocol.PATIENCE);
    }

    /**
     * Reads a blocking channel until the peer closes it, with a FIN or, as Linux does when a socket
     * closes with unread input, a reset: both mean the transport is gone.
     */
    static byte[] readUntilClosed(SocketChannel channel) {
        return Asyncio.waitFor(Asyncio.toThread(() -> {
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            try {
                while (channel.read(buffer.clear()) >= 0) {
                    all.write(buffer.array(), 0, buffer.position());
                }
            } catch (java.net.SocketException reset) {
                if (!"Connection reset".equals(reset.getMessage())) {
                    throw reset;
                }
            }
            return all.toByteArray();
        }), RecordingProtocol.PATIENCE);
    }

    /** Writes everything to a blocking channel. */
    static void writeAll(SocketChannel channel, byte[] data) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(data);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }

    /** Resets the connection: SO_LINGER 0 makes close() send RST instead of FIN. */
    static void reset(SocketChannel channel) {
        try {
            channel.setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
            channel.close();
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }

    /**
     * Writes chunks to a peer that does not read until the transport buffers some: the kernel's
     * buffers are then full. Returns the bytes written.
     */
    static long fillUntilBuffered(asyncio.api.transports.Transport transport) {
        long written = 0;
        ByteBuffer chunk = ByteBuffer.allocate(256 * 1024);
        while (transport.getWriteBufferSize() == 0) {
            transport.write(chunk.clear());
            written += chunk.capacity();
            if (written > 512L * 1024 * 1024) {
                throw new AssertionError("the kernel took 512 MiB from a peer that does not read");
            }
        }
        return written;
    }

    static EventLoop loop() {
        return Asyncio.getRunningLoop();
    }

    /**
     * Byte {@code index} of the test pattern: position-dependent and not periodic within a few
     * MiB, so a lost, repeated or reordered chunk shows.
     */
    static byte pattern(long index) {
        long mixed = index * 0x9E3779B97F4A7C15L;
        return (byte) ((mixed >>> 56) ^ index);
    }

    /** The pattern bytes from {@code offset} on, as a buffer ready to write. */
    static ByteBuffer patternChunk(long offset, int length) {
        ByteBuffer chunk = ByteBuffer.allocate(length);
        for (int i = 0; i < length; i++) {
            chunk.put(pattern(offset + i));
        }
        return chunk.flip();
    }

    /** The pattern's first {@code length} bytes. */
    static byte[] patternBytes(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = pattern(i);
        }
        return bytes;
    }
}
