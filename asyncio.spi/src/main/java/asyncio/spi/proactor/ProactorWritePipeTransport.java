package asyncio.spi.proactor;

import asyncio.api.Future;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.WriteBufferLimits;
import asyncio.api.transports.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;

/**
 * The write end of a pipe on a completion-based loop: one write in flight while anything is
 * queued (a partial write resubmits its rest), flow control over the bytes in flight and queued,
 * and {@code writeEof} closing the pipe once everything went out. A reader that closed shows as
 * the write's error, or earlier through the port's {@link CompletionPort#watchReaderGone} where it
 * has one. Mirrors {@code _ProactorWritePipeTransport}, whose read on the write end watches for
 * the reader closing (a Linux pipe cannot be read at the write end: io_uring polls it instead).
 */
final class ProactorWritePipeTransport extends ProactorTransport implements Transport {
    private final Object pipe;
    private final ArrayDeque<ByteBuffer> queued = new ArrayDeque<>();
    private final Writer writer = new Writer();
    private BaseProtocol protocol;
    private Operation writeOp;
    private ByteBuffer inFlight;
    private long pendingBytes;
    private int highWater;
    private int lowWater;
    private boolean protocolPaused;

    ProactorWritePipeTransport(ProactorEventLoop loop, ProactorSocket handle, Object pipe, BaseProtocol protocol,
                               Future<Void> waiter) {
        super(loop, handle);
        this.pipe = pipe;
        this.protocol = protocol;
        setWriteBufferLimits(null, null);
        start(waiter);
    }

    @Override
    public Object getExtraInfo(String name, Object defaultValue) {
        return "pipe".equals(name) ? pipe : defaultValue;
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
    String kind() {
        return "write pipe";
    }

    /** Watches for the reader's going away, where the port can (asyncio's read pending on the write end). */
    @Override
    void startReading() {
        ReaderGoneWatch.start(loop.port(), socket, this);
    }

    @Override
    void stopReading() {
    }

    @Override
    public void write(ByteBuffer data) {
        if (!data.hasRemaining()) {
            return;
        }
        if (connLost > 0) {
            noteWriteAfterLoss("pipe closed by peer or os.write(pipe, data) raised exception.");
            data.position(data.limit());
            return;
        }
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data).flip();
        queued.add(copy);
        pendingBytes += copy.remaining();
        if (writeOp == null) {
            submitQueued();
        }
        maybePauseProtocol();
    }

    @Override
    public void writelines(List<ByteBuffer> data) {
        for (ByteBuffer buffer : data) {
            write(buffer);
        }
    }

    private void submitQueued() {
        ByteBuffer next;
        if (queued.size() == 1) {
            next = queued.poll();
        } else {
            int size = 0;
            for (ByteBuffer buffer : queued) {
                size += buffer.remaining();
            }
            next = ByteBuffer.allocate(size);
            ByteBuffer buffer;
            while ((buffer = queued.poll()) != null) {
                next.put(buffer);
            }
            next.flip();
        }
        submit(next);
    }

    private void submit(ByteBuffer buffer) {
        inFlight = buffer;
        try {
            writeOp = loop.port().write(socket, buffer, writer);
        } catch (RuntimeException error) {
            inFlight = null;
            fatalError(error, "Fatal write error on pipe transport");
        }
    }

    private final class Writer implements Completion<Integer> {
        @Override
        public void completed(Integer count) {
            writeOp = null;
            if (lossScheduled) {
                inFlight = null;
                return;
            }
            pendingBytes -= count;
            bytesSent += count;
            if (inFlight.hasRemaining()) {
                submit(inFlight);
                return;
            }
            inFlight = null;
            if (!queued.isEmpty()) {
                submitQueued();
            }
            maybeResumeProtocol();
            if (writeOp == null && closing) {
                scheduleLoss(null);
            }
        }

        @Override
        public void failed(IOException error) {
            writeOp = null;
            inFlight = null;
            if (lossScheduled) {
                return;
            }
            queued.clear();
            pendingBytes = 0;
            fatalError(error, "Fatal write error on pipe transport");
        }

        @Override
        public void cancelled() {
            writeOp = null;
            inFlight = null;
        }
    }

    /**
     * The pipe's reader went away (a child that exited): closes without an error when nothing
     * is in flight, else at once with a broken pipe, as asyncio's {@code _pipe_closed}, which
     * learns it from a read pending on the write end.
     */
    void readerGone() {
        if (lossScheduled) {
            return;
        }
        if (hasBuffered()) {
            forceClose(new IOException("Broken pipe"));
        } else {
            close();
        }
    }

    /** A write pipe reads nothing: asyncio's stream writer takes it as a full transport. */
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

    /** A pipe cannot be half-closed: its write end closes once what is queued went out. */
    @Override
    public void writeEof() {
        close();
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

    @Override
    boolean hasBuffered() {
        return writeOp != null || !queued.isEmpty();
    }

    @Override
    void discardBuffered() {
        queued.clear();
        pendingBytes = 0;
        if (writeOp != null) {
            writeOp.cancel();
        }
    }

    @Override
    public String toString() {
        return "<ProactorWritePipeTransport " + (lossScheduled ? "closed" : closing ? "closing" : "open")
                + " buffered=" + pendingBytes + ">";
    }
}
