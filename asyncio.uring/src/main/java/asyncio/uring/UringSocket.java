package asyncio.uring;

import asyncio.epoll.NativeSockets;
import asyncio.spi.DatagramSocket;
import asyncio.spi.ListeningSocket;
import asyncio.spi.LoopSocket;
import asyncio.spi.StreamSocket;
import asyncio.spi.proactor.ProactorSocket;
import asyncio.uring.ffi.Kernel;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;

/**
 * A socket of the io_uring loop, one of two kinds. The loop's own stream and listening sockets are
 * native ({@link NativeSockets}: raw descriptors with NIO's behaviour), so the ring can accept
 * (IORING_OP_ACCEPT) and connect (IORING_OP_CONNECT) on them. Datagram sockets, pipe ends and the
 * application's channels (sock_*, {@code sock=}) are non-blocking NIO channels, which the ring
 * can read and write but not accept or connect for: a channel would not know its own state, so
 * those still wait for readiness and let the channel finish. Either way the ring works on the
 * descriptor, and the socket's operations still in the kernel are listed here, so closing it can
 * cancel them (closing the descriptor alone does not: io_uring holds its own reference).
 */
final class UringSocket implements ProactorSocket {
    private final UringCompletionPort port;
    /** A NetworkChannel or a pipe end (options and addresses do not apply to it); null for a native socket. */
    private final SelectableChannel channel;
    /** A native stream or listening socket; null for a channel. */
    final LoopSocket nativeSocket;
    final int fd;
    /** Address family of the descriptor: AF_INET6 sockets need IPv4 destinations mapped. */
    final boolean inet6;
    /** Submitted and not yet completed by the kernel. */
    final ArrayList<UringCompletionPort.Op<?>> pending = new ArrayList<>(2);
    /**
     * The last receive on this socket took less than it could: the socket was drained, so the
     * next receive waits for readiness first (IORING_RECVSEND_POLL_FIRST) instead of trying a
     * transfer that would find nothing.
     */
    boolean drained = true;

    UringSocket(UringCompletionPort port, SelectableChannel channel) {
        this.port = port;
        this.channel = channel;
        this.nativeSocket = null;
        this.fd = Descriptors.fdOf(channel);
        this.inet6 = channel instanceof DatagramChannel && domain(fd) == AF_INET6;
    }

    UringSocket(UringCompletionPort port, LoopSocket nativeSocket) {
        this.port = port;
        this.channel = null;
        this.nativeSocket = nativeSocket;
        this.fd = NativeSockets.fd(nativeSocket);
        this.inet6 = false;
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

    /** Whether the ring can accept or connect on this socket itself (a native one), not through readiness. */
    boolean isNative() {
        return nativeSocket != null;
    }

    @Override
    public <T> void setOption(SocketOption<T> option, T value) throws IOException {
        if (nativeSocket != null) {
            nativeSocket.setOption(option, value);
        } else {
            network().setOption(option, value);
        }
    }

    @Override
    public <T> T getOption(SocketOption<T> option) throws IOException {
        return nativeSocket != null ? nativeSocket.getOption(option) : network().getOption(option);
    }

    @Override
    public SocketAddress localAddress() throws IOException {
        if (nativeSocket != null) {
            return nativeSocket.localAddress();
        }
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
        if (nativeSocket != null) {
            return nativeSocket.remoteAddress();
        }
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
        if (nativeSocket instanceof StreamSocket stream) {
            stream.bind(local);
        } else if (nativeSocket instanceof DatagramSocket datagram) {
            datagram.bind(local);
        } else {
            network().bind(local);
        }
    }

    @Override
    public void listen(SocketAddress local, int backlog) throws IOException {
        if (nativeSocket instanceof ListeningSocket listening) {
            listening.bind(local, backlog);
        } else {
            ((ServerSocketChannel) channel).bind(local, backlog);
        }
    }

    @Override
    public void connectDatagram(SocketAddress remote) throws IOException {
        if (nativeSocket instanceof DatagramSocket datagram) {
            datagram.connect(remote);
            return;
        }
        ((DatagramChannel) channel).connect(remote);
    }

    @Override
    public void shutdownOutput() throws IOException {
        if (nativeSocket instanceof StreamSocket stream) {
            stream.shutdownOutput();
        } else {
            ((SocketChannel) channel).shutdownOutput();
        }
    }

    /** The NIO channel, or null for a native socket (as the epoll loop's sockets show none). */
    @Override
    public Object channel() {
        return channel;
    }

    @Override
    public boolean isOpen() {
        return nativeSocket != null ? nativeSocket.isOpen() : channel.isOpen();
    }

    @Override
    public int fileno() {
        return isOpen() ? fd : -1;
    }

    @Override
    public ProtocolFamily family() throws IOException {
        return nativeSocket != null ? nativeSocket.family() : ProactorSocket.super.family();
    }

    @Override
    public void close() throws IOException {
        if (isOpen() && nativeSocket instanceof ListeningSocket) {
            // Stop listening now: a pending accept keeps the socket alive until its cancellation has
            // run in the kernel, and asyncio's server refuses connections from the moment it closes.
            Kernel.libc().shutdown(fd, Kernel.SHUT_RDWR);
        }
        if (isOpen() && !pending.isEmpty()) {
            // Nothing pending, nothing to cancel (and a child discarded off the loop thread must not touch the ring).
            port.abort(this);
        }
        if (nativeSocket != null) {
            nativeSocket.close();
        } else {
            channel.close();
        }
    }

    @Override
    public String toString() {
        return "<UringSocket fd=" + fd + " " + (nativeSocket != null ? nativeSocket : channel) + ">";
    }
}
