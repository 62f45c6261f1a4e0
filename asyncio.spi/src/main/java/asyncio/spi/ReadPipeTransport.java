package asyncio.spi;

import asyncio.api.Future;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.Protocol;
import asyncio.api.transports.ReadTransport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read end of a pipe (or any readable selectable channel) as a transport: delivers data as
 * it arrives, and at EOF calls {@code eofReceived} and then {@code connectionLost(null)} (the
 * return value of {@code eofReceived} does not matter: a pipe has nothing left to do). Mirrors
 * {@code _UnixReadPipeTransport}.
 */
final class ReadPipeTransport implements ReadTransport, ReadyListener {
    private static final Logger LOG = LoggerFactory.getLogger("asyncio");

    private final ReadinessEventLoop loop;
    private final ChannelSocket pipe;
    private final ReadableByteChannel channel;
    private final Readiness readiness;
    private Protocol protocol;
    private boolean closing;
    private boolean paused;
    private boolean lost;

    <C extends SelectableChannel & ReadableByteChannel> ReadPipeTransport(ReadinessEventLoop loop, C channel,
                                                                         Protocol protocol, Future<Void> waiter)
            throws IOException {
        this.loop = loop;
        this.channel = channel;
        this.pipe = new ChannelSocket(channel, true);
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        channel.configureBlocking(false);
        this.readiness = loop.register(pipe, this);
        loop.callSoon(() -> start(waiter));
    }

    private void start(Future<Void> waiter) {
        try {
            protocol.connectionMade(this);
        } finally {
            if (isReading()) {
                readiness.watchRead(true);
            }
            if (waiter != null && !waiter.done()) {
                waiter.setResult(null);
            }
        }
    }

    @Override
    public void readable() {
        ByteBuffer buffer = loop.readBuffer();
        buffer.clear();
        int count;
        try {
            count = channel.read(buffer);
        } catch (IOException error) {
            fatalError(error, "Fatal read error on pipe transport");
            return;
        }
        if (count > 0) {
            protocol.dataReceived(buffer.flip());
        } else if (count < 0) {
            if (loop.getDebug()) {
                LOG.info("{} was closed by peer", this);
            }
            closing = true;
            readiness.watchRead(false);
            Protocol current = protocol;
            loop.callSoon(current::eofReceived);
            loop.callSoon(() -> callConnectionLost(null));
        }
    }

    @Override
    public void writable() {
    }

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
    public Object getExtraInfo(String name, Object defaultValue) {
        return "pipe".equals(name) ? pipe.channel() : defaultValue;
    }

    @Override
    public void setProtocol(BaseProtocol newProtocol) {
        if (!(newProtocol instanceof Protocol streamProtocol)) {
            throw new IllegalArgumentException("a read pipe transport needs a Protocol, got " + newProtocol);
        }
        protocol = streamProtocol;
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
        if (!closing) {
            close(null);
        }
    }

    private void fatalError(IOException error, String message) {
        // EIO is what a pseudo-terminal says when its other side hangs up: not worth a report.
        if ("Input/output error".equals(error.getMessage())) {
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
        return "<ReadPipeTransport " + (lost ? "closed" : closing ? "closing" : isReading() ? "polling" : "idle") + " "
                + pipe.channel() + ">";
    }
}
