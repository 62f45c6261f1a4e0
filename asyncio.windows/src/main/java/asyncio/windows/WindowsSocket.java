package asyncio.windows;

import static asyncio.windows.ffi.WinApi.*;

import asyncio.spi.proactor.ProactorSocket;
import asyncio.windows.ffi.Offsets;
import asyncio.windows.ffi.Win32;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;

/**
 * A SOCKET of the IOCP loop: made overlapped by WSASocketW, associated with the loop's completion
 * port at once (CreateIoCompletionPort, key 0) and told not to signal its handle on completion
 * (SetFileCompletionNotificationModes, FILE_SKIP_SET_EVENT_ON_HANDLE). What is done at once (bind,
 * listen, options, addresses, shutdown, closesocket) is a plain Winsock call; transfers go through
 * the port. An adopted application channel (sock_*, pipes) is the same but keeps its NIO channel,
 * which closing closes.
 */
final class WindowsSocket implements ProactorSocket {
    private final IocpCompletionPort port;
    private final Win32 win32;
    final long handle;
    /** AF_INET or AF_INET6 (0 for a pipe end). */
    final int family;
    private final int type;
    /** The application's channel this socket adopted, or null for a socket of the loop's own. */
    private final Channel adopted;
    private boolean closed;
    private boolean bound;
    /** Set but not applied (see {@link #setOption}). */
    private boolean reuseAddress;
    /** Operations of this socket in the kernel. */
    int pending;

    private WindowsSocket(IocpCompletionPort port, long handle, int family, int type, Channel adopted) {
        this.port = port;
        this.win32 = port.win32;
        this.handle = handle;
        this.family = family;
        this.type = type;
        this.adopted = adopted;
    }

    /** A new overlapped socket associated with {@code port}. */
    static WindowsSocket open(IocpCompletionPort port, int family, int type) throws IOException {
        Win32 win32 = port.win32;
        int protocol = type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
        long handle = win32.WSASocketW(family, type, protocol, 0, 0, WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
        if (handle == INVALID_SOCKET) {
            throw WinErrors.exception(win32.lastError(), "WSASocketW");
        }
        WindowsSocket socket = new WindowsSocket(port, handle, family, type, null);
        try {
            socket.associate();
        } catch (IOException failed) {
            socket.closeQuietly();
            throw failed;
        }
        return socket;
    }

    /** The application's channel (its SOCKET or pipe handle) made usable with the port. */
    static WindowsSocket adopt(IocpCompletionPort port, Channel channel, long handle, int family, int type)
            throws IOException {
        WindowsSocket socket = new WindowsSocket(port, handle, family, type, channel);
        socket.associate();
        return socket;
    }

    private void associate() throws IOException {
        if (win32.CreateIoCompletionPort(handle, port.handle, IocpCompletionPort.OPERATION_KEY, 0) == 0) {
            throw WinErrors.exception(win32.lastError(), "CreateIoCompletionPort");
        }
        if (win32.SetFileCompletionNotificationModes(handle, (byte) FILE_SKIP_SET_EVENT_ON_HANDLE) == 0) {
            throw WinErrors.exception(win32.lastError(), "SetFileCompletionNotificationModes");
        }
    }

    /** ConnectEx refuses an unbound socket: bind it to the wildcard address of its family, any port. */
    void bindAnyIfUnbound() throws IOException {
        if (!bound && localAddress() == null) {
            bind(new InetSocketAddress(InetAddress.getByName(family == AF_INET6 ? "::" : "0.0.0.0"), 0));
        }
    }

    @Override
    public void bind(SocketAddress local) throws IOException {
        checkOpen();
        ByteBuffer scratch = port.scratch;
        int length = Sockaddrs.encode(local, family == AF_INET6, scratch, 0);
        if (win32.bind(handle, port.scratchAddress, length) != 0) {
            throw WinErrors.exception(win32.lastError(), "bind");
        }
        bound = true;
    }

    @Override
    public void listen(SocketAddress local, int backlog) throws IOException {
        bind(local);
        if (win32.listen(handle, backlog) != 0) {
            throw WinErrors.exception(win32.lastError(), "listen");
        }
    }

    @Override
    public void connectDatagram(SocketAddress remote) throws IOException {
        checkOpen();
        int length = Sockaddrs.encode(remote, family == AF_INET6, port.scratch, 0);
        if (win32.connect(handle, port.scratchAddress, length) != 0) {
            throw WinErrors.exception(win32.lastError(), "connect", true);
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        checkOpen();
        if (win32.shutdown(handle, SD_SEND) != 0) {
            throw WinErrors.exception(win32.lastError(), "shutdown");
        }
    }

    @Override
    public SocketAddress localAddress() throws IOException {
        return address(true);
    }

    @Override
    public SocketAddress remoteAddress() throws IOException {
        return type == SOCK_STREAM || type == SOCK_DGRAM ? address(false) : null;
    }

    /** getsockname/getpeername; null when unbound or unconnected (WSAEINVAL, WSAENOTCONN), as NIO answers. */
    private SocketAddress address(boolean local) throws IOException {
        checkOpen();
        if (family == 0) {
            return null;
        }
        ByteBuffer scratch = port.scratch;
        int lengthAt = Offsets.SOCKADDR_STORAGE_SIZE;
        scratch.putInt(lengthAt, Offsets.SOCKADDR_STORAGE_SIZE);
        long name = port.scratchAddress;
        int result = local ? win32.getsockname(handle, name, name + lengthAt)
                : win32.getpeername(handle, name, name + lengthAt);
        if (result != 0) {
            int error = win32.lastError();
            if (error == WSAEINVAL || error == WSAENOTCONN) {
                return null;
            }
            throw WinErrors.exception(error, local ? "getsockname" : "getpeername");
        }
        return Sockaddrs.decode(scratch, 0, scratch.getInt(lengthAt));
    }

    /**
     * Sets an option with setsockopt. SO_REUSEADDR is remembered, not applied: on Windows it lets
     * another socket take over a port in use, which is why CPython's asyncio never sets it there.
     */
    @Override
    public <T> void setOption(SocketOption<T> option, T value) throws IOException {
        checkOpen();
        if (option == StandardSocketOptions.SO_REUSEADDR) {
            reuseAddress = (Boolean) value;
            return;
        }
        int[] name = optionName(option);
        ByteBuffer scratch = port.scratch;
        int length = 4;
        if (option == StandardSocketOptions.SO_LINGER) {
            int seconds = (Integer) value;
            scratch.putShort(0, (short) (seconds >= 0 ? 1 : 0));   // struct linger { u_short l_onoff; u_short l_linger; }
            scratch.putShort(2, (short) Math.max(0, seconds));
        } else if (value instanceof Boolean flag) {
            scratch.putInt(0, flag ? 1 : 0);
        } else {
            scratch.putInt(0, (Integer) value);
        }
        if (win32.setsockopt(handle, name[0], name[1], port.scratchAddress, length) != 0) {
            throw WinErrors.exception(win32.lastError(), "setsockopt(" + option.name() + ")");
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getOption(SocketOption<T> option) throws IOException {
        checkOpen();
        if (option == StandardSocketOptions.SO_REUSEADDR) {
            return (T) Boolean.valueOf(reuseAddress);
        }
        int[] name = optionName(option);
        ByteBuffer scratch = port.scratch;
        scratch.putInt(0, 0);
        scratch.putInt(8, 4);
        if (win32.getsockopt(handle, name[0], name[1], port.scratchAddress, port.scratchAddress + 8) != 0) {
            throw WinErrors.exception(win32.lastError(), "getsockopt(" + option.name() + ")");
        }
        if (option == StandardSocketOptions.SO_LINGER) {
            return (T) Integer.valueOf(scratch.getShort(0) != 0 ? scratch.getShort(2) & 0xffff : -1);
        }
        if (option.type() == Boolean.class) {
            return (T) Boolean.valueOf(scratch.get(0) != 0);
        }
        return (T) Integer.valueOf(scratch.getInt(0));
    }

    /** {level, name} of a standard option. */
    private int[] optionName(SocketOption<?> option) {
        if (option == StandardSocketOptions.TCP_NODELAY) {
            return new int[] {IPPROTO_TCP, TCP_NODELAY};
        } else if (option == StandardSocketOptions.SO_KEEPALIVE) {
            return new int[] {SOL_SOCKET, SO_KEEPALIVE};
        } else if (option == StandardSocketOptions.SO_BROADCAST) {
            return new int[] {SOL_SOCKET, SO_BROADCAST};
        } else if (option == StandardSocketOptions.SO_SNDBUF) {
            return new int[] {SOL_SOCKET, SO_SNDBUF};
        } else if (option == StandardSocketOptions.SO_RCVBUF) {
            return new int[] {SOL_SOCKET, SO_RCVBUF};
        } else if (option == StandardSocketOptions.SO_LINGER) {
            return new int[] {SOL_SOCKET, SO_LINGER};
        } else if (option == StandardSocketOptions.IP_TOS) {
            return new int[] {IPPROTO_IP, IP_TOS};
        } else if (option == StandardSocketOptions.IP_MULTICAST_TTL) {
            return new int[] {IPPROTO_IP, IP_MULTICAST_TTL};
        } else if (option == StandardSocketOptions.IP_MULTICAST_LOOP) {
            return new int[] {IPPROTO_IP, IP_MULTICAST_LOOP};
        }
        throw new UnsupportedOperationException("'" + option.name() + "' is not supported by the Windows loop's sockets");
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("[WinError " + WSAENOTSOCK + "] " + WinErrors.describe(WSAENOTSOCK));
        }
    }

    @Override
    public Object channel() {
        return adopted != null ? adopted : this;
    }

    @Override
    public boolean isOpen() {
        return !closed && (adopted == null || adopted.isOpen());
    }

    /**
     * closesocket (or the adopted channel's close): Windows aborts the socket's pending operations,
     * whose completions still come, with ERROR_OPERATION_ABORTED; their memory stays with them
     * until then.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (adopted != null) {
            adopted.close();
        } else if (win32.closesocket(handle) != 0) {
            throw WinErrors.exception(win32.lastError(), "closesocket");
        }
    }

    void closeQuietly() {
        try {
            close();
        } catch (IOException ignored) {
            // a socket nobody saw yet (a failed accept): nothing to report
        }
    }

    @Override
    public String toString() {
        return "<WindowsSocket handle=" + handle + (closed ? " closed" : "") + ">";
    }
}
