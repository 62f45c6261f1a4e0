package asyncio.spi.readiness;

import asyncio.api.Future;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.Protocol;
import asyncio.api.transports.ReadTransport;
import asyncio.spi.LoopSocket;
import asyncio.spi.process.PipeEnd;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;
import java.util.Objects;

/**
 * The read end of a pipe (or any readable selectable channel) as a transport: delivers data as
 * it arrives, and at EOF calls {@code eofReceived} and then {@code connectionLost(null)} (the
 * return value of {@code eofReceived} does not matter: a pipe has nothing left to do). Mirrors
 * {@code _UnixReadPipeTransport}.
 */
final class ReadPipeTransport extends ReadinessTransport implements ReadTransport {
    private final ReadableByteChannel channel;
    private Protocol protocol;
    private boolean paused;

    <C extends SelectableChannel & ReadableByteChannel> ReadPipeTransport(ReadinessEventLoop loop, C channel,
                                                                         Protocol protocol, Future<Void> waiter)
            throws IOException {
        this(loop, new ChannelSocket(channel, true), nonBlocking(channel), protocol, waiter);
    }

    /**
     * A pipe end the poller watches as {@code socket} and the transport reads as {@code channel}
     * (one object for a loop's own pipe ends, see {@link PipeEnd}); it must not block.
     */
    ReadPipeTransport(ReadinessEventLoop loop, LoopSocket socket, ReadableByteChannel channel, Protocol protocol,
                      Future<Void> waiter) throws IOException {
        super(loop, socket);
        this.channel = channel;
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        register();
        loop.callSoon(() -> start(waiter));
    }

    private static <C extends SelectableChannel & ReadableByteChannel> C nonBlocking(C channel) throws IOException {
        channel.configureBlocking(false);
        return channel;
    }

    @Override
    String kind() {
        return "read pipe";
    }

    @Override
    boolean readsOnceMade() {
        return isReading();
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
            bytesReceived += count;
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
        return "pipe".equals(name) ? channel : defaultValue;
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

    // --- closing: the shared logic calls these ---

    @Override
    boolean hasBuffered() {
        return false;
    }

    @Override
    void discardBuffered() {
    }

    /** EIO is what a pseudo-terminal says when its other side hangs up: not worth a report. */
    @Override
    boolean isPeerError(Throwable error) {
        return error instanceof IOException && "Input/output error".equals(error.getMessage());
    }

    @Override
    public String toString() {
        return "<ReadPipeTransport " + (lost ? "closed" : closing ? "closing" : isReading() ? "polling" : "idle") + " "
                + channel + ">";
    }
}
