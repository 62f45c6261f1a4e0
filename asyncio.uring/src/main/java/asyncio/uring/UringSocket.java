package asyncio.uring;

import asyncio.spi.proactor.ProactorSocket;
import asyncio.uring.ffi.Kernel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;

/**
 * A socket of the io_uring loop: a non-blocking NIO channel for what is done at once (bind,
 * listen, options, addresses, half-close, close) and its descriptor for the ring's operations.
 * Its operations still in the kernel are listed here, so closing it can cancel them (closing the
 * descriptor alone does not: io_uring holds its own reference to the socket).
 */
final class UringSocket implements ProactorSocket {
    private final UringCompletionPort port;
    /** A NetworkChannel, or a pipe end (options and addresses do not apply to it). */
    private final SelectableChannel channel;
    final int fd;
    /** Address family of the descriptor: AF_INET6 sockets need IPv4 destinations mapped. */
    final boolean inet6;
    /** Submitted and not yet completed by the kernel. */
    final ArrayList<UringCompletionPort.Op<?>> pending = new ArrayList<>(2);

    UringSocket(UringCompletionPort port, SelectableChannel channel) {
        this.port = port;
        this.channel = channel;
        this.fd = Descriptors.fdOf(channel);
        this.inet6 = channel instanceof DatagramChannel && domain(fd) == AF_INET6;
    }

    private static final int SOL_SOCKET = 1;
    private static final int SO_DOMAIN = 39;
    private static final int AF_INET6 = 10;

    /** The socket's address family (SO_DOMAIN); a datagram socket NIO opened without one may be either. */
    private static int domain(int fd) {
        ByteBuffer value = Kernel.allocate(8);
        value.putInt(4, 4);
        long address = Kernel.address(value);
        if (Kernel.libc().getsockopt(fd, SOL_SOCKET, SO_DOMAIN, address, address + 4) < 0) {
            return -1;
        }
        return value.getInt(0);
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

    private NetworkChannel network() throws IOException {
        if (channel instanceof NetworkChannel network) {
            return network;
        }
        throw new UnsupportedOperationException("a pipe end has no socket options");
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
            port.abort(this);
        }
        channel.close();
    }

    @Override
    public String toString() {
        return "<UringSocket fd=" + fd + " " + channel + ">";
    }
}
