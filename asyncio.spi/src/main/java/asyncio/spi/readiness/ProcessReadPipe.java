package asyncio.spi.readiness;

import asyncio.api.EventLoop;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.ReadTransport;
import asyncio.spi.process.ProcessTransport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;

/**
 * A child's stdout or stderr as a read transport. The JDK gives these pipes only as blocking
 * streams, so a virtual thread reads them and hands each chunk to the loop; it stops reading
 * while the transport is paused or a few chunks wait undelivered, so a slow reader slows the
 * child down instead of filling memory.
 */
final class ProcessReadPipe implements ReadTransport {
    private static final int CHUNK = 64 * 1024;
    private static final int CHUNKS_IN_FLIGHT = 4;

    private final EventLoop loop;
    private final int fd;
    private final InputStream stream;
    private final ProcessTransport owner;
    private final Semaphore credits = new Semaphore(CHUNKS_IN_FLIGHT);
    private volatile boolean paused;
    private volatile boolean closing;
    private boolean lost;
    private Thread pump;

    ProcessReadPipe(EventLoop loop, int fd, InputStream stream, ProcessTransport owner) {
        this.loop = loop;
        this.fd = fd;
        this.stream = stream;
        this.owner = owner;
    }

    void start() {
        pump = Thread.ofVirtual().name("asyncio-pipe-" + fd).start(this::pumpLoop);
    }

    private void pumpLoop() {
        byte[] buffer = new byte[CHUNK];
        try {
            while (true) {
                while (paused && !closing) {
                    LockSupport.park(this);
                }
                credits.acquire();
                int count = stream.read(buffer);
                if (count < 0) {
                    post(() -> lose(null));
                    return;
                }
                byte[] chunk = Arrays.copyOf(buffer, count);
                post(() -> deliver(chunk));
            }
        } catch (IOException error) {
            post(() -> lose(closing ? null : error));
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }

    private void post(Runnable action) {
        try {
            loop.callSoonThreadsafe(action);
        } catch (IllegalStateException loopClosed) {
            closing = true;
        }
    }

    private void deliver(byte[] chunk) {
        credits.release();
        if (!lost && !closing) {
            owner.pipeDataReceived(fd, ByteBuffer.wrap(chunk));
        }
    }

    private void lose(Throwable error) {
        if (lost) {
            return;
        }
        lost = true;
        closing = true;
        owner.pipeConnectionLost(fd, error);
    }

    @Override
    public boolean isReading() {
        return !paused && !closing;
    }

    @Override
    public void pauseReading() {
        paused = true;
    }

    @Override
    public void resumeReading() {
        if (paused) {
            paused = false;
            LockSupport.unpark(pump);
        }
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        LockSupport.unpark(pump);
        try {
            stream.close();
        } catch (IOException ignored) {
            // The child's end stays what it is; we only stop listening.
        }
        loop.callSoon(() -> lose(null));
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    @Override
    public Object getExtraInfo(String name, Object defaultValue) {
        return Map.<String, Object>of("pipe", stream).getOrDefault(name, defaultValue);
    }

    @Override
    public void setProtocol(BaseProtocol protocol) {
        throw new UnsupportedOperationException("a subprocess pipe reports to its process transport");
    }

    @Override
    public BaseProtocol getProtocol() {
        return null;
    }

    @Override
    public String toString() {
        return "<ProcessReadPipe fd=" + fd + (closing ? " closed" : paused ? " paused" : "") + ">";
    }
}
