package asyncio.spi.tls;

import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.Transport;
import asyncio.api.transports.WriteBufferLimits;
import asyncio.spi.readiness.ReadinessEventLoop;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The transport an application protocol sees over TLS: it behaves like a plain one, except that
 * TLS cannot half-close. Mirrors {@code asyncio.sslproto._SSLProtocolTransport}.
 */
public final class SslTransport implements Transport {
    private final SslProtocol ssl;
    private boolean closed;

    SslTransport(SslProtocol ssl) {
        this.ssl = ssl;
    }

    void markClosed() {
        closed = true;
    }

    /** Sends close_notify after the buffered data and waits (up to the shutdown timeout) for the peer's. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            // A closed loop has closed the socket beneath (ReadinessEventLoop.close): as for a
            // plain transport, closing it then is a no-op, since no close_notify can go out.
            if (!ssl.loopClosed()) {
                ssl.startShutdown();
            }
        }
    }

    @Override
    public boolean isClosing() {
        return closed;
    }

    /** Adds {@code sslcontext}, {@code ssl_object}, {@code peercert}, {@code cipher}, {@code compression} to the plain keys. */
    @Override
    public Object getExtraInfo(String name, Object defaultValue) {
        return ssl.extraInfo(name, defaultValue);
    }

    @Override
    public void setProtocol(BaseProtocol protocol) {
        ssl.appProtocol(protocol);
    }

    @Override
    public BaseProtocol getProtocol() {
        return ssl.appProtocol();
    }

    /** Whether the application protocol is paused for writing: what the loop's sendfile needs to know. */
    public boolean isProtocolPaused() {
        return ssl.isAppWritingPaused();
    }

    @Override
    public boolean isReading() {
        return !closed && ssl.isAppReading();
    }

    @Override
    public void pauseReading() {
        ssl.pauseAppReading();
    }

    @Override
    public void resumeReading() {
        ssl.resumeAppReading();
    }

    @Override
    public void write(ByteBuffer data) {
        ssl.writeAppData(data);
    }

    @Override
    public void writelines(List<ByteBuffer> data) {
        for (ByteBuffer buffer : data) {
            ssl.writeAppData(buffer);
        }
    }

    /** TLS cannot half-close: always raises, as asyncio does. */
    @Override
    public void writeEof() {
        throw new UnsupportedOperationException("SSL doesn't support half-closes");
    }

    @Override
    public boolean canWriteEof() {
        return false;
    }

    /** Closes at once, without close_notify. */
    @Override
    public void abort() {
        closed = true;
        ssl.abort();
    }

    @Override
    public int getWriteBufferSize() {
        return ssl.writeBufferSize();
    }

    @Override
    public WriteBufferLimits getWriteBufferLimits() {
        Transport plain = ssl.plainTransport();
        return plain == null ? new WriteBufferLimits(16 * 1024, 64 * 1024) : plain.getWriteBufferLimits();
    }

    @Override
    public void setWriteBufferLimits(Integer high, Integer low) {
        Transport plain = ssl.plainTransport();
        if (plain != null) {
            plain.setWriteBufferLimits(high, low);
        }
    }

    @Override
    public String toString() {
        return "<SslTransport " + (closed ? "closed" : "open") + " " + ssl + ">";
    }
}
