package asyncio.windows;

import static asyncio.windows.ffi.WinApi.AF_INET;
import static asyncio.windows.ffi.WinApi.AF_INET6;

import asyncio.windows.ffi.Offsets;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/** Winsock's {@code sockaddr_in}/{@code sockaddr_in6} (AF_INET6 is 23 on Windows), at the offsets the layout check verifies. */
final class Sockaddrs {
    private Sockaddrs() {
    }

    /** Writes {@code address} at {@code offset}; on an AF_INET6 socket an IPv4 address is mapped. Returns its length. */
    static int encode(SocketAddress address, boolean inet6, ByteBuffer into, int offset) throws SocketException {
        if (!(address instanceof InetSocketAddress inet) || inet.isUnresolved()) {
            throw new IllegalArgumentException("not a resolved IP socket address: " + address);
        }
        InetAddress ip = inet.getAddress();
        int port = inet.getPort();
        for (int i = 0; i < Offsets.SOCKADDR_IN6_SIZE; i++) {
            into.put(offset + i, (byte) 0);
        }
        if (ip instanceof Inet4Address && !inet6) {
            into.putShort(offset + Offsets.SIN_FAMILY, (short) AF_INET);
            putPort(into, offset + Offsets.SIN_PORT, port);
            into.put(offset + Offsets.SIN_ADDR, ip.getAddress());
            return Offsets.SOCKADDR_IN_SIZE;
        }
        if (ip instanceof Inet6Address && !inet6) {
            throw new SocketException("Protocol family unavailable");
        }
        into.putShort(offset + Offsets.SIN6_FAMILY, (short) AF_INET6);
        putPort(into, offset + Offsets.SIN6_PORT, port);
        byte[] bytes = ip.getAddress();
        if (bytes.length == 4) {
            into.put(offset + Offsets.SIN6_ADDR + 10, (byte) 0xff);
            into.put(offset + Offsets.SIN6_ADDR + 11, (byte) 0xff);
            into.put(offset + Offsets.SIN6_ADDR + 12, bytes);
        } else {
            into.put(offset + Offsets.SIN6_ADDR, bytes);
            into.putInt(offset + Offsets.SIN6_SCOPE_ID, ((Inet6Address) ip).getScopeId());
        }
        return Offsets.SOCKADDR_IN6_SIZE;
    }

    private static void putPort(ByteBuffer into, int at, int port) {
        into.put(at, (byte) (port >>> 8));
        into.put(at + 1, (byte) port);
    }

    /** Reads the address Winsock wrote at {@code offset}; IPv4-mapped IPv6 comes back as IPv4, as NIO gives it. */
    static SocketAddress decode(ByteBuffer from, int offset, int length) {
        int family = from.getShort(offset) & 0xffff;
        int portAt = offset + (family == AF_INET ? Offsets.SIN_PORT : Offsets.SIN6_PORT);
        int port = ((from.get(portAt) & 0xff) << 8) | (from.get(portAt + 1) & 0xff);
        try {
            if (family == AF_INET && length >= Offsets.SOCKADDR_IN_SIZE) {
                byte[] bytes = new byte[4];
                from.get(offset + Offsets.SIN_ADDR, bytes);
                return new InetSocketAddress(InetAddress.getByAddress(bytes), port);
            }
            if (family == AF_INET6 && length >= Offsets.SOCKADDR_IN6_SIZE) {
                byte[] bytes = new byte[16];
                from.get(offset + Offsets.SIN6_ADDR, bytes);
                int scope = from.getInt(offset + Offsets.SIN6_SCOPE_ID);
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
}
