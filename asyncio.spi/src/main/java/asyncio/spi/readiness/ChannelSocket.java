package asyncio.spi.readiness;

import asyncio.spi.LoopSocket;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.SelectableChannel;

/**
 * Any selectable channel as a {@link LoopSocket}, so the poller can watch it: a pipe end the loop
 * owns (closed with its transport), or a channel the application watches with {@code addReader}
 * (never closed by the loop).
 */
final class ChannelSocket implements LoopSocket {
    private final SelectableChannel channel;
    private final boolean owned;

    ChannelSocket(SelectableChannel channel, boolean owned) {
        this.channel = channel;
        this.owned = owned;
    }

    @Override
    public <T> void setOption(SocketOption<T> option, T value) {
        throw new UnsupportedOperationException("not a socket: " + channel);
    }

    @Override
    public <T> T getOption(SocketOption<T> option) {
        throw new UnsupportedOperationException("not a socket: " + channel);
    }

    @Override
    public SocketAddress localAddress() {
        return null;
    }

    @Override
    public Object channel() {
        return channel;
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        if (owned) {
            channel.close();
        }
    }
}
