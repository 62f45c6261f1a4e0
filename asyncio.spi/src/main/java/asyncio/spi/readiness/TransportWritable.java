package asyncio.spi.readiness;

import asyncio.api.Future;

/** Writability of a stream transport's socket, borrowed while the transport's own writes are refused. */
final class TransportWritable implements WritableSignal {
    private final ReadinessEventLoop loop;
    private final SocketTransport transport;
    private Future<Void> current;

    TransportWritable(ReadinessEventLoop loop, SocketTransport transport) {
        this.loop = loop;
        this.transport = transport;
        transport.lendWritability(this::ready);
    }

    @Override
    public Future<Void> next() {
        current = loop.createFuture();
        return current;
    }

    private void ready() {
        Future<Void> waiting = current;
        if (waiting != null && !waiting.done()) {
            waiting.setResult(null);
        }
    }

    @Override
    public void close() {
        transport.lendWritability(null);
    }
}
