package asyncio.spi.readiness;

import asyncio.api.EventLoop;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.Transport;
import asyncio.api.transports.WriteBufferLimits;
import asyncio.spi.process.ProcessTransport;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A child's stdin as a write transport. Writes never block the loop: they are copied to a queue
 * that a virtual thread drains into the blocking stream, and the bytes not yet written count for
 * flow control. The read side is inert (a pipe end is write-only). Mirrors
 * {@code _UnixWritePipeTransport}.
 */
final class ProcessWritePipe implements Transport {
    private static final Logger LOG = LoggerFactory.getLogger("asyncio");
    private static final byte[] END = new byte[0];
    private static final int LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;

    private final EventLoop loop;
    private final OutputStream stream;
    private final ProcessTransport owner;
    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private BaseProtocol protocol;
    private long pending;
    private int high = 64 * 1024;
    private int low = 16 * 1024;
    private boolean protocolPaused;
    private boolean closing;
    private boolean lost;
    private int connLost;

    ProcessWritePipe(EventLoop loop, OutputStream stream, ProcessTransport owner) {
        this.loop = loop;
        this.stream = stream;
        this.owner = owner;
        this.protocol = new BaseProtocol() { };
    }

    void start() {
        Thread.ofVirtual().name("asyncio-pipe-0").start(this::drainLoop);
    }

    private void drainLoop() {
        try {
            while (true) {
                byte[] chunk = queue.take();
                if (chunk == END) {
                    stream.close();
                    post(() -> lose(null));
                    return;
                }
                stream.write(chunk);
                stream.flush();
                post(() -> written(chunk.length));
            }
        } catch (IOException error) {
            closeQuietly();
            post(() -> lose(error));
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }

    private void post(Runnable action) {
        try {
            loop.callSoonThreadsafe(action);
        } catch (IllegalStateException loopClosed) {
            closeQuietly();
        }
    }

    private void written(int count) {
        pending -= count;
        if (protocolPaused && pending <= low) {
            protocolPaused = false;
            protocol.resumeWriting();
        }
    }

    private void lose(Throwable error) {
        if (lost) {
            return;
        }
        lost = true;
        closing = true;
        queue.clear();
        pending = 0;
        protocol.connectionLost(error);
        owner.pipeConnectionLost(0, error);
    }

    /**
     * The child exited, and the JDK closed our end of its stdin with it (any later write fails):
     * the reader is gone. As asyncio's write pipe does when its reader closes, the connection is
     * lost with no error if nothing was waiting to be written, with "Broken pipe" otherwise.
     */
    void readerGone() {
        if (lost) {
            return;
        }
        IOException error = pending > 0 ? new IOException("Broken pipe") : null;
        queue.clear();
        // Ends the drain thread, which would otherwise wait on the queue for good.
        queue.add(END);
        lose(error);
    }

    @Override
    public void write(ByteBuffer data) {
        if (!data.hasRemaining()) {
            return;
        }
        if (closing || lost) {
            if (connLost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) {
                LOG.warn("pipe closed by peer or os.write(pipe, data) raised exception.");
            }
            connLost++;
            data.position(data.limit());
            return;
        }
        byte[] copy = new byte[data.remaining()];
        data.get(copy);
        pending += copy.length;
        queue.add(copy);
        if (!protocolPaused && pending > high) {
            protocolPaused = true;
            protocol.pauseWriting();
        }
    }

    @Override
    public void writelines(List<ByteBuffer> data) {
        data.forEach(this::write);
    }

    @Override
    public void writeEof() {
        if (closing) {
            return;
        }
        closing = true;
        queue.add(END);
    }

    @Override
    public boolean canWriteEof() {
        return true;
    }

    @Override
    public void close() {
        writeEof();
    }

    @Override
    public void abort() {
        closing = true;
        queue.clear();
        closeQuietly();
        loop.callSoon(() -> lose(null));
    }

    private void closeQuietly() {
        try {
            stream.close();
        } catch (IOException ignored) {
            // Already broken: the loss is reported by whoever saw it first.
        }
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    @Override
    public int getWriteBufferSize() {
        return (int) Math.min(Integer.MAX_VALUE, pending);
    }

    @Override
    public WriteBufferLimits getWriteBufferLimits() {
        return new WriteBufferLimits(low, high);
    }

    @Override
    public void setWriteBufferLimits(Integer newHigh, Integer newLow) {
        int h = newHigh != null ? newHigh : newLow == null ? 64 * 1024 : 4 * newLow;
        int l = newLow != null ? newLow : h / 4;
        if (!(h >= l && l >= 0)) {
            throw new IllegalArgumentException("high (" + h + ") must be >= low (" + l + ") must be >= 0");
        }
        high = h;
        low = l;
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

    @Override
    public Object getExtraInfo(String name, Object defaultValue) {
        return Map.<String, Object>of("pipe", stream).getOrDefault(name, defaultValue);
    }

    @Override
    public void setProtocol(BaseProtocol newProtocol) {
        protocol = newProtocol;
    }

    @Override
    public BaseProtocol getProtocol() {
        return protocol;
    }

    @Override
    public String toString() {
        return "<ProcessWritePipe buffered=" + pending + (closing ? " closing" : "") + ">";
    }
}
