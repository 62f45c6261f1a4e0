package asyncio.api.streams;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.Task;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.Protocol;
import asyncio.api.transports.ReadTransport;
import asyncio.api.transports.Transport;
import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The protocol between a transport and a {@link StreamReader}/{@link StreamWriter} pair: feeds
 * the reader, tracks write-side flow control for {@code drain()}, and, on a server, starts the
 * connection handler as its own task. Mirrors {@code asyncio.StreamReaderProtocol}.
 */
public class StreamReaderProtocol implements Protocol {
    private final EventLoop loop;
    private final StreamReader reader;
    private final StreamHandler handler;
    private final Future<Void> closed;
    private final List<Future<Void>> drainWaiters = new ArrayList<>(1);
    private StreamWriter writer;
    private BaseTransport transport;
    private boolean paused;
    private boolean connectionLost;
    private boolean overSsl;

    /**
     * A client-side protocol feeding {@code reader}, on the running loop (else the current one).
     * Mirrors {@code StreamReaderProtocol(stream_reader)}.
     */
    public StreamReaderProtocol(StreamReader reader) {
        this(reader, null, Asyncio.getEventLoop());
    }

    /**
     * A server-side protocol on the running loop (else the current one): {@code handler} runs as a
     * task once the connection is made. Mirrors {@code StreamReaderProtocol(stream_reader, client_connected_cb)}.
     */
    public StreamReaderProtocol(StreamReader reader, StreamHandler handler) {
        this(reader, handler, Asyncio.getEventLoop());
    }

    /** A client-side protocol feeding {@code reader}. Mirrors {@code StreamReaderProtocol(stream_reader, loop=loop)}. */
    public StreamReaderProtocol(StreamReader reader, EventLoop loop) {
        this(reader, null, loop);
    }

    /** A server-side protocol: {@code handler} runs as a task once the connection is made. */
    public StreamReaderProtocol(StreamReader reader, StreamHandler handler, EventLoop loop) {
        this.reader = reader;
        this.handler = handler;
        this.loop = loop;
        this.closed = loop.createFuture();
    }

    @Override
    public void connectionMade(BaseTransport made) {
        transport = made;
        // Any transport that reads (a socket, a read pipe) lets the reader pause and resume it.
        if (made instanceof ReadTransport reading) {
            reader.setTransport(reading);
        }
        overSsl = made.getExtraInfo("sslcontext") != null;
        if (handler == null) {
            return;
        }
        writer = new StreamWriter((Transport) made, this, reader, loop);
        StreamWriter handlerWriter = writer;
        Task<Void> task = loop.createTask(() -> {
            handler.handle(reader, handlerWriter);
            return null;
        });
        task.addDoneCallback(done -> {
            if (done.cancelled()) {
                made.close();
                return;
            }
            Throwable error = done.exception();
            if (error != null) {
                Map<String, Object> context = new LinkedHashMap<>();
                context.put("message", "Unhandled exception in client_connected_cb");
                context.put("exception", error);
                context.put("transport", made);
                loop.callExceptionHandler(context);
                made.close();
            }
        });
    }

    @Override
    public void connectionLost(Throwable error) {
        if (error == null) {
            reader.feedEof();
        } else {
            reader.setException(error);
        }
        if (!closed.done()) {
            if (error == null) {
                closed.setResult(null);
            } else {
                closed.setException(error);
                // Retrieved here so nobody is told it was never retrieved: waitClosed() may never be called.
                closed.exception();
            }
        }
        connectionLost = true;
        if (paused) {
            for (Future<Void> waiter : drainWaiters) {
                if (!waiter.done()) {
                    if (error == null) {
                        waiter.setResult(null);
                    } else {
                        waiter.setException(error);
                    }
                }
            }
        }
        writer = null;
        transport = null;
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        reader.feedData(data);
    }

    @Override
    public boolean eofReceived() {
        reader.feedEof();
        // Keep the transport open: the writer may still have something to say. TLS has no
        // half-close, so over TLS the answer is no, as in asyncio.
        return !overSsl;
    }

    @Override
    public void pauseWriting() {
        paused = true;
    }

    @Override
    public void resumeWriting() {
        paused = false;
        for (Future<Void> waiter : drainWaiters) {
            if (!waiter.done()) {
                waiter.setResult(null);
            }
        }
    }

    /** Whether this protocol serves a stream server's connection (a handler was given). */
    boolean isServerSide() {
        return handler != null;
    }

    /** Points the protocol at {@code upgraded}'s new (TLS) transport. Mirrors {@code _replace_writer()}. */
    void replaceWriter(StreamWriter upgraded) {
        writer = upgraded;
        transport = upgraded.transport();
        overSsl = transport.getExtraInfo("sslcontext") != null;
    }

    /** Suspends while the transport is paused; raises if the connection was lost. Mirrors {@code _drain_helper()}. */
    void drainHelper() throws IOException {
        if (connectionLost) {
            throw new SocketException("Connection lost");
        }
        if (!paused) {
            return;
        }
        Future<Void> waiter = loop.createFuture();
        drainWaiters.add(waiter);
        try {
            waiter.await();
        } finally {
            drainWaiters.remove(waiter);
        }
    }

    /** Completes when the connection is lost. */
    Future<Void> closeWaiter() {
        return closed;
    }
}
