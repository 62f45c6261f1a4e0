package asyncio.spi.proactor;

import asyncio.api.Handle;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;

/**
 * The reader and writer callbacks of one channel the application watches on the proactor loop,
 * behind one registration with the port's {@link ReadinessHelper}. Mirrors the {@code (reader,
 * writer)} pair asyncio's selector loop keeps per descriptor.
 */
final class ProactorFdWatch implements ReadinessHelper.Listener {
    private final ProactorEventLoop loop;
    final SelectableChannel channel;
    Handle reader;
    Handle writer;

    ProactorFdWatch(ProactorEventLoop loop, SelectableChannel channel) {
        this.loop = loop;
        this.channel = channel;
    }

    /** The reader's handle when {@code reading}, else the writer's. */
    Handle handle(boolean reading) {
        return reading ? reader : writer;
    }

    /** Sets the reader's handle when {@code reading}, else the writer's (null clears it); returns the one it replaces. */
    Handle replace(boolean reading, Handle handle) {
        Handle previous = handle(reading);
        if (reading) {
            reader = handle;
        } else {
            writer = handle;
        }
        return previous;
    }

    /** The operations to watch: those with a callback. */
    int ops() {
        return (reader != null ? SelectionKey.OP_READ : 0) | (writer != null ? SelectionKey.OP_WRITE : 0);
    }

    @Override
    public void ready(int readyOps) {
        if ((readyOps & SelectionKey.OP_READ) != 0) {
            runOrDrop(reader, true);
        }
        if ((readyOps & SelectionKey.OP_WRITE) != 0) {
            runOrDrop(writer, false);
        }
    }

    private void runOrDrop(Handle handle, boolean reading) {
        if (handle == null) {
            return;
        }
        if (handle.cancelled()) {
            // As asyncio: a cancelled callback's watch is dropped when the channel next becomes ready.
            if (reading) {
                loop.removeReader(channel);
            } else {
                loop.removeWriter(channel);
            }
        } else {
            handle.run();
        }
    }

    @Override
    public String toString() {
        return "<ProactorFdWatch " + channel + " reader=" + reader + " writer=" + writer + ">";
    }
}
