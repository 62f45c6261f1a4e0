package asyncio.spi.readiness;

import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.Protocol;
import asyncio.api.transports.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Stands in for a transport's protocol while the loop copies a file into it: reading stays
 * paused, and {@link #drain()} waits while the transport's buffer is over its high mark.
 * {@link #restore()} gives the transport back to its protocol. Mirrors {@code _SendfileFallbackProtocol}.
 */
final class SendfileFallbackProtocol implements Protocol {
    private final EventLoop loop;
    private final Transport transport;
    private final BaseProtocol original;
    private final boolean shouldResumeReading;
    private final boolean shouldResumeWriting;
    private Future<Void> writeReady;

    /** {@code protocolPaused}: whether the transport has paused its protocol's writing (asyncio's {@code _protocol_paused}). */
    SendfileFallbackProtocol(EventLoop loop, Transport transport, boolean protocolPaused) {
        this.loop = loop;
        this.transport = transport;
        this.original = transport.getProtocol();
        this.shouldResumeReading = transport.isReading();
        this.shouldResumeWriting = protocolPaused;
        if (shouldResumeWriting) {
            writeReady = loop.createFuture();
        }
    }

    /** Installs this protocol in place of the transport's own. */
    void install() {
        transport.pauseReading();
        transport.setProtocol(this);
    }

    /** Waits until the transport takes more; raises if it closed. */
    void drain() throws IOException {
        if (transport.isClosing()) {
            throw new IOException("Connection closed by peer");
        }
        Future<Void> waiting = writeReady;
        if (waiting != null) {
            waiting.await();
        }
    }

    /** Hands the transport back to its protocol, resuming what this one paused. */
    void restore() {
        transport.setProtocol(original);
        if (shouldResumeReading) {
            transport.resumeReading();
        }
        if (writeReady != null) {
            // Nobody waits on it any more: the protocol is switched back.
            writeReady.cancel();
        }
        if (shouldResumeWriting) {
            original.resumeWriting();
        }
    }

    @Override
    public void connectionMade(BaseTransport connected) {
        throw new IllegalStateException("Invalid state: connection should have been established already.");
    }

    @Override
    public void connectionLost(Throwable error) {
        if (writeReady != null) {
            // The peer left before the whole file went out: always an error for the sender.
            writeReady.setException(error != null ? error : new IOException("Connection is closed by peer"));
        }
        original.connectionLost(error);
    }

    @Override
    public void pauseWriting() {
        if (writeReady == null) {
            writeReady = loop.createFuture();
        }
    }

    @Override
    public void resumeWriting() {
        if (writeReady != null) {
            writeReady.setResult(null);
            writeReady = null;
        }
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        throw new IllegalStateException("Invalid state: reading should be paused");
    }

    @Override
    public boolean eofReceived() {
        throw new IllegalStateException("Invalid state: reading should be paused");
    }
}
