package asyncio.spi;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** A {@link ListeningSocket} over a non-blocking {@link ServerSocketChannel}. */
public final class ChannelListeningSocket implements ListeningSocket {
    private final ServerSocketChannel channel;

    /** Wraps {@code channel} and makes it non-blocking; the socket owns it from now on. */
    public ChannelListeningSocket(ServerSocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
    }

    @Override
    public <T> void setOption(SocketOption<T> option, T value) throws IOException {
        channel.setOption(option, value);
    }

    @Override
    public <T> T getOption(SocketOption<T> option) throws IOException {
        return channel.getOption(option);
    }

    @Override
    public SocketAddress localAddress() throws IOException {
        return channel.getLocalAddress();
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
    public void bind(SocketAddress local, int backlog) throws IOException {
        channel.bind(local, backlog);
    }

    @Override
    public StreamSocket accept() throws IOException {
        SocketChannel accepted = channel.accept();
        if (accepted == null) {
            return null;
        }
        try {
            return new ChannelStreamSocket(accepted);
        } catch (IOException | RuntimeException failed) {
            accepted.close();
            throw failed;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
