package asyncio.spi.readiness;

import asyncio.api.Future;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.Transport;
import asyncio.api.transports.WriteBufferLimits;
import asyncio.spi.LoopSocket;
import asyncio.spi.process.PipeEnd;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The write end of a pipe (or any writable selectable channel) as a transport: writes try the
 * kernel at once and buffer the rest with flow control; {@code writeEof} (and {@code close})
 * closes the pipe once the buffer drained. Where the channel can be watched for reading, that
 * readiness means the reader went away: with data still buffered the protocol loses the
 * connection with a "Broken pipe" error. Mirrors {@code _UnixWritePipeTransport}. Its read side is
 * inert (a pipe's write end never reads), and it is a {@link Transport} only so that a
 * {@code StreamWriter}, which takes one, can write to a child's stdin, as in asyncio.
 */
final class WritePipeTransport extends ReadinessTransport implements Transport {
    private final WritableByteChannel channel;
    private final boolean watchesPeer;
    private final WriteFlowControl flow;
    private final Consumer<Throwable> lossListener;
    private final ArrayDeque<ByteBuffer> buffer = new ArrayDeque<>();
    private BaseProtocol protocol;
    private long bufferSize;

    <C extends SelectableChannel & WritableByteChannel> WritePipeTransport(ReadinessEventLoop loop, C channel,
                                                                          BaseProtocol protocol, Future<Void> waiter)
            throws IOException {
        // asyncio's reader trick: a write end watched for reading wakes when its reader goes away.
        // A socket's can always be watched so; a pipe's only by a poller of raw descriptors (NIO
        // refuses OP_READ on a Pipe.SinkChannel).
        this(loop, new ChannelSocket(channel, true), nonBlocking(channel),
                (channel.validOps() & SelectionKey.OP_READ) != 0 || loop.watchesPipeWriteEnds(), protocol, waiter,
                null);
    }

    /**
     * A pipe end the poller watches as {@code socket} and the transport writes as {@code channel}
     * (one object for a loop's own pipe ends, see {@link PipeEnd}); it must not block.
     * {@code watchesPeer}: watching it for reading reports the reader's going away.
     * {@code lossListener} hears the loss right after the protocol, whatever protocol is set by
     * then: a child's stdin reports to its process transport this way.
     */
    WritePipeTransport(ReadinessEventLoop loop, LoopSocket socket, WritableByteChannel channel, boolean watchesPeer,
                       BaseProtocol protocol, Future<Void> waiter, Consumer<Throwable> lossListener)
            throws IOException {
        super(loop, socket);
        this.channel = channel;
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.flow = new WriteFlowControl(loop, this);
        this.watchesPeer = watchesPeer;
        this.lossListener = lossListener;
        register();
        loop.callSoon(() -> start(waiter));
    }

    private static <C extends SelectableChannel & WritableByteChannel> C nonBlocking(C channel) throws IOException {
        channel.configureBlocking(false);
        return channel;
    }

    @Override
    void callConnectionLost(Throwable error) {
        if (lost) {
            return;
        }
        try {
            super.callConnectionLost(error);
        } finally {
            if (lossListener != null) {
                lossListener.accept(error);
            }
        }
    }

    @Override
    String kind() {
        return "write pipe";
    }

    @Override
    boolean readsOnceMade() {
        return watchesPeer && !lost;
    }

    /** The reader closed its end (or sent something, which a pipe's reader never does). */
    @Override
    public void readable() {
        if (loop.getDebug()) {
            LOG.info("{} was closed by peer", this);
        }
        forceClose(buffer.isEmpty() ? null : new IOException("Broken pipe"));
    }

    // --- writing ---

    @Override
    public void write(ByteBuffer data) {
        if (!data.hasRemaining()) {
            return;
        }
        if (connLost > 0 || closing) {
            noteWriteAfterLoss("pipe closed by peer or os.write(pipe, data) raised exception.");
            data.position(data.limit());
            return;
        }
        if (buffer.isEmpty()) {
            try {
                bytesSent += channel.write(data);
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
            int written = channel.write(head);
            bufferSize -= written;
            bytesSent += written;
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

    /** A write-only pipe never reads. */
    @Override
    public boolean isReading() {
        return false;
    }

    @Override
    public void pauseReading() {
    }

    @Override
    public void resumeReading() {
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
        return "pipe".equals(name) ? channel : defaultValue;
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
    public void close() {
        if (!lost && !closing) {
            // write_eof is all a pipe needs to close.
            writeEof();
        }
    }

    // --- closing: the shared logic calls these ---

    @Override
    boolean hasBuffered() {
        return !buffer.isEmpty();
    }

    @Override
    void discardBuffered() {
        readiness.watchWrite(false);
        buffer.clear();
        bufferSize = 0;
    }

    /**
     * Unlike a socket's, closes even once writes were counted as lost: a failed write counts
     * itself before it asks for the close, and writes after {@code writeEof} are counted while
     * the buffer drains. The report still happens once.
     */
    @Override
    void forceClose(Throwable error) {
        closing = true;
        if (hasBuffered()) {
            discardBuffered();
        }
        readiness.watchRead(false);
        loop.callSoon(() -> callConnectionLost(error));
    }

    @Override
    public String toString() {
        return "<WritePipeTransport " + (lost ? "closed" : closing ? "closing" : "open") + " " + channel
                + " bufsize=" + bufferSize + ">";
    }
}
