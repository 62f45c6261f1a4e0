package asyncio.spi.proactor;

import asyncio.api.Future;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.Protocol;
import asyncio.api.transports.ReadTransport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The read end of a pipe on a completion-based loop: one read pending into the transport's own
 * buffer while reading; at EOF {@code eofReceived}, then the loss (a pipe has nothing left to do).
 * Mirrors {@code _ProactorReadPipeTransport}.
 */
final class ProactorReadPipeTransport extends ProactorTransport implements ReadTransport {
    private static final int READ_BUFFER_SIZE = 64 * 1024;

    private final Object pipe;
    private final Reader reader = new Reader();
    private Protocol protocol;
    private ByteBuffer readBuffer;
    private Operation readOp;
    private boolean paused;
    private boolean holding;
    private boolean readEnded;

    ProactorReadPipeTransport(ProactorEventLoop loop, ProactorSocket handle, Object pipe, Protocol protocol,
                              Future<Void> waiter) {
        super(loop, handle);
        this.pipe = pipe;
        this.protocol = protocol;
        start(waiter);
    }

    @Override
    public Object getExtraInfo(String name, Object defaultValue) {
        return "pipe".equals(name) ? pipe : defaultValue;
    }

    @Override
    public void setProtocol(BaseProtocol newProtocol) {
        Objects.requireNonNull(newProtocol, "protocol");
        if (!(newProtocol instanceof Protocol stream)) {
            throw new IllegalArgumentException("a read pipe transport needs a Protocol, got "
                    + newProtocol.getClass().getName());
        }
        protocol = stream;
    }

    @Override
    public BaseProtocol getProtocol() {
        return protocol;
    }

    @Override
    public boolean isReading() {
        return !paused && !closing;
    }

    @Override
    public void pauseReading() {
        if (isReading()) {
            paused = true;
        }
    }

    @Override
    public void resumeReading() {
        if (closing || !paused) {
            return;
        }
        paused = false;
        if (holding) {
            loop.callSoon(() -> {
                if (holding && !closing && !paused) {
                    holding = false;
                    onRead(readBuffer.position());
                }
            });
        } else {
            startReading();
        }
    }

    @Override
    String kind() {
        return "read pipe";
    }

    @Override
    void startReading() {
        if (readOp != null || readEnded || paused || closing || holding) {
            return;
        }
        if (readBuffer == null) {
            readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);
        }
        readBuffer.clear();
        try {
            readOp = loop.port().read(socket, readBuffer, reader);
        } catch (RuntimeException error) {
            fatalError(error, "Fatal read error on pipe transport");
        }
    }

    @Override
    void stopReading() {
        if (readOp != null) {
            readOp.cancel();
        }
    }

    private void onRead(int count) {
        if (closing) {
            return;
        }
        if (paused) {
            holding = true;
            return;
        }
        if (count == 0) {
            readEnded = true;
            try {
                protocol.eofReceived();
            } catch (RuntimeException | Error error) {
                rethrowIfFatal(error);
                fatalError(error, "Fatal error: protocol.eofReceived() call failed.");
                return;
            }
            close();
            return;
        }
        try {
            protocol.dataReceived(readBuffer.flip());
        } catch (RuntimeException | Error error) {
            rethrowIfFatal(error);
            fatalError(error, "Fatal error: protocol.dataReceived() call failed.");
            return;
        }
        startReading();
    }

    private final class Reader implements Completion<Integer> {
        @Override
        public void completed(Integer count) {
            readOp = null;
            if (!lossScheduled) {
                if (count > 0) {
                    bytesReceived += count;
                }
                onRead(count);
            }
        }

        @Override
        public void failed(IOException error) {
            readOp = null;
            if (!closing) {
                fatalError(error, "Fatal read error on pipe transport");
            }
        }

        @Override
        public void cancelled() {
            readOp = null;
        }
    }

    @Override
    boolean hasBuffered() {
        return false;
    }

    @Override
    void discardBuffered() {
    }

    @Override
    public String toString() {
        return "<ProactorReadPipeTransport " + (lossScheduled ? "closed" : closing ? "closing" : "open") + ">";
    }
}
