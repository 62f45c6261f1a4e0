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
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * {@code struct sockaddr_in}/{@code sockaddr_in6} for the datagram messages, and the exceptions
 * for the errors the ring reports, typed as NIO types them (as asyncio.epoll's Errors does).
 */
final class Sockaddrs {
    static final int STORAGE_SIZE = 128;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;

    private Sockaddrs() {
    }

    /** Writes {@code address} at {@code offset}; on an AF_INET6 socket an IPv4 address is mapped. Returns its length. */
    static int encode(SocketAddress address, boolean inet6, ByteBuffer into, int offset) throws IOException {
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

    /** Reads the address the kernel wrote at {@code offset}; IPv4-mapped IPv6 comes back as IPv4, as NIO gives it. */
    static SocketAddress decode(ByteBuffer from, int offset, int length) {
        int family = from.getShort(offset);
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
