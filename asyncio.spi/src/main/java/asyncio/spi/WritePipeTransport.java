package asyncio.spi;

import asyncio.api.Future;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.WriteBufferLimits;
import asyncio.api.transports.WriteTransport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write end of a pipe (or any writable selectable channel) as a transport: writes try the
 * kernel at once and buffer the rest with flow control; {@code writeEof} (and {@code close})
 * closes the pipe once the buffer drained. Where the channel can be watched for reading, that
 * readiness means the reader went away: with data still buffered the protocol loses the
 * connection with a "Broken pipe" error. Mirrors {@code _UnixWritePipeTransport}.
 */
final class WritePipeTransport implements WriteTransport, ReadyListener {
    private static final Logger LOG = LoggerFactory.getLogger("asyncio");
    private static final int LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;

    private final ReadinessEventLoop loop;
    private final ChannelSocket pipe;
    private final WritableByteChannel channel;
    private final boolean watchesPeer;
    private final Readiness readiness;
    private final WriteFlowControl flow;
    private final ArrayDeque<ByteBuffer> buffer = new ArrayDeque<>();
    private BaseProtocol protocol;
    private long bufferSize;
    private int connLost;
    private boolean closing;
    private boolean lost;

    <C extends SelectableChannel & WritableByteChannel> WritePipeTransport(ReadinessEventLoop loop, C channel,
                                                                          BaseProtocol protocol, Future<Void> waiter)
            throws IOException {
        this.loop = loop;
        this.channel = channel;
        this.pipe = new ChannelSocket(channel, true);
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.flow = new WriteFlowControl(loop, this);
        // A pipe's write end cannot be watched for reading in NIO; a socket's can (asyncio's reader trick).
        this.watchesPeer = (channel.validOps() & SelectionKey.OP_READ) != 0;
        channel.configureBlocking(false);
        this.readiness = loop.register(pipe, this);
        loop.callSoon(() -> start(waiter));
    }

    private void start(Future<Void> waiter) {
        try {
            protocol.connectionMade(this);
        } finally {
            if (watchesPeer && !lost) {
                readiness.watchRead(true);
            }
            if (waiter != null && !waiter.done()) {
                waiter.setResult(null);
            }
        }
    }

    /** The reader closed its end (or sent something, which a pipe's reader never does). */
    @Override
    public void readable() {
        if (loop.getDebug()) {
            LOG.info("{} was closed by peer", this);
        }
        close(buffer.isEmpty() ? null : new IOException("Broken pipe"));
    }

    // --- writing ---

    @Override
    public void write(ByteBuffer data) {
        if (!data.hasRemaining()) {
            return;
        }
        if (connLost > 0 || closing) {
            if (connLost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) {
                LOG.warn("pipe closed by peer or os.write(pipe, data) raised exception.");
            }
            connLost++;
            data.position(data.limit());
            return;
        }
        if (buffer.isEmpty()) {
            try {
                channel.write(data);
            } catch (IOException | RuntimeException error) {
                data.position(data.limit());
                connLost++;
                fatalError(error, "Fatal write error on pipe transport");
                return;
            }
            if (!data.hasRemaining()) {
                return;
            }
            readiness.watchWrite(true);
        }
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data).flip();
        buffer.add(copy);
        bufferSize += copy.remaining();
        flow.maybePause(bufferSize, protocol);
    }

    @Override
    public void writelines(List<ByteBuffer> data) {
        // asyncio joins the pieces and writes once.
        int size = 0;
        for (ByteBuffer piece : data) {
            size += piece.remaining();
        }
        ByteBuffer joined = ByteBuffer.allocate(size);
        data.forEach(joined::put);
        write(joined.flip());
    }

    @Override
    public void writable() {
        try {
            flush();
        } catch (IOException | RuntimeException error) {
            buffer.clear();
            bufferSize = 0;
            connLost++;
            readiness.watchWrite(false);
            fatalError(error, "Fatal write error on pipe transport");
            return;
        }
        if (!buffer.isEmpty()) {
            return;
        }
        readiness.watchWrite(false);
        flow.maybeResume(bufferSize, protocol);
        if (closing) {
            readiness.watchRead(false);
            callConnectionLost(null);
        }
    }

    private void flush() throws IOException {
        while (!buffer.isEmpty()) {
            ByteBuffer head = buffer.peek();
            bufferSize -= channel.write(head);
            if (head.hasRemaining()) {
                return;
            }
            buffer.poll();
        }
    }

    @Override
    public void writeEof() {
        if (closing) {
            return;
        }
        closing = true;
        if (buffer.isEmpty()) {
            readiness.watchRead(false);
            loop.callSoon(() -> callConnectionLost(null));
        }
    }

    @Override
    public boolean canWriteEof() {
        return true;
    }

    @Override
    public void abort() {
        close(null);
    }

    // --- flow control ---

    @Override
    public int getWriteBufferSize() {
        return (int) Math.min(Integer.MAX_VALUE, bufferSize);
    }

    @Override
    public WriteBufferLimits getWriteBufferLimits() {
        return flow.limits();
    }

    @Override
    public void setWriteBufferLimits(Integer high, Integer low) {
        flow.setLimits(high, low);
        flow.maybePause(bufferSize, protocol);
    }

    // --- BaseTransport ---

    @Override
    public Object getExtraInfo(String name, Object defaultValue) {
        return "pipe".equals(name) ? pipe.channel() : defaultValue;
    }

    @Override
    public void setProtocol(BaseProtocol newProtocol) {
        protocol = Objects.requireNonNull(newProtocol, "protocol");
    }

    @Override
    public BaseProtocol getProtocol() {
        return protocol;
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    @Override
    public void close() {
        if (!lost && !closing) {
            // write_eof is all a pipe needs to close.
            writeEof();
        }
    }

    // --- closing: one place closes, one place reports ---

    private void fatalError(Throwable error, String message) {
        if (error instanceof IOException) {
            // A reader that went away (EPIPE) is the peer's doing: asyncio logs it only in debug mode.
            if (loop.getDebug()) {
                LOG.debug("{}: {}", this, message, error);
            }
        } else {
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("message", message);
            context.put("exception", error);
            context.put("transport", this);
            context.put("protocol", protocol);
            loop.callExceptionHandler(context);
        }
        close(error);
    }

    private void close(Throwable error) {
        closing = true;
        if (!buffer.isEmpty()) {
            readiness.watchWrite(false);
        }
        buffer.clear();
        bufferSize = 0;
        readiness.watchRead(false);
        loop.callSoon(() -> callConnectionLost(error));
    }

    private void callConnectionLost(Throwable error) {
        if (lost) {
            return;
        }
        lost = true;
        try {
            protocol.connectionLost(error);
        } finally {
            readiness.cancel();
            ReadinessEventLoop.closeQuietly(pipe);
        }
    }

    @Override
    public String toString() {
        return "<WritePipeTransport " + (lost ? "closed" : closing ? "closing" : "open") + " " + pipe.channel()
                + " bufsize=" + bufferSize + ">";
    }
}
