package asyncio.tests.proactor;

import asyncio.spi.proactor.ProactorSocket;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/** A non-blocking NIO channel as the emulated completion port's socket; its pending operations live here. */
final class EmulatedSocket implements ProactorSocket {
    private final EmulatedCompletionPort port;
    private final NetworkChannel channel;
    /** Submitted and not yet performed, in submission order (reads and writes interleaved). */
    final ArrayDeque<EmulatedCompletionPort.Op<?>> pending = new ArrayDeque<>();
    SelectionKey key;

    EmulatedSocket(EmulatedCompletionPort port, NetworkChannel channel) {
        this.port = port;
        this.channel = channel;
    }

    SelectableChannel selectable() {
        return (SelectableChannel) channel;
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
    public SocketAddress remoteAddress() throws IOException {
        if (channel instanceof SocketChannel stream) {
            return stream.getRemoteAddress();
        }
        if (channel instanceof DatagramChannel datagram) {
            return datagram.getRemoteAddress();
        }
        return null;
    }

    @Override
    public void bind(SocketAddress local) throws IOException {
        channel.bind(local);
    }

    @Override
    public void listen(SocketAddress local, int backlog) throws IOException {
        ((ServerSocketChannel) channel).bind(local, backlog);
    }

    @Override
    public void connectDatagram(SocketAddress remote) throws IOException {
        ((DatagramChannel) channel).connect(remote);
    }

    @Override
    public void shutdownOutput() throws IOException {
        ((SocketChannel) channel).shutdownOutput();
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
        if (channel.isOpen()) {
            port.aborted(this);
        }
        channel.close();
    }

    @Override
    public String toString() {
        return "<EmulatedSocket " + channel + ">";
    }
}
