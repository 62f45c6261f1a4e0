package asyncio.api.streams;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.internal.Throwables;
import asyncio.api.transports.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * Writing to a byte stream from coroutine code, with back-pressure through {@link #drain()}.
 * Mirrors {@code asyncio.StreamWriter}.
 */
public class StreamWriter {
    private Transport transport;
    private final StreamReaderProtocol protocol;
    private final StreamReader reader;
    private final EventLoop loop;

    /** A writer over {@code transport}. Mirrors {@code StreamWriter(transport, protocol, reader, loop)}. */
    public StreamWriter(Transport transport, StreamReaderProtocol protocol, StreamReader reader, EventLoop loop) {
        this.transport = transport;
        this.protocol = protocol;
        this.reader = reader;
        this.loop = loop;
    }

    /** The underlying transport. Mirrors {@code transport}. */
    public Transport transport() {
        return transport;
    }

    /** Sends {@code data} without waiting; pair with {@link #drain()}. Mirrors {@code write()}. */
    public void write(byte[] data) {
        transport.write(ByteBuffer.wrap(data));
    }

    /** Sends the remaining bytes of {@code data} (consumed). */
    public void write(ByteBuffer data) {
        transport.write(data);
    }

    /** Sends {@code text} as UTF-8. */
    public void write(String text) {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends several buffers at once. Mirrors {@code writelines()}. */
    public void writelines(List<ByteBuffer> data) {
        transport.writelines(data);
    }

    /** Closes the write side after buffered data. Mirrors {@code write_eof()}. */
    public void writeEof() {
        transport.writeEof();
    }

    /** Whether half-close is supported. Mirrors {@code can_write_eof()}. */
    public boolean canWriteEof() {
        return transport.canWriteEof();
    }

    /** Closes the stream. Mirrors {@code close()}. */
    public void close() {
        transport.close();
    }

    /** Whether the stream is closing or closed. Mirrors {@code is_closing()}. */
    public boolean isClosing() {
        return transport.isClosing();
    }

    /** Transport information ({@code peername}, {@code sockname}, ...). Mirrors {@code get_extra_info()}. */
    public Object getExtraInfo(String name) {
        return transport.getExtraInfo(name, null);
    }

    /** Transport information with a default. */
    public Object getExtraInfo(String name, Object defaultValue) {
        return transport.getExtraInfo(name, defaultValue);
    }

    /**
     * Suspends while the transport's write buffer is over its high mark; raises the connection's
     * error if it was lost. Mirrors {@code drain()}.
     */
    public void drain() {
        if (reader != null && reader.exception() != null) {
            throw Throwables.sneaky(reader.exception());
        }
        if (transport.isClosing()) {
            // Let connectionLost run first, so a writer that keeps writing sees the error.
            Asyncio.sleep(0);
        }
        try {
            protocol.drainHelper();
        } catch (IOException lost) {
            throw Throwables.sneaky(lost);
        }
    }

    /**
     * Upgrades the connection to TLS with asyncio's default timeouts: a client with
     * {@code serverHostname} checked against the certificate (null: no check), a stream server's
     * writer as the server side. Mirrors {@code start_tls()}.
     */
    public void startTls(SSLContext context, String serverHostname) {
        startTls(context, serverHostname, 60.0, 30.0);
    }

    /**
     * Flushes what was written, then upgrades the connection to TLS: reads and writes go through
     * TLS once this returns. Mirrors {@code start_tls()} with its timeouts in seconds.
     */
    public void startTls(SSLContext context, String serverHostname, double handshakeTimeout, double shutdownTimeout) {
        drain();
        Transport upgraded = loop.startTls(transport, protocol, context, protocol.isServerSide(), serverHostname,
                handshakeTimeout, shutdownTimeout).await();
        transport = upgraded;
        protocol.replaceWriter(this);
    }

    /**
     * {@link #startTls(SSLContext, String, double, double)} with its timeouts as {@link java.time.Duration}s.
     * Mirrors {@code start_tls(sslcontext, server_hostname=..., ssl_handshake_timeout=..., ssl_shutdown_timeout=...)}.
     */
    public void startTls(SSLContext context, String serverHostname, java.time.Duration handshakeTimeout,
                         java.time.Duration shutdownTimeout) {
        startTls(context, serverHostname, seconds(handshakeTimeout), seconds(shutdownTimeout));
    }

    private static double seconds(java.time.Duration duration) {
        return duration.getSeconds() + duration.getNano() / 1e9;
    }

    /** Upgrades to TLS with asyncio's defaults and no server hostname. Mirrors {@code start_tls(sslcontext)}. */
    public void startTls(SSLContext context) {
        startTls(context, null);
    }

    /**
     * A future that completes when the connection is closed, failing with its error if any: await
     * it, as {@code await writer.wait_closed()}. Of the same shape as {@link
     * asyncio.api.transports.Server#waitClosed()}, so either can go to {@code waitFor} or {@code gather}.
     * Each call returns a new future: cancelling one leaves the connection and other waiters alone.
     * Mirrors {@code StreamWriter.wait_closed()}.
     */
    public Future<Void> waitClosed() {
        Future<Void> waiter = loop.createFuture();
        protocol.closeWaiter().addDoneCallback(closed -> {
            if (waiter.done()) {
                return;
            }
            if (closed.cancelled()) {
                waiter.cancel();
            } else if (closed.exception() != null) {
                waiter.setException(closed.exception());
            } else {
                waiter.setResult(null);
            }
        });
        return waiter;
    }

    /** The loop this writer runs on. Mirrors the writer's {@code _loop}. */
    public EventLoop getLoop() {
        return loop;
    }

    @Override
    public String toString() {
        return "<StreamWriter transport=" + transport + (reader != null ? " reader=" + reader : "") + ">";
    }
}
