package asyncio.spi.proactor;

import asyncio.api.Future;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.BufferedProtocol;
import asyncio.api.transports.Protocol;
import asyncio.api.transports.Transport;
import asyncio.api.transports.WriteBufferLimits;
import asyncio.spi.LoopTransportSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;

/**
 * A stream transport driven by completions: one receive is always pending into the transport's
 * own buffer while reading, and one send is in flight while anything is queued; a partial send
 * resubmits its rest. Flow control counts the bytes in flight as well as the queued ones, as
 * asyncio's proactor does. Mirrors {@code _ProactorSocketTransport} (its read and write pipe
 * halves).
 */
final class ProactorSocketTransport extends ProactorTransport implements Transport {
    /**
     * The buffer lent to each receive. It is the transport's own, not the loop's, since every
     * transport has a receive pending at once; 64 KiB keeps 10,000 idle connections at 640 MiB of
     * direct memory at most, and is made only when the first receive is submitted.
     */
    static final int READ_BUFFER_SIZE = 64 * 1024;
    /**
     * What the receive buffer grows to once a receive filled it: a bulk sender then takes a
     * quarter of the completions (100 KiB echoes went from two or three receives to one).
     */
    static final int MAX_READ_BUFFER_SIZE = 256 * 1024;

    private final LoopTransportSocket socketView;
    private final SocketAddress sockname;
    private final SocketAddress peername;
    private final Reader reader = new Reader();
    private final Writer writer = new Writer();
    private final ArrayDeque<ByteBuffer> queued = new ArrayDeque<>();
    private BaseProtocol protocol;
    private BufferedProtocol bufferedProtocol;
    private ProactorServer server;
    /** named pipes: the pipe's name when this is a duplex named pipe (ReadFile/WriteFile, no write_eof), else null. */
    private final String pipeAddress;

    private ByteBuffer readBuffer;
    /** The size of the next receive buffer made: {@link #READ_BUFFER_SIZE}, then the maximum once one filled. */
    private int readBufferSize = READ_BUFFER_SIZE;
    private Operation readOp;
    private boolean paused;
    /** The peer sent EOF: no further receive is submitted. */
    private boolean readEnded;
    /** A receive completed while reading was paused: its bytes (none: EOF) are in the buffer until resume. */
    private boolean holding;

    private Operation writeOp;
    /** The buffer the send in flight was lent; kept until its completion, even after a cancel. */
    private ByteBuffer inFlight;
    private long pendingBytes;
    private boolean eof;
    private int highWater;
    private int lowWater;
    private boolean protocolPaused;
    /** Set while a sendfile owns the socket: writes are refused, as asyncio's empty waiter makes them. */
    private boolean sendfileInProgress;
    /** Completed once nothing is queued or in flight; see {@link #whenFlushed()}. */
    private Future<Void> flushed;

    ProactorSocketTransport(ProactorEventLoop loop, ProactorSocket socket, BaseProtocol protocol, Future<Void> waiter,
                            ProactorServer server) throws IOException {
        this(loop, socket, protocol, waiter, server, null);
    }

    /**
     * named pipes: with {@code pipeAddress}, {@code _ProactorDuplexPipeTransport}: the same
     * transport over a connected named pipe, read and written with the port's read/write
     * (ReadFile/WriteFile), its extra info "pipe" and "addr", and no write_eof.
     */
    ProactorSocketTransport(ProactorEventLoop loop, ProactorSocket socket, BaseProtocol protocol, Future<Void> waiter,
                            ProactorServer server, String pipeAddress) throws IOException {
        super(loop, socket);
        this.pipeAddress = pipeAddress;
        this.socketView = new LoopTransportSocket(socket);
        this.sockname = socket.localAddress();
        this.peername = socket.remoteAddress();
        this.server = server;
        setWriteBufferLimits(null, null);
        setProtocol(protocol);
        if (server != null) {
            server.attach(this);
        }
        start(waiter);
    }

    // --- BaseTransport ---

    @Override
    public Object getExtraInfo(String name, Object defaultValue) {
        if (name == null) {
            return defaultValue;
        }
        return switch (name) {
            case "socket" -> pipeAddress == null ? socketView : defaultValue;
            case "pipe" -> pipeAddress == null ? defaultValue : socket.channel();
            case "addr" -> pipeAddress == null ? defaultValue : pipeAddress;
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
        // The receive stays pending: what it brings is held until resumeReading(), as asyncio does.
        paused = true;
    }

    @Override
    public void resumeReading() {
        if (closing || !paused) {
            return;
        }
        paused = false;
        if (holding) {
            loop.callSoon(this::deliverHeld);
        } else {
            startReading();
        }
    }

    @Override
    String kind() {
        return pipeAddress == null ? "stream" : "pipe";
    }

    @Override
    void startReading() {
        if (readOp != null || readEnded || paused || closing || holding) {
            return;
        }
        if (readBuffer == null) {
            readBuffer = ByteBuffer.allocateDirect(readBufferSize);
        }
        readBuffer.clear();
        try {
            readOp = pipeAddress == null ? loop.port().recv(socket, readBuffer, reader)
                    : loop.port().read(socket, readBuffer, reader);
        } catch (RuntimeException error) {
            fatalError(error, "Fatal read error on pipe transport");
        }
    }

    @Override
    void stopReading() {
        Operation pending = readOp;
        if (pending != null) {
            pending.cancel();
        }
    }

    private void deliverHeld() {
        if (!holding || closing || paused) {
            return;
        }
        holding = false;
        onReceived(readBuffer.position());
    }

    private void onReceived(int count) {
        if (closing) {
            // Closed while the receive was pending: asyncio drops what it brings.
            return;
        }
        if (paused) {
            // Data and EOF alike wait for resumeReading(): no protocol call while paused.
            holding = true;
            return;
        }
        if (count == 0) {
            readEnded = true;
            onEof();
            return;
        }
        boolean filled = count == readBuffer.capacity() && readBufferSize < MAX_READ_BUFFER_SIZE;
        deliver();
        if (filled) {
            // The peer sends faster than one buffer takes: the next receive gets a larger one.
            readBufferSize = MAX_READ_BUFFER_SIZE;
            readBuffer = null;
        }
        startReading();
    }

    private void deliver() {
        ByteBuffer data = readBuffer.flip();
        if (bufferedProtocol != null) {
            feedBufferedProtocol(data);
            return;
        }
        try {
            ((Protocol) protocol).dataReceived(data);
        } catch (RuntimeException | Error error) {
            rethrowIfFatal(error);
            fatalError(error, "Fatal error: protocol.dataReceived() call failed.");
        }
    }

    /**
     * Copies what was received into the protocol's buffers, since the buffer lent to the kernel
     * must stay the transport's. No size hint, as on the readiness loops (asyncio's selector
     * transport passes -1; its proactor passes the byte count).
     */
    private void feedBufferedProtocol(ByteBuffer data) {
        while (data.hasRemaining() && !lossScheduled) {
            ByteBuffer target;
            try {
                target = bufferedProtocol.getBuffer(-1);
                if (target == null || !target.hasRemaining()) {
                    throw new IllegalStateException("getBuffer() returned an empty buffer");
                }
            } catch (RuntimeException | Error error) {
                rethrowIfFatal(error);
                fatalError(error, "Fatal error: protocol.getBuffer() call failed.");
                return;
            }
            int count = Math.min(target.remaining(), data.remaining());
            target.put(data.slice(data.position(), count));
            data.position(data.position() + count);
            try {
                bufferedProtocol.bufferUpdated(count);
            } catch (RuntimeException | Error error) {
                rethrowIfFatal(error);
                fatalError(error, "Fatal error: protocol.bufferUpdated() call failed.");
                return;
            }
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
        if (!keepOpen) {
            close();
        }
    }

    /** The one receive completion of this transport, reused for every receive. */
    private final class Reader implements Completion<Integer> {
        @Override
        public void completed(Integer count) {
            readOp = null;
            if (lossScheduled) {
                return;
            }
            if (count > 0) {
                bytesReceived += count;
            }
            onReceived(count);
        }

        @Override
        public void failed(IOException error) {
            readOp = null;
            if (closing) {
                return;
            }
            fatalError(error, "Fatal read error on pipe transport");
        }

        @Override
        public void cancelled() {
            readOp = null;
        }

        @Override
        public String toString() {
            return ProactorSocketTransport.this + ".recv";
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
        enqueue(data);
        if (writeOp == null) {
            submitQueued();
        }
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
        for (ByteBuffer buffer : data) {
            if (buffer.hasRemaining()) {
                enqueue(buffer);
            }
        }
        if (writeOp == null && !queued.isEmpty()) {
            submitQueued();
        }
        maybePauseProtocol();
    }

    /**
     * Copies {@code data} behind what is queued. The caller may reuse its buffer once write()
     * returns, and a send's buffer is the kernel's until it completes: the transport keeps its own
     * copy, in the loop's pooled direct buffers, which the port lends the kernel as they are. Small
     * writes share the last queued buffer while it has room, so they still go out as one send, as
     * asyncio joins its buffer.
     */
    private void enqueue(ByteBuffer data) {
        pendingBytes += data.remaining();
        ByteBuffer tail = queued.peekLast();
        while (data.hasRemaining()) {
            if (tail == null || !tail.hasRemaining()) {
                tail = loop.sendBuffers().acquire(data.remaining());
                queued.addLast(tail);
            }
            int count = Math.min(tail.remaining(), data.remaining());
            tail.put(tail.position(), data, data.position(), count);
            tail.position(tail.position() + count);
            data.position(data.position() + count);
        }
    }

    /** Sends the oldest queued buffer (filled up to its position). */
    private void submitQueued() {
        submit(queued.poll().flip());
    }

    /** The send in flight ended and the port let go of its buffer: back to the pool. */
    private void releaseInFlight() {
        ByteBuffer done = inFlight;
        inFlight = null;
        if (done != null) {
            loop.sendBuffers().release(done);
        }
    }

    private void releaseQueued() {
        ByteBuffer buffer;
        while ((buffer = queued.poll()) != null) {
            loop.sendBuffers().release(buffer);
        }
        pendingBytes = 0;
    }

    private void submit(ByteBuffer buffer) {
        inFlight = buffer;
        try {
            writeOp = pipeAddress == null ? loop.port().send(socket, buffer, writer)
                    : loop.port().write(socket, buffer, writer);
        } catch (RuntimeException error) {
            // Not accepted by the port: the buffer is still ours.
            releaseInFlight();
            fatalError(error, "Fatal write error on pipe transport");
        }
    }

    private void onSent(int count) {
        pendingBytes -= count;
        if (inFlight.hasRemaining()) {
            // A partial send: the rest goes next, before anything queued after it.
            submit(inFlight);
            return;
        }
        releaseInFlight();
        if (!queued.isEmpty()) {
            submitQueued();
        }
        maybeResumeProtocol();
        if (writeOp != null) {
            return;
        }
        settleFlushed(null);
        if (closing) {
            scheduleLoss(null);
        } else if (eof) {
            shutdownOutput();
        }
    }

    /** The one send completion of this transport, reused for every send. */
    private final class Writer implements Completion<Integer> {
        @Override
        public void completed(Integer count) {
            writeOp = null;
            if (lossScheduled) {
                releaseInFlight();
                return;
            }
            bytesSent += count;
            onSent(count);
        }

        @Override
        public void failed(IOException error) {
            writeOp = null;
            releaseInFlight();
            if (lossScheduled) {
                return;
            }
            releaseQueued();
            fatalError(error, "Fatal write error on pipe transport");
            settleFlushed(error);
        }

        @Override
        public void cancelled() {
            writeOp = null;
            releaseInFlight();
        }

        @Override
        public String toString() {
            return ProactorSocketTransport.this + ".send";
        }
    }

    @Override
    public void writeEof() {
        if (pipeAddress != null) {
            // As _ProactorDuplexPipeTransport: a named pipe has no half-close.
            throw new UnsupportedOperationException("write_eof() is not supported on a named pipe transport");
        }
        if (closing || eof) {
            return;
        }
        eof = true;
        if (writeOp == null) {
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

    /** named pipes: whether this is a duplex named pipe's transport. */
    boolean isNamedPipe() {
        return pipeAddress != null;
    }

    @Override
    public boolean canWriteEof() {
        return pipeAddress == null;
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

    // --- closing ---

    @Override
    boolean hasBuffered() {
        return writeOp != null || !queued.isEmpty();
    }

    @Override
    void discardBuffered() {
        releaseQueued();
        if (writeOp != null) {
            writeOp.cancel();
        }
    }

    @Override
    void released() {
        ProactorServer owner = server;
        server = null;
        if (owner != null) {
            owner.detach(this);
        }
        settleFlushed(new IOException("Connection is closed by peer"));
    }

    // --- for the loop's sendfile (ProactorSendfile), as asyncio's _make_empty_waiter ---

    ProactorSocket socket() {
        return socket;
    }

    /** A future done once nothing is queued or in flight, or failed once the connection is lost. */
    Future<Void> whenFlushed() {
        Future<Void> waiter = flushed;
        if (waiter == null || waiter.done()) {
            waiter = loop.createFuture();
            flushed = waiter;
        }
        if (lost) {
            waiter.setException(new IOException("Connection is closed by peer"));
        } else if (!hasBuffered()) {
            waiter.setResult(null);
        }
        return waiter;
    }

    /** While on, writes are refused: the socket sends a file. */
    void sendfileInProgress(boolean on) {
        sendfileInProgress = on;
    }

    private void refuseDuringSendfile(String operation) {
        if (sendfileInProgress) {
            throw new IllegalStateException("unable to " + operation + "; sendfile is in progress");
        }
    }

    private void settleFlushed(Throwable error) {
        Future<Void> waiter = flushed;
        if (waiter == null || waiter.done()) {
            return;
        }
        flushed = null;
        if (error == null) {
            waiter.setResult(null);
        } else {
            waiter.setException(error);
        }
    }

    @Override
    public String toString() {
        return "<ProactorSocketTransport " + (lossScheduled ? "closed" : closing ? "closing" : "open")
                + " peer=" + peername + " buffered=" + pendingBytes + ">";
    }
}
