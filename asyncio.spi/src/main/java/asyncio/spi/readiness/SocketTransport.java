package asyncio.spi.readiness;

import asyncio.api.Future;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.BufferedProtocol;
import asyncio.api.transports.Protocol;
import asyncio.api.transports.Transport;
import asyncio.api.transports.WriteBufferLimits;
import asyncio.spi.LoopTransportSocket;
import asyncio.spi.StreamSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;

/**
 * A stream transport over any {@link StreamSocket} on a readiness loop: reads into the loop's
 * shared buffer (or the protocol's own), writes straight to the kernel and buffers only the
 * rest, applies flow control in both directions, and handles EOF, half-close, close and abort.
 * Mirrors {@code _SelectorSocketTransport}; closing and reporting the loss are the shared
 * {@link ReadinessTransport}'s.
 */
public final class SocketTransport extends ReadinessTransport implements Transport {
    private static final int MAX_GATHER = 64;

    private final StreamSocket socket;
    // The extra info is three fields, not a map: a LinkedHashMap of three entries cost about 300 B
    // of the 1.1 KiB an idle connection holds (docs/performance.md, "Scale and memory").
    /** One view per transport, so every getExtraInfo("socket") returns the same object. */
    private final LoopTransportSocket socketView;
    private final SocketAddress sockname;
    private final SocketAddress peername;
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    /** Made when a flush first has two or more buffers to send: most connections never need it (272 B). */
    private ByteBuffer[] gather;
    private BaseProtocol protocol;
    private BufferedProtocol bufferedProtocol;
    private SocketServer server;
    private boolean paused;
    private boolean eof;
    private long pendingBytes;
    private int highWater;
    private int lowWater;
    private boolean protocolPaused;
    private Future<Void> emptyWaiter;
    private Runnable writableHook;

    SocketTransport(ReadinessEventLoop loop, StreamSocket socket, BaseProtocol protocol, Future<Void> waiter,
                    SocketServer server) throws IOException {
        super(loop, socket);
        this.socket = socket;
        this.server = server;
        this.socketView = new LoopTransportSocket(socket);
        this.sockname = socket.localAddress();
        this.peername = socket.remoteAddress();
        setWriteBufferLimits(null, null);
        setProtocol(protocol);
        register();
        if (server != null) {
            server.attach(this);
        }
        loop.callSoon(() -> start(waiter));
    }

    @Override
    String kind() {
        return "stream";
    }

    @Override
    boolean readsOnceMade() {
        return isReading();
    }

    // --- BaseTransport ---

    @Override
    public Object getExtraInfo(String name, Object defaultValue) {
        if (name == null) {
            return defaultValue;
        }
        return switch (name) {
            case "socket" -> socketView;
            case "sockname" -> sockname;
            case "peername" -> peername;
            default -> defaultValue;
        };
    }

    @Override
    public void setProtocol(BaseProtocol newProtocol) {
        Objects.requireNonNull(newProtocol, "protocol");
        if (!(newProtocol instanceof Protocol) && !(newProtocol instanceof BufferedProtocol)) {
            throw new IllegalArgumentException("a stream transport needs a Protocol or a BufferedProtocol, got "
                    + newProtocol.getClass().getName());
        }
        protocol = newProtocol;
        bufferedProtocol = newProtocol instanceof BufferedProtocol buffered ? buffered : null;
    }

    @Override
    public BaseProtocol getProtocol() {
        return protocol;
    }

    // --- reading ---

    @Override
    public boolean isReading() {
        return !paused && !closing;
    }

    @Override
    public void pauseReading() {
        if (!isReading()) {
            return;
        }
        paused = true;
        readiness.watchRead(false);
    }

    @Override
    public void resumeReading() {
        if (closing || !paused) {
            return;
        }
        paused = false;
        readiness.watchRead(true);
    }

    @Override
    public void readable() {
        if (connLost > 0) {
            return;
        }
        if (bufferedProtocol != null) {
            readIntoProtocolBuffer();
        } else {
            readAndDeliver();
        }
    }

    private void readAndDeliver() {
        ByteBuffer buffer = loop.readBuffer();
        buffer.clear();
        int count;
        try {
            count = socket.read(buffer);
        } catch (IOException | RuntimeException error) {
            fatalError(error, "Fatal read error on socket transport");
            return;
        }
        if (count == 0) {
            return;
        }
        if (count < 0) {
            onEof();
            return;
        }
        bytesReceived += count;
        buffer.flip();
        try {
            ((Protocol) protocol).dataReceived(buffer);
        } catch (RuntimeException | Error error) {
            rethrowIfFatal(error);
            fatalError(error, "Fatal error: protocol.dataReceived() call failed.");
        }
    }

    private void readIntoProtocolBuffer() {
        ByteBuffer buffer;
        try {
            buffer = bufferedProtocol.getBuffer(-1);
            if (buffer == null || !buffer.hasRemaining()) {
                throw new IllegalStateException("getBuffer() returned an empty buffer");
            }
        } catch (RuntimeException | Error error) {
            rethrowIfFatal(error);
            fatalError(error, "Fatal error: protocol.getBuffer() call failed.");
            return;
        }
        int count;
        try {
            count = socket.read(buffer);
        } catch (IOException | RuntimeException error) {
            fatalError(error, "Fatal read error on socket transport");
            return;
        }
        if (count == 0) {
            return;
        }
        if (count < 0) {
            onEof();
            return;
        }
        bytesReceived += count;
        try {
            bufferedProtocol.bufferUpdated(count);
        } catch (RuntimeException | Error error) {
            rethrowIfFatal(error);
            fatalError(error, "Fatal error: protocol.bufferUpdated() call failed.");
        }
    }

    private void onEof() {
        boolean keepOpen;
        try {
            keepOpen = bufferedProtocol != null ? bufferedProtocol.eofReceived() : ((Protocol) protocol).eofReceived();
        } catch (RuntimeException | Error error) {
            rethrowIfFatal(error);
            fatalError(error, "Fatal error: protocol.eofReceived() call failed.");
            return;
        }
        if (keepOpen) {
            // Half-open: the peer is done sending, we may still write.
            readiness.watchRead(false);
        } else {
            close();
        }
    }

    // --- writing ---

    @Override
    public void write(ByteBuffer data) {
        if (eof) {
            throw new IllegalStateException("Cannot call write() after write_eof()");
        }
        refuseDuringSendfile("write");
        if (!data.hasRemaining()) {
            return;
        }
        if (connLost > 0) {
            noteWriteAfterLoss("socket.send() raised exception.");
            data.position(data.limit());
            return;
        }
        if (pending.isEmpty()) {
            try {
                bytesSent += socket.write(data);
            } catch (IOException | RuntimeException error) {
                data.position(data.limit());
                fatalError(error, "Fatal write error on socket transport");
                return;
            }
            if (!data.hasRemaining()) {
                return;
            }
            readiness.watchWrite(true);
        }
        buffer(data);
        maybePauseProtocol();
    }

    @Override
    public void writelines(List<ByteBuffer> data) {
        if (eof) {
            throw new IllegalStateException("Cannot call writelines() after write_eof()");
        }
        refuseDuringSendfile("writelines");
        if (connLost > 0) {
            noteWriteAfterLoss("socket.send() raised exception.");
            data.forEach(buffer -> buffer.position(buffer.limit()));
            return;
        }
        if (pending.isEmpty()) {
            ByteBuffer[] sources = data.toArray(ByteBuffer[]::new);
            try {
                bytesSent += socket.write(sources, 0, sources.length);
            } catch (IOException | RuntimeException error) {
                data.forEach(buffer -> buffer.position(buffer.limit()));
                fatalError(error, "Fatal write error on socket transport");
                return;
            }
        }
        boolean wasEmpty = pending.isEmpty();
        for (ByteBuffer buffer : data) {
            if (buffer.hasRemaining()) {
                buffer(buffer);
            }
        }
        if (wasEmpty && !pending.isEmpty()) {
            readiness.watchWrite(true);
        }
        maybePauseProtocol();
    }

    private void buffer(ByteBuffer data) {
        // The caller may reuse its buffer as soon as write() returns: keep a copy of the rest.
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data).flip();
        pending.add(copy);
        pendingBytes += copy.remaining();
    }

    @Override
    public void writable() {
        if (writableHook != null) {
            writableHook.run();
            return;
        }
        if (connLost > 0 || pending.isEmpty()) {
            return;
        }
        long written;
        try {
            written = flushPending();
        } catch (IOException | RuntimeException error) {
            readiness.watchWrite(false);
            pending.clear();
            pendingBytes = 0;
            fatalError(error, "Fatal write error on socket transport");
            settleEmptyWaiter(error);
            return;
        }
        pendingBytes -= written;
        bytesSent += written;
        maybeResumeProtocol();
        if (pending.isEmpty()) {
            readiness.watchWrite(false);
            settleEmptyWaiter(null);
            if (closing) {
                // Counted as lost first, so a write or abort after this cannot report the loss twice.
                connLost++;
                callConnectionLost(null);
            } else if (eof) {
                shutdownOutput();
            }
        }
    }

    private long flushPending() throws IOException {
        if (pending.size() == 1) {
            long written = socket.write(pending.peek());
            if (!pending.peek().hasRemaining()) {
                pending.poll();
            }
            return written;
        }
        if (gather == null) {
            gather = new ByteBuffer[MAX_GATHER];
        }
        int count = 0;
        for (ByteBuffer buffer : pending) {
            gather[count++] = buffer;
            if (count == MAX_GATHER) {
                break;
            }
        }
        long written = count == 1 ? socket.write(gather[0]) : socket.write(gather, 0, count);
        java.util.Arrays.fill(gather, 0, count, null);
        while (!pending.isEmpty() && !pending.peek().hasRemaining()) {
            pending.poll();
        }
        return written;
    }

    @Override
    public void writeEof() {
        if (closing || eof) {
            return;
        }
        eof = true;
        if (pending.isEmpty()) {
            shutdownOutput();
        }
    }

    private void shutdownOutput() {
        try {
            socket.shutdownOutput();
        } catch (IOException error) {
            throw new UncheckedIOException("shutdown of the write side failed", error);
        }
    }

    @Override
    public boolean canWriteEof() {
        return true;
    }

    @Override
    public int getWriteBufferSize() {
        return (int) Math.min(Integer.MAX_VALUE, pendingBytes);
    }

    @Override
    public WriteBufferLimits getWriteBufferLimits() {
        return new WriteBufferLimits(lowWater, highWater);
    }

    @Override
    public void setWriteBufferLimits(Integer high, Integer low) {
        int newHigh = high != null ? high : low == null ? 64 * 1024 : 4 * low;
        int newLow = low != null ? low : newHigh / 4;
        if (!(newHigh >= newLow && newLow >= 0)) {
            throw new IllegalArgumentException("high (" + newHigh + ") must be >= low (" + newLow + ") must be >= 0");
        }
        highWater = newHigh;
        lowWater = newLow;
        if (protocol != null) {
            maybePauseProtocol();
        }
    }

    private void maybePauseProtocol() {
        if (pendingBytes <= highWater || protocolPaused) {
            return;
        }
        protocolPaused = true;
        try {
            protocol.pauseWriting();
        } catch (RuntimeException | Error error) {
            rethrowIfFatal(error);
            reportError("protocol.pauseWriting() failed", error);
        }
    }

    private void maybeResumeProtocol() {
        if (!protocolPaused || pendingBytes > lowWater) {
            return;
        }
        protocolPaused = false;
        try {
            protocol.resumeWriting();
        } catch (RuntimeException | Error error) {
            rethrowIfFatal(error);
            reportError("protocol.resumeWriting() failed", error);
        }
    }

    // --- closing: the shared logic calls these ---

    @Override
    boolean hasBuffered() {
        return !pending.isEmpty();
    }

    @Override
    void discardBuffered() {
        pending.clear();
        pendingBytes = 0;
        readiness.watchWrite(false);
    }

    @Override
    void released() {
        SocketServer owner = server;
        server = null;
        if (owner != null) {
            owner.detach(this);
        }
        settleEmptyWaiter(new IOException("Connection is closed by peer"));
        Runnable hook = writableHook;
        if (hook != null) {
            // A sendfile waiting for writability must hear that it never comes.
            hook.run();
        }
    }

    // --- hooks for the loop's sendfile (TransportSendfile), as asyncio's _make_empty_waiter ---

    StreamSocket socket() {
        return socket;
    }

    boolean isProtocolPaused() {
        return protocolPaused;
    }

    /** A future done once the write buffer is empty; writes are refused until {@link #resetEmptyWaiter()}. */
    Future<Void> makeEmptyWaiter() {
        if (emptyWaiter != null) {
            throw new IllegalStateException("Empty waiter is already set");
        }
        emptyWaiter = loop.createFuture();
        if (pending.isEmpty()) {
            emptyWaiter.setResult(null);
        }
        return emptyWaiter;
    }

    void resetEmptyWaiter() {
        emptyWaiter = null;
    }

    /** While {@code hook} is set, writability goes to it instead of the (empty, idle) write buffer. */
    void lendWritability(Runnable hook) {
        writableHook = hook;
        if (connLost == 0) {
            readiness.watchWrite(hook != null || !pending.isEmpty());
        }
    }

    private void refuseDuringSendfile(String operation) {
        if (emptyWaiter != null) {
            throw new IllegalStateException("unable to " + operation + "; sendfile is in progress");
        }
    }

    private void settleEmptyWaiter(Throwable error) {
        Future<Void> waiter = emptyWaiter;
        if (waiter == null || waiter.done()) {
            return;
        }
        if (error == null) {
            waiter.setResult(null);
        } else {
            waiter.setException(error);
        }
    }

    private static void rethrowIfFatal(Throwable error) {
        if (error instanceof VirtualMachineError fatal) {
            throw fatal;
        }
    }

    @Override
    public String toString() {
        return "<SocketTransport " + (connLost > 0 ? "closed" : closing ? "closing" : "open")
                + " peer=" + peername + " buffered=" + pendingBytes + ">";
    }
}
