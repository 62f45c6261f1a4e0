package asyncio.epoll;

import static asyncio.epoll.ffi.Native.AF_UNIX;
import static asyncio.epoll.ffi.Native.EAGAIN;
import static asyncio.epoll.ffi.Native.ECONNABORTED;
import static asyncio.epoll.ffi.Native.EINTR;
import static asyncio.epoll.ffi.Native.O_CLOEXEC;
import static asyncio.epoll.ffi.Native.O_NONBLOCK;
import static asyncio.epoll.ffi.Native.SOCK_STREAM;

import asyncio.epoll.ffi.Native;
import asyncio.spi.ListeningSocket;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.NotYetBoundException;

/**
 * A listening TCP or Unix socket over a raw non-blocking descriptor, behaving as a non-blocking
 * {@code ServerSocketChannel}. Accepted connections come non-blocking and close-on-exec from
 * {@code accept4}, with no further call.
 */
final class NativeListeningSocket extends BaseNativeSocket implements ListeningSocket {
    /** NIO's backlog when none (or a non-positive one) is given. */
    private static final int DEFAULT_BACKLOG = 50;

    private boolean bound;

    private NativeListeningSocket(NativeIo io, int fd, int family) {
        super(io, fd, family, Options.Kind.LISTENING);
    }

    /**
     * A new unbound listening socket of {@code family} (INET, INET6, UNIX; null: dual-stack IPv6),
     * with SO_REUSEADDR on as NIO sets it for every TCP server socket.
     */
    static NativeListeningSocket open(NativeIo io, ProtocolFamily family) throws IOException {
        Descriptor opened = socket(io, family, SOCK_STREAM);
        NativeListeningSocket socket = new NativeListeningSocket(io, opened.fd(), opened.family());
        try {
            if (opened.family() != AF_UNIX) {
                socket.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            }
        } catch (IOException | RuntimeException failed) {
            socket.close();
            throw failed;
        }
        return socket;
    }

    @Override
    boolean hasLocalAddress() {
        return bound;
    }

    @Override
    public void bind(SocketAddress local, int backlog) throws IOException {
        int fd = openFd();
        if (bound) {
            throw new AlreadyBoundException();
        }
        bindTo(local);
        if (C.listen(fd, backlog < 1 ? DEFAULT_BACKLOG : backlog) < 0) {
            throw Errors.socketFailed(Native.errno(), "listen");
        }
        bound = true;
    }

    @Override
    public NativeStreamSocket accept() throws IOException {
        int fd = openFd();
        if (!bound) {
            throw new NotYetBoundException();
        }
        while (true) {
            io.socklen(NativeIo.SOCKADDR_SIZE);
            int accepted = C.accept4(fd, io.sockaddrAddress(), io.socklenAddress(), O_NONBLOCK | O_CLOEXEC);
            if (accepted >= 0) {
                return wrap(accepted);
            }
            int errno = Native.errno();
            if (errno == EAGAIN) {
                return null;
            }
            // ECONNABORTED: that client gave up while queued; the next one may be waiting (NIO retries too).
            if (errno != EINTR && errno != ECONNABORTED) {
                throw Errors.socketFailed(errno, "accept");
            }
        }
    }

    private NativeStreamSocket wrap(int accepted) {
        try {
            return NativeStreamSocket.accepted(io, accepted, family, Sockaddr.decode(io, io.socklen()));
        } catch (RuntimeException failed) {
            C.close(accepted);
            throw failed;
        }
    }
}
