package asyncio.epoll;

import static asyncio.epoll.ffi.Native.EAGAIN;
import static asyncio.epoll.ffi.Native.EINPROGRESS;
import static asyncio.epoll.ffi.Native.EINTR;
import static asyncio.epoll.ffi.Native.ENOTCONN;
import static asyncio.epoll.ffi.Native.MSG_NOSIGNAL;
import static asyncio.epoll.ffi.Native.SHUT_WR;
import static asyncio.epoll.ffi.Native.SOCK_STREAM;

import asyncio.epoll.ffi.Native;
import asyncio.spi.StreamSocket;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.NoConnectionPendingException;
import java.nio.channels.NotYetConnectedException;
import java.util.Objects;

/**
 * A TCP or Unix stream socket over a raw non-blocking descriptor, with the states, results and
 * exceptions of a non-blocking {@code SocketChannel}. Heap buffers pass through the
 * {@link NativeIo} staging buffer; direct buffers go to the kernel as they are. One difference:
 * a failed connect leaves the descriptor open (NIO closes the channel), since the loop must take
 * it out of its epoll set before {@link #close()} lets the kernel reuse its number.
 */
final class NativeStreamSocket extends BaseNativeSocket implements StreamSocket {
    private static final int UNCONNECTED = 0;
    private static final int PENDING = 1;
    private static final int CONNECTED = 2;

    private int state;
    private boolean bound;
    private boolean outputShut;
    // The kernel reports a reset once and then EOF; NIO keeps reporting it, so must we.
    private boolean reset;
    private SocketAddress remote;

    private NativeStreamSocket(NativeIo io, int fd, int family, int state, SocketAddress remote) {
        super(io, fd, family, Options.Kind.STREAM);
        this.state = state;
        this.remote = remote;
    }

    /** A new unconnected stream socket of {@code family} (INET, INET6, UNIX; null: dual-stack IPv6). */
    static NativeStreamSocket open(NativeIo io, ProtocolFamily family) throws IOException {
        Descriptor opened = socket(io, family, SOCK_STREAM);
        return new NativeStreamSocket(io, opened.fd(), opened.family(), UNCONNECTED, null);
    }

    /** A connection a listening socket accepted: already connected to {@code remote}. */
    static NativeStreamSocket accepted(NativeIo io, int fd, int family, SocketAddress remote) {
        return new NativeStreamSocket(io, fd, family, CONNECTED, remote);
    }

    @Override
    boolean hasLocalAddress() {
        return bound || state == CONNECTED;
    }

    @Override
    public void bind(SocketAddress local) throws IOException {
        openFd();
        checkNotConnecting();
        if (bound) {
            throw new AlreadyBoundException();
        }
        bindTo(local);
        bound = true;
    }

    private void checkNotConnecting() {
        if (state == CONNECTED) {
            throw new AlreadyConnectedException();
        }
        if (state == PENDING) {
            throw new ConnectionPendingException();
        }
    }

    @Override
    public boolean connect(SocketAddress remote) throws IOException {
        int fd = openFd();
        checkNotConnecting();
        int length = Sockaddr.encode(io, Objects.requireNonNull(remote, "remote"), family);
        if (C.connect(fd, io.sockaddrAddress(), length) == 0) {
            connected(remote);
            return true;
        }
        int errno = Native.errno();
        // Interrupted, a non-blocking connect goes on in the background just as EINPROGRESS says.
        if (errno == EINPROGRESS || errno == EINTR) {
            state = PENDING;
            this.remote = remote;
            return false;
        }
        throw Errors.socketFailed(errno, "connect");
    }

    /** Connected by a completion kernel's connect (asyncio.uring), not by {@link #connect}. */
    void connectedBy(SocketAddress peer) {
        connected(peer);
    }

    private void connected(SocketAddress peer) {
        state = CONNECTED;
        remote = peer;
        localAddressChanged();
    }

    @Override
    public void finishConnect() throws IOException {
        int fd = openFd();
        if (state == CONNECTED) {
            return;
        }
        if (state != PENDING) {
            throw new NoConnectionPendingException();
        }
        int error = Options.getInt(io, fd, Options.SOL_SOCKET, Options.SO_ERROR);
        if (error != 0) {
            state = UNCONNECTED;
            remote = null;
            throw Errors.socketFailed(error, "connect");
        }
        // SO_ERROR is 0 while the handshake is still under way too: only a peer name proves it done.
        io.socklen(NativeIo.SOCKADDR_SIZE);
        if (C.getpeername(fd, io.sockaddrAddress(), io.socklenAddress()) < 0) {
            int errno = Native.errno();
            if (errno == ENOTCONN) {
                throw new IOException("connect did not finish although the socket was reported writable");
            }
            throw Errors.socketFailed(errno, "getpeername");
        }
        connected(remote);
    }

    @Override
    public SocketAddress remoteAddress() throws IOException {
        openFd();
        return remote;
    }

    private int connectedFd() throws ClosedChannelException {
        int fd = openFd();
        if (state != CONNECTED) {
            throw new NotYetConnectedException();
        }
        return fd;
    }

    @Override
    public int read(ByteBuffer target) throws IOException {
        if (target.isReadOnly()) {
            throw new IllegalArgumentException("Read-only buffer");
        }
        int fd = connectedFd();
        if (reset) {
            throw Errors.connectionReset();
        }
        int position = target.position();
        int wanted = target.limit() - position;
        if (wanted == 0) {
            return 0;
        }
        boolean direct = target.isDirect();
        long address = direct ? io.address(target) + position : io.stagingAddress();
        long count = direct ? wanted : Math.min(wanted, NativeIo.STAGING_SIZE);
        long n;
        do {
            n = C.read(fd, address, count);
        } while (n < 0 && Native.errno() == EINTR);
        if (n <= 0) {
            return n == 0 ? -1 : readFailed();
        }
        if (!direct) {
            target.put(position, io.staging(), 0, (int) n);
        }
        target.position(position + (int) n);
        return (int) n;
    }

    private int readFailed() throws IOException {
        int errno = Native.errno();
        if (errno == EAGAIN) {
            return 0;
        }
        if (Errors.isReset(errno)) {
            reset = true;
        }
        throw Errors.readFailed(errno);
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
        int fd = writableFd();
        int position = source.position();
        int remaining = source.limit() - position;
        if (remaining == 0) {
            return 0;
        }
        long address;
        int count;
        if (source.isDirect()) {
            address = io.address(source) + position;
            count = remaining;
        } else {
            count = Math.min(remaining, NativeIo.STAGING_SIZE);
            io.staging().put(0, source, position, count);
            address = io.stagingAddress();
        }
        long n;
        do {
            n = C.send(fd, address, count, MSG_NOSIGNAL);
        } while (n < 0 && Native.errno() == EINTR);
        if (n < 0) {
            return (int) writeFailed();
        }
        source.position(position + (int) n);
        return (int) n;
    }

    /**
     * Sends up to {@code count} bytes of the file open on {@code fileFd}, from {@code position},
     * with sendfile(2): the kernel moves the file's pages to the socket, nothing passes through
     * user space, and the file's own offset does not move. Returns the bytes sent, 0 when the
     * socket buffer is full (or the file ends at {@code position}).
     */
    long sendfile(int fileFd, long position, long count) throws IOException {
        int fd = writableFd();
        long n;
        do {
            io.valueLong(position);
            n = C.sendfile(fd, fileFd, io.valueAddress(), count);
        } while (n < 0 && Native.errno() == EINTR);
        return n < 0 ? writeFailed() : n;
    }

    private int writableFd() throws ClosedChannelException {
        int fd = connectedFd();
        if (outputShut) {
            // NIO's answer to a write after shutdownOutput.
            throw new ClosedChannelException();
        }
        return fd;
    }

    private static long writeFailed() throws IOException {
        int errno = Native.errno();
        if (errno == EAGAIN) {
            return 0;
        }
        throw Errors.writeFailed(errno);
    }

    @Override
    public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, sources.length);
        int fd = writableFd();
        int count = gather(sources, offset, length);
        if (count == 0) {
            return 0;
        }
        long n;
        do {
            n = C.sendmsg(fd, io.msghdr(0, 0, count), MSG_NOSIGNAL);
        } while (n < 0 && Native.errno() == EINTR);
        if (n < 0) {
            return writeFailed();
        }
        advance(sources, offset, length, n);
        return n;
    }

    /**
     * Fills the iovecs with what remains of the buffers, staging heap ones, and returns how many
     * were used. Stops at IOV_MAX or when the staging buffer is full: a shorter write is allowed.
     */
    private int gather(ByteBuffer[] sources, int offset, int length) {
        int count = 0;
        int staged = 0;
        for (int i = offset; i < offset + length && count < NativeIo.IOV_MAX; i++) {
            ByteBuffer source = sources[i];
            int position = source.position();
            int remaining = source.limit() - position;
            if (remaining == 0) {
                continue;
            }
            if (source.isDirect()) {
                io.iovec(count++, io.address(source) + position, remaining);
                continue;
            }
            int taken = Math.min(remaining, NativeIo.STAGING_SIZE - staged);
            if (taken == 0) {
                break;
            }
            io.staging().put(staged, source, position, taken);
            io.iovec(count++, io.stagingAddress() + staged, taken);
            staged += taken;
            if (taken < remaining) {
                break;
            }
        }
        return count;
    }

    private static void advance(ByteBuffer[] sources, int offset, int length, long written) {
        long left = written;
        for (int i = offset; i < offset + length && left > 0; i++) {
            ByteBuffer source = sources[i];
            int taken = (int) Math.min(source.remaining(), left);
            source.position(source.position() + taken);
            left -= taken;
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        int fd = connectedFd();
        // ENOTCONN: the peer has already reset the connection, and there is nothing left to shut (NIO agrees).
        if (C.shutdown(fd, SHUT_WR) < 0 && Native.errno() != ENOTCONN) {
            throw Errors.socketFailed(Native.errno(), "shutdown");
        }
        outputShut = true;
    }
}
