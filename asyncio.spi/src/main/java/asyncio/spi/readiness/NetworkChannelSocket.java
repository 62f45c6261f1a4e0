package asyncio.spi.readiness;

import asyncio.spi.LoopSocket;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;

/**
 * What the three NIO channel sockets share: the channel, made non-blocking and owned from then
 * on, answers for options, the local address and closing.
 */
abstract class NetworkChannelSocket<C extends SelectableChannel & NetworkChannel> implements LoopSocket {
    final C channel;

    NetworkChannelSocket(C channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
    }

    @Override
    public final <T> void setOption(SocketOption<T> option, T value) throws IOException {
        channel.setOption(option, value);
    }

    @Override
    public final <T> T getOption(SocketOption<T> option) throws IOException {
        return channel.getOption(option);
    }

    @Override
    public final SocketAddress localAddress() throws IOException {
        return channel.getLocalAddress();
    }

    @Override
    public final Object channel() {
        return channel;
    }

    @Override
    public final boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public final void close() throws IOException {
        channel.close();
    }
}
