package asyncio.uring;

import asyncio.uring.ffi.Kernel;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * {@code struct sockaddr_in}/{@code sockaddr_in6}/{@code sockaddr_un} for the datagram messages, and the exceptions
 * for the errors the ring reports, typed as NIO types them (as asyncio.epoll's Errors does).
 */
final class Sockaddrs {
    static final int STORAGE_SIZE = 128;
    private static final int AF_UNIX = 1;
    private static final int AF_INET = 2;
    private static final int SUN_PATH_SIZE = 108;
    /** Unix paths are file names: encoded as the JDK encodes them. */
    private static final Charset PATH_CHARSET = pathCharset();
    private static final int AF_INET6 = 10;

    private Sockaddrs() {
    }

    /** Writes {@code address} at {@code offset}; on an AF_INET6 socket an IPv4 address is mapped. Returns its length. */
    static int encode(SocketAddress address, boolean inet6, ByteBuffer into, int offset) throws IOException {
        if (address instanceof UnixDomainSocketAddress unix) {
            return encodeUnix(unix, into, offset);
        }
        if (!(address instanceof InetSocketAddress inet) || inet.isUnresolved()) {
            throw new IllegalArgumentException("not a resolved IP socket address: " + address);
        }
        InetAddress ip = inet.getAddress();
        int port = inet.getPort();
        for (int i = 0; i < 28; i += 4) {
            into.putInt(offset + i, 0);
        }
        into.put(offset + 2, (byte) (port >>> 8));
        into.put(offset + 3, (byte) port);
        if (ip instanceof Inet4Address && !inet6) {
            into.putShort(offset, (short) AF_INET);
            into.put(offset + 4, ip.getAddress());
            return 16;
        }
        if (ip instanceof Inet6Address && !inet6) {
            throw new SocketException("Protocol family unavailable");
        }
        into.putShort(offset, (short) AF_INET6);
        byte[] bytes = ip.getAddress();
        if (bytes.length == 4) {
            into.put(offset + 8 + 10, (byte) 0xff);
            into.put(offset + 8 + 11, (byte) 0xff);
            into.put(offset + 8 + 12, bytes);
        } else {
            into.put(offset + 8, bytes);
            into.putInt(offset + 24, ((Inet6Address) ip).getScopeId());
        }
        return 28;
    }

    /** {@code struct sockaddr_un}: the family, then the path NUL-terminated (the JDK's file name encoding). */
    private static int encodeUnix(UnixDomainSocketAddress address, ByteBuffer into, int offset) throws IOException {
        byte[] path = address.getPath().toString().getBytes(PATH_CHARSET);
        if (path.length >= SUN_PATH_SIZE) {
            throw new SocketException("Unix domain path too long");
        }
        into.putShort(offset, (short) AF_UNIX);
        into.put(offset + 2, path);
        into.put(offset + 2 + path.length, (byte) 0);
        return 2 + path.length + 1;
    }

    /**
     * Reads the address the kernel wrote at {@code offset}; IPv4-mapped IPv6 comes back as IPv4, as
     * NIO gives it, and a Unix sender without a name (length 0 or just the family) as the empty path,
     * as the epoll loop gives it.
     */
    static SocketAddress decode(ByteBuffer from, int offset, int length) {
        int family = length < 2 ? AF_UNIX : from.getShort(offset);
        if (family == AF_UNIX) {
            int end = offset + 2;
            int limit = offset + Math.min(length, 2 + SUN_PATH_SIZE);
            while (end < limit && from.get(end) != 0) {
                end++;
            }
            byte[] path = new byte[Math.max(0, end - offset - 2)];
            from.get(offset + 2, path);
            return UnixDomainSocketAddress.of(new String(path, PATH_CHARSET));
        }
        int port = ((from.get(offset + 2) & 0xff) << 8) | (from.get(offset + 3) & 0xff);
        try {
            if (family == AF_INET) {
                byte[] bytes = new byte[4];
                from.get(offset + 4, bytes);
                return new InetSocketAddress(InetAddress.getByAddress(bytes), port);
            }
            if (family == AF_INET6 && length >= 24) {
                byte[] bytes = new byte[16];
                from.get(offset + 8, bytes);
                int scope = from.getInt(offset + 24);
                InetAddress ip = InetAddress.getByAddress(bytes);
                if (ip instanceof Inet6Address && scope != 0) {
                    ip = Inet6Address.getByAddress(null, bytes, scope);
                }
                return new InetSocketAddress(ip, port);
            }
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
        return null;
    }

    private static Charset pathCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException unknown) {
            return StandardCharsets.UTF_8;
        }
    }

    /** The exception for a failed operation, typed as NIO's socket calls type it. */
    static IOException error(int errno, String what, boolean datagram) {
        String text = Kernel.strerror(errno);
        if (text == null || text.isEmpty()) {
            text = "errno " + errno;
        }
        return switch (errno) {
            case 111 -> datagram ? new PortUnreachableException(text) : new ConnectException(text); // ECONNREFUSED
            case 110 -> new ConnectException(text);                                             // ETIMEDOUT
            case 113 -> new NoRouteToHostException(text);                                       // EHOSTUNREACH
            case 98, 99 -> new BindException(text);                                             // EADDRINUSE, EADDRNOTAVAIL
            case 104 -> what.startsWith("recv") ? new SocketException("Connection reset") : new IOException(text);
            case 32 -> what.startsWith("recv") ? new SocketException("Connection reset") : new IOException(text);
            default -> datagram ? new SocketException(text + " (" + what + ")") : new IOException(text + " (" + what + ")");
        };
    }
}
