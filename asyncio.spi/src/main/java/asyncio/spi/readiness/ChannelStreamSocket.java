package asyncio.spi.readiness;

import asyncio.spi.StreamSocket;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** A {@link StreamSocket} over a non-blocking {@link SocketChannel}. */
public final class ChannelStreamSocket extends NetworkChannelSocket<SocketChannel> implements StreamSocket {
    /** Wraps {@code channel} and makes it non-blocking; the socket owns it from now on. */
    public ChannelStreamSocket(SocketChannel channel) throws IOException {
        super(channel);
    }

    @Override
    public void bind(SocketAddress local) throws IOException {
        channel.bind(local);
    }

    @Override
    public boolean connect(SocketAddress remote) throws IOException {
        return channel.connect(remote);
    }

    @Override
    public void finishConnect() throws IOException {
        if (!channel.finishConnect()) {
            throw new IOException("connect did not finish although the socket was reported writable");
        }
    }

    @Override
    public SocketAddress remoteAddress() throws IOException {
        return channel.getRemoteAddress();
    }

    @Override
    public int read(ByteBuffer target) throws IOException {
        return channel.read(target);
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
        return channel.write(source);
    }

    @Override
    public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
        return channel.write(sources, offset, length);
    }

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }
}
