package asyncio.epoll;

import static asyncio.epoll.ffi.Native.AF_INET;
import static asyncio.epoll.ffi.Native.AF_INET6;
import static asyncio.epoll.ffi.Native.AF_UNIX;
import static asyncio.epoll.ffi.Native.O_CLOEXEC;
import static asyncio.epoll.ffi.Native.O_NONBLOCK;

import asyncio.epoll.ffi.LibC;
import asyncio.epoll.ffi.Native;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the three kinds of native socket share: the descriptor and its family, closing, options and
 * the local address. Confined to the loop thread, as its {@link NativeIo} is.
 */
abstract sealed class BaseNativeSocket implements NativeSocket
        permits NativeStreamSocket, NativeListeningSocket, NativeDatagramSocket {
    static final LibC C = Native.libc();
    private static final int EAFNOSUPPORT = 97;

    final NativeIo io;
    /** AF_INET, AF_INET6 (dual-stack) or AF_UNIX. */
    final int family;
    private final Set<SocketOption<?>> options;
    private int fd;
    private SocketAddress local;

    BaseNativeSocket(NativeIo io, int fd, int family, Options.Kind kind) {
        this.io = io;
        this.fd = fd;
        this.family = family;
        this.options = Options.supported(kind, family == AF_UNIX);
    }

    /**
     * A new non-blocking, close-on-exec socket. A null family is IPv6 accepting IPv4 too, or IPv4
     * where the kernel has no IPv6, as {@code SocketChannel.open()} chooses.
     */
    static Descriptor socket(NativeIo io, ProtocolFamily family, int type) throws IOException {
        int domain = domain(family);
        int fd = C.socket(domain, type | O_NONBLOCK | O_CLOEXEC, 0);
        if (fd < 0 && family == null && Native.errno() == EAFNOSUPPORT) {
            domain = AF_INET;
            fd = C.socket(domain, type | O_NONBLOCK | O_CLOEXEC, 0);
        }
        if (fd < 0) {
            throw Errors.socketFailed(Native.errno(), "socket");
        }
        if (domain == AF_INET6) {
            dualStack(io, fd);
        }
        return new Descriptor(fd, domain);
    }

    /** A descriptor just opened, and its address family. */
    record Descriptor(int fd, int family) {
    }

    private static int domain(ProtocolFamily family) {
        if (family == null || family == StandardProtocolFamily.INET6) {
            return AF_INET6;
        }
        if (family == StandardProtocolFamily.INET) {
            return AF_INET;
        }
        if (family == StandardProtocolFamily.UNIX) {
            return AF_UNIX;
        }
        throw new UnsupportedOperationException("Protocol family not supported: " + family);
    }

    // NIO makes every IPv6 socket dual-stack, whichever family was asked for.
    private static void dualStack(NativeIo io, int fd) throws IOException {
        io.valueInt(0, 0);
        if (C.setsockopt(fd, Options.IPPROTO_IPV6, Options.IPV6_V6ONLY, io.valueAddress(), 4) < 0) {
            int errno = Native.errno();
            C.close(fd);
            throw Errors.socketFailed(errno, "setsockopt IPV6_V6ONLY");
        }
    }

    @Override
    public final int fd() {
        return fd;
    }

    /** The descriptor of an open socket; NIO's exception for a closed one. */
    final int openFd() throws ClosedChannelException {
        int current = fd;
        if (current < 0) {
            throw new ClosedChannelException();
        }
        return current;
    }

    @Override
    public final <T> void setOption(SocketOption<T> option, T value) throws IOException {
        Options.checkSettable(options, option, value);
        Options.set(io, openFd(), family, option, value);
    }

    @Override
    public final <T> T getOption(SocketOption<T> option) throws IOException {
        Options.checkSupported(options, option);
        return option.type().cast(Options.get(io, openFd(), family, option));
    }

    /** Whether the socket has a local address yet: NIO says null until it is bound or connected. */
    abstract boolean hasLocalAddress();

    @Override
    public final SocketAddress localAddress() throws IOException {
        int current = openFd();
        if (local == null && hasLocalAddress()) {
            io.socklen(NativeIo.SOCKADDR_SIZE);
            if (C.getsockname(current, io.sockaddrAddress(), io.socklenAddress()) < 0) {
                throw Errors.socketFailed(Native.errno(), "getsockname");
            }
            local = Sockaddr.decode(io, io.socklen());
        }
        return local;
    }

    /** Forgets the cached local address: a connect may have chosen a more precise one. */
    final void localAddressChanged() {
        local = null;
    }

    /** Binds to {@code address}, or where NIO binds for null: the wildcard, or a fresh temporary Unix path. */
    final void bindTo(SocketAddress address) throws IOException {
        int current = openFd();
        int length;
        if (address != null) {
            length = Sockaddr.encode(io, address, family);
        } else if (family == AF_UNIX) {
            length = Sockaddr.encode(io, temporaryUnixAddress(), family);
        } else {
            length = Sockaddr.encodeWildcard(io, family);
        }
        if (C.bind(current, io.sockaddrAddress(), length) < 0) {
            throw Errors.socketFailed(Native.errno(), "bind");
        }
        local = null;
    }

    private static UnixDomainSocketAddress temporaryUnixAddress() {
        String directory = System.getProperty("jdk.net.unixdomain.tmpdir", System.getProperty("java.io.tmpdir"));
        int random = ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE);
        return UnixDomainSocketAddress.of(Path.of(directory, "socket_" + random));
    }

    /** Closes the descriptor once; the loop must have stopped watching it, since its number is reused at once. */
    @Override
    public final void close() {
        int current = fd;
        if (current >= 0) {
            fd = -1;
            // Never retried, even on EINTR: Linux has released the descriptor whatever close says.
            C.close(current);
        }
    }

    @Override
    public final int fileno() {
        return fd;
    }

    @Override
    public final ProtocolFamily family() {
        return family == AF_UNIX ? StandardProtocolFamily.UNIX
                : family == AF_INET ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
    }

    /** Open until {@link #close()}: asked of this object, never of the descriptor number, which may be reused. */
    @Override
    public final boolean isOpen() {
        return fd >= 0;
    }

    @Override
    public final Object channel() {
        return null;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[fd=" + fd + "]";
    }
}
