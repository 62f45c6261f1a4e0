package asyncio.spi.readiness;

import asyncio.api.Handle;
import java.nio.channels.SelectableChannel;

/**
 * The reader and writer callbacks of one watched channel, behind a single poller registration
 * (one selection key, one epoll entry) as asyncio keeps one {@code (reader, writer)} pair per
 * descriptor. Mirrors the {@code key.data} of {@code BaseSelectorEventLoop}.
 */
final class FdWatch implements ReadyListener {
    /** The watched {@link SelectableChannel}, or the {@link Integer} descriptor. */
    final Object target;
    private final ReadinessEventLoop loop;
    Readiness readiness;
    Handle reader;
    Handle writer;

    FdWatch(ReadinessEventLoop loop, Object target) {
        this.loop = loop;
        this.target = target;
    }

    @Override
    public void readable() {
        Handle handle = reader;
        if (handle == null) {
            return;
        }
        if (handle.cancelled()) {
            FdWatcher.unwatchRead(loop, target);
        } else {
            handle.run();
        }
    }

    @Override
    public void writable() {
        Handle handle = writer;
        if (handle == null) {
            return;
        }
        if (handle.cancelled()) {
            FdWatcher.unwatchWrite(loop, target);
        } else {
            handle.run();
        }
    }

    @Override
    public String toString() {
        return "<FdWatch " + target + " reader=" + reader + " writer=" + writer + ">";
    }
}
