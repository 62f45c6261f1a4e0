package asyncio.spi.readiness;

import asyncio.spi.ListeningSocket;
import asyncio.spi.StreamSocket;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** A {@link ListeningSocket} over a non-blocking {@link ServerSocketChannel}. */
public final class ChannelListeningSocket extends NetworkChannelSocket<ServerSocketChannel> implements ListeningSocket {
    /** Wraps {@code channel} and makes it non-blocking; the socket owns it from now on. */
    public ChannelListeningSocket(ServerSocketChannel channel) throws IOException {
        super(channel);
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
}
