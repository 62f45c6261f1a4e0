package asyncio.spi.readiness;

import asyncio.api.Future;
import asyncio.api.Handle;
import java.nio.channels.SelectableChannel;

/** Writability of an application's channel, through the loop's writer watch. */
final class ChannelWritable implements WritableSignal {
    private final ReadinessEventLoop loop;
    private final SelectableChannel channel;
    private Handle handle;
    private Future<Void> current;

    ChannelWritable(ReadinessEventLoop loop, SelectableChannel channel) {
        this.loop = loop;
        this.channel = channel;
    }

    @Override
    public Future<Void> next() {
        current = loop.createFuture();
        if (handle == null) {
            // One writer for the whole transfer: no register/unregister churn per chunk.
            FdWatcher.ensureNoTransport(loop, channel);
            handle = FdWatcher.watchWrite(loop, channel, this::ready);
        }
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
        if (handle != null && !handle.cancelled()) {
            FdWatcher.unwatchWrite(loop, channel);
        }
        handle = null;
    }
}
