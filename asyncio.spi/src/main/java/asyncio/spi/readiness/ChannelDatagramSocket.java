package asyncio.spi.readiness;

import asyncio.spi.DatagramSocket;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/** A {@link DatagramSocket} over a non-blocking {@link DatagramChannel}. */
public final class ChannelDatagramSocket extends NetworkChannelSocket<DatagramChannel> implements DatagramSocket {
    /** Wraps {@code channel} and makes it non-blocking; the socket owns it from now on. */
    public ChannelDatagramSocket(DatagramChannel channel) throws IOException {
        super(channel);
    }

    @Override
    public void bind(SocketAddress local) throws IOException {
        channel.bind(local);
    }

    @Override
    public void connect(SocketAddress remote) throws IOException {
        channel.connect(remote);
    }

    @Override
    public SocketAddress remoteAddress() throws IOException {
        return channel.getRemoteAddress();
    }

    @Override
    public SocketAddress receive(ByteBuffer target) throws IOException {
        return channel.receive(target);
    }

    @Override
    public boolean send(ByteBuffer source) throws IOException {
        if (!source.hasRemaining()) {
            // DatagramChannel.write() returns at once for an empty buffer, sending nothing.
            throw new IOException("an empty datagram cannot be sent on a connected DatagramChannel");
        }
        return channel.write(source) > 0;
    }

    @Override
    public boolean sendTo(ByteBuffer source, SocketAddress target) throws IOException {
        int size = source.remaining();
        // An empty datagram sends as 0 bytes, as does a refused one: NIO cannot tell, so count it sent.
        return channel.send(source, target) > 0 || size == 0;
    }
}
