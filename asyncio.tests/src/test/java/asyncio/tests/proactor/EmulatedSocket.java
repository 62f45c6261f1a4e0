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

/** A non-blocking NIO socket channel or pipe end as the emulated completion port's handle; its pending operations live here. */
final class EmulatedSocket implements ProactorSocket {
    private final EmulatedCompletionPort port;
    /** A NetworkChannel for sockets; a pipe end otherwise. */
    private final SelectableChannel channel;
    /** Submitted and not yet performed, in submission order (reads and writes interleaved). */
    final ArrayDeque<EmulatedCompletionPort.Op<?>> pending = new ArrayDeque<>();
    SelectionKey key;

    EmulatedSocket(EmulatedCompletionPort port, SelectableChannel channel) {
        this.port = port;
        this.channel = channel;
    }

    SelectableChannel selectable() {
        return channel;
    }

    private NetworkChannel network() {
        if (channel instanceof NetworkChannel network) {
            return network;
        }
        throw new UnsupportedOperationException("a pipe has no socket options or addresses");
    }

    @Override
    public <T> void setOption(SocketOption<T> option, T value) throws IOException {
        network().setOption(option, value);
    }

    @Override
    public <T> T getOption(SocketOption<T> option) throws IOException {
        return network().getOption(option);
    }

    @Override
    public SocketAddress localAddress() throws IOException {
        return channel instanceof NetworkChannel network ? network.getLocalAddress() : null;
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
        network().bind(local);
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
