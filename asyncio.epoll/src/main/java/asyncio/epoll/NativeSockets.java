package asyncio.epoll;

import asyncio.epoll.ffi.Native;
import asyncio.spi.DatagramSocket;
import asyncio.spi.ListeningSocket;
import asyncio.spi.LoopSocket;
import asyncio.spi.StreamSocket;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * Not API: this loop's native sockets (raw non-blocking descriptors that behave as NIO channels:
 * options, addresses, states and exceptions) lent to {@code asyncio.uring}, whose ring accepts and
 * connects on descriptors, which a NIO channel cannot adopt. The ring moves the bytes; these
 * sockets do what is done at once (bind, listen, options, addresses, half-close, close). One per
 * loop, confined to its thread, as its scratch memory is.
 */
public final class NativeSockets {
    private final NativeIo io = new NativeIo();

    /** Scratch memory for one loop thread. */
    public NativeSockets() {
    }

    /** A new unconnected stream socket of {@code family} (INET, INET6, UNIX; null: dual-stack IPv6). */
    public StreamSocket openStream(ProtocolFamily family) throws IOException {
        return NativeStreamSocket.open(io, family);
    }

    /** A new unbound listening socket of {@code family}, as {@code ServerSocketChannel.open} makes it. */
    public ListeningSocket openListening(ProtocolFamily family) throws IOException {
        return NativeListeningSocket.open(io, family);
    }

    /** A new unbound datagram socket of {@code family} (INET, INET6, UNIX; null: dual-stack IPv6). */
    public DatagramSocket openDatagram(ProtocolFamily family) throws IOException {
        return NativeDatagramSocket.open(io, family);
    }

    /**
     * The connection {@code fd} a completion kernel accepted on {@code listener} (non-blocking,
     * close-on-exec); its peer is read from the kernel. Closes {@code fd} if that fails.
     */
    public StreamSocket accepted(ListeningSocket listener, int fd) throws IOException {
        int family = ((NativeListeningSocket) listener).family;
        io.socklen(NativeIo.SOCKADDR_SIZE);
        if (BaseNativeSocket.C.getpeername(fd, io.sockaddrAddress(), io.socklenAddress()) < 0) {
            int errno = Native.errno();
            BaseNativeSocket.C.close(fd);
            throw Errors.socketFailed(errno, "getpeername");
        }
        try {
            return NativeStreamSocket.accepted(io, fd, family, Sockaddr.decode(io, io.socklen()));
        } catch (RuntimeException failed) {
            BaseNativeSocket.C.close(fd);
            throw failed;
        }
    }

    /**
     * Writes {@code remote} as the {@code sockaddr} {@code socket} connects to into {@code into}
     * (at its start; it needs 128 bytes) and returns its length, throwing as NIO's connect does
     * for an address the socket cannot take.
     */
    public int encode(StreamSocket socket, SocketAddress remote, ByteBuffer into) throws IOException {
        int length = Sockaddr.encode(io, remote, ((NativeStreamSocket) socket).family);
        into.put(0, io.scratch(), 0, length);
        return length;
    }

    /** Marks {@code socket} connected to {@code remote} by a completion kernel's connect. */
    public void connected(StreamSocket socket, SocketAddress remote) {
        ((NativeStreamSocket) socket).connectedBy(remote);
    }

    /**
     * {@code socket} as the target of {@code FileChannel.transferTo}, which then copies the file
     * through the JDK's buffer (the JDK hides a file channel's descriptor from sendfile(2)), as
     * the epoll loop sends files. Does not own the socket.
     */
    public WritableByteChannel writableChannel(StreamSocket socket) {
        return new NativeWritableChannel((NativeStreamSocket) socket);
    }

    /** The exception NIO gives for a socket call ({@code what}) failing with {@code errno}. */
    public static IOException error(int errno, String what) {
        return Errors.socketFailed(errno, what);
    }

    /** The descriptor of a socket this class made; -1 once closed. */
    public static int fd(LoopSocket socket) {
        return ((NativeSocket) socket).fd();
    }
}
