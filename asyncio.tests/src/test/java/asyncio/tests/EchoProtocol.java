package asyncio.tests;

import asyncio.api.Asyncio;
import asyncio.api.Future;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.Protocol;
import asyncio.api.transports.Transport;
import java.nio.ByteBuffer;

/**
 * A server protocol that writes back what it receives and, when the peer's side ends, closes
 * once the echo is flushed. When its transport's buffer goes over the high mark it stops reading
 * until the buffer drains, so a fast sender cannot make it buffer without bound.
 */
class EchoProtocol implements Protocol {
    final Future<Throwable> lost = Asyncio.getEventLoop().createFuture();
    Transport transport;

    @Override
    public void connectionMade(BaseTransport made) {
        transport = (Transport) made;
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        transport.write(data);
    }

    @Override
    public void connectionLost(Throwable error) {
        lost.setResult(error);
    }

    @Override
    public void pauseWriting() {
        transport.pauseReading();
    }

    @Override
    public void resumeWriting() {
        transport.resumeReading();
    }
}
