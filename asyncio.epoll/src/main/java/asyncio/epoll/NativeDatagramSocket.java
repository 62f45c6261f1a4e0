package asyncio.epoll;

import static asyncio.epoll.ffi.Native.AF_UNIX;
import static asyncio.epoll.ffi.Native.EAGAIN;
import static asyncio.epoll.ffi.Native.EINTR;
import static asyncio.epoll.ffi.Native.MSG_NOSIGNAL;
import static asyncio.epoll.ffi.Native.SOCK_DGRAM;

import asyncio.epoll.ffi.Native;
import asyncio.spi.DatagramSocket;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.NotYetConnectedException;
import java.util.Objects;

/**
 * A UDP (or Unix datagram) socket over a raw non-blocking descriptor, behaving as a non-blocking
 * {@code DatagramChannel}, except that an empty datagram can be sent on a connected socket too.
 */
final class NativeDatagramSocket extends BaseNativeSocket implements DatagramSocket {
    /** recv flag: do not wait, whatever the descriptor's mode. */
    private static final int MSG_DONTWAIT = 0x40;

    private boolean bound;
    private SocketAddress remote;

    private NativeDatagramSocket(NativeIo io, int fd, int family) {
        super(io, fd, family, Options.Kind.DATAGRAM);
    }

    /** A new unbound datagram socket of {@code family} (INET, INET6, UNIX; null: dual-stack IPv6). */
    static NativeDatagramSocket open(NativeIo io, ProtocolFamily family) throws IOException {
        Descriptor opened = socket(io, family, SOCK_DGRAM);
        return new NativeDatagramSocket(io, opened.fd(), opened.family());
    }

    @Override
    boolean hasLocalAddress() {
        return bound;
    }

    @Override
    public void bind(SocketAddress local) throws IOException {
        openFd();
        if (bound) {
            throw new AlreadyBoundException();
        }
        bindTo(local);
        bound = true;
    }

    @Override
    public void connect(SocketAddress remote) throws IOException {
        int fd = openFd();
        if (this.remote != null) {
            throw new AlreadyConnectedException();
        }
        int length = Sockaddr.encode(io, Objects.requireNonNull(remote, "remote"), family);
        if (C.connect(fd, io.sockaddrAddress(), length) < 0) {
            throw Errors.socketFailed(Native.errno(), "connect");
        }
        this.remote = remote;
        // Connecting binds an unbound socket and may narrow a wildcard one to the route's address.
        bound = bound || family != AF_UNIX;
        localAddressChanged();
        discardQueued(fd);
    }

    /**
     * Drops the datagrams queued before the connect, as NIO does: they came from anyone, and a
     * connected socket promises only its peer's. A zero-length iovec makes each receive a discard.
     */
    private void discardQueued(int fd) {
        io.iovec(0, io.stagingAddress(), 0);
        long n;
        do {
            n = C.recvmsg(fd, io.msghdr(0, 0, 1), MSG_DONTWAIT);
        } while (n >= 0 || Native.errno() == EINTR);
    }

    @Override
    public SocketAddress remoteAddress() throws IOException {
        openFd();
        return remote;
    }

    @Override
    public SocketAddress receive(ByteBuffer target) throws IOException {
        if (target.isReadOnly()) {
            throw new IllegalArgumentException("Read-only buffer");
        }
        int fd = openFd();
        if (!bound && family != AF_UNIX) {
            // NIO binds an unbound socket before receiving, or nothing could ever arrive.
            bind(null);
        }
        int position = target.position();
        int wanted = target.limit() - position;
        boolean direct = target.isDirect();
        long address = direct ? io.address(target) + position : io.stagingAddress();
        long count = direct ? wanted : Math.min(wanted, NativeIo.STAGING_SIZE);
        io.iovec(0, address, count);
        long n;
        do {
            n = C.recvmsg(fd, io.msghdr(io.sockaddrAddress(), NativeIo.SOCKADDR_SIZE, 1), 0);
        } while (n < 0 && Native.errno() == EINTR);
        if (n < 0) {
            int errno = Native.errno();
            if (errno == EAGAIN) {
                return null;
            }
            throw Errors.datagramFailed(errno, "recvmsg");
        }
        if (!direct) {
            target.put(position, io.staging(), 0, (int) n);
        }
        target.position(position + (int) n);
        return Sockaddr.decode(io, io.msghdrNameLength());
    }

    @Override
    public boolean send(ByteBuffer source) throws IOException {
        int fd = openFd();
        if (remote == null) {
            throw new NotYetConnectedException();
        }
        return transmit(fd, source, 0, 0);
    }

    @Override
    public boolean sendTo(ByteBuffer source, SocketAddress target) throws IOException {
        int fd = openFd();
        Objects.requireNonNull(target, "target");
        if (remote != null) {
            if (!target.equals(remote)) {
                throw new AlreadyConnectedException();
            }
            return transmit(fd, source, 0, 0);
        }
        int length = Sockaddr.encode(io, target, family);
        boolean sent = transmit(fd, source, io.sockaddrAddress(), length);
        // The kernel binds an unbound UDP socket to an ephemeral port on the first send.
        bound = bound || family != AF_UNIX;
        return sent;
    }

    /** One sendmsg of the whole of {@code source}, to the encoded address if {@code addressLength} > 0. */
    private boolean transmit(int fd, ByteBuffer source, long address, int addressLength) throws IOException {
        int position = source.position();
        int size = source.limit() - position;
        long data;
        if (source.isDirect()) {
            data = io.address(source) + position;
        } else {
            if (size > NativeIo.STAGING_SIZE) {
                // Larger than any datagram the kernel takes (UDP's limit is 65507 bytes): say so as it would.
                throw new SocketException("Message too long");
            }
            io.staging().put(0, source, position, size);
            data = io.stagingAddress();
        }
        io.iovec(0, data, size);
        long n;
        do {
            n = C.sendmsg(fd, io.msghdr(address, addressLength, 1), MSG_NOSIGNAL);
        } while (n < 0 && Native.errno() == EINTR);
        if (n < 0) {
            int errno = Native.errno();
            if (errno == EAGAIN) {
                return false;
            }
            throw Errors.datagramFailed(errno, "sendmsg");
        }
        source.position(source.limit());
        return true;
    }
}
