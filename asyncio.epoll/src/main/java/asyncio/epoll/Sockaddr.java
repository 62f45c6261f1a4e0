package asyncio.epoll;

import static asyncio.epoll.ffi.Native.AF_INET;
import static asyncio.epoll.ffi.Native.AF_INET6;
import static asyncio.epoll.ffi.Native.AF_UNIX;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * {@code sockaddr_in}, {@code sockaddr_in6} and {@code sockaddr_un} to and from Java addresses,
 * in {@link NativeIo}'s scratch memory. Addresses come out as NIO gives them: an IPv4-mapped
 * IPv6 address as IPv4, an unnamed Unix socket as the empty path.
 */
final class Sockaddr {
    static final int SOCKADDR_IN_SIZE = 16;
    static final int SOCKADDR_IN6_SIZE = 28;
    private static final int SUN_PATH_OFFSET = 2;
    private static final int SUN_PATH_SIZE = 108;
    // Unix paths are file names: encoded as the JDK encodes file names.
    private static final Charset PATH_CHARSET = pathCharset();
    private static final byte[] ZEROS = new byte[SOCKADDR_IN6_SIZE];

    private Sockaddr() {
    }

    private static Charset pathCharset() {
        String name = System.getProperty("sun.jnu.encoding");
        try {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (IllegalArgumentException unknown) {
            return StandardCharsets.UTF_8;
        }
    }

    /**
     * Writes {@code address} for a socket of {@code family} into the scratch sockaddr and returns
     * its length. Throws as NIO does for an address the socket cannot take.
     */
    static int encode(NativeIo io, SocketAddress address, int family) throws SocketException {
        Objects.requireNonNull(address, "address");
        if (family == AF_UNIX) {
            if (!(address instanceof UnixDomainSocketAddress unix)) {
                throw new UnsupportedAddressTypeException();
            }
            return encodeUnix(io.scratch(), unix);
        }
        if (!(address instanceof InetSocketAddress inet)) {
            throw new UnsupportedAddressTypeException();
        }
        if (inet.isUnresolved()) {
            throw new UnresolvedAddressException();
        }
        return encodeInet(io.scratch(), inet.getAddress(), inet.getPort(), family);
    }

    /** The wildcard address, port 0, of {@code family} (INET or INET6). */
    static int encodeWildcard(NativeIo io, int family) {
        ByteBuffer at = io.scratch();
        at.put(0, ZEROS);
        at.putShort(0, (short) family);
        return family == AF_INET ? SOCKADDR_IN_SIZE : SOCKADDR_IN6_SIZE;
    }

    private static int encodeInet(ByteBuffer at, InetAddress address, int port, int family) {
        at.put(0, ZEROS);
        at.putShort(0, (short) family);
        at.put(2, (byte) (port >>> 8)).put(3, (byte) port);
        byte[] bytes = address.getAddress();
        if (family == AF_INET) {
            if (!(address instanceof Inet4Address)) {
                throw new UnsupportedAddressTypeException();
            }
            at.put(4, bytes);
            return SOCKADDR_IN_SIZE;
        }
        if (address instanceof Inet6Address v6) {
            at.put(8, bytes);
            at.putInt(24, v6.getScopeId());
        } else if (!address.isAnyLocalAddress()) {
            // An IPv4 address on a dual-stack socket is its IPv4-mapped form; 0.0.0.0 becomes ::
            // as NIO makes it, so that a wildcard bind accepts both families.
            at.put(18, (byte) 0xff).put(19, (byte) 0xff);
            at.put(20, bytes);
        }
        return SOCKADDR_IN6_SIZE;
    }

    private static int encodeUnix(ByteBuffer at, UnixDomainSocketAddress address) throws SocketException {
        byte[] path = address.getPath().toString().getBytes(PATH_CHARSET);
        if (path.length >= SUN_PATH_SIZE) {
            throw new SocketException("Unix domain path too long");
        }
        at.putShort(0, (short) AF_UNIX);
        at.put(SUN_PATH_OFFSET, path);
        at.put(SUN_PATH_OFFSET + path.length, (byte) 0);
        return SUN_PATH_OFFSET + path.length + 1;
    }

    /** The address in the scratch sockaddr, {@code length} bytes long (the socklen the kernel returned). */
    static SocketAddress decode(NativeIo io, int length) {
        ByteBuffer at = io.scratch();
        int family = length < 2 ? AF_UNIX : at.getShort(0);
        return switch (family) {
            case AF_INET, AF_INET6 -> decodeInet(io, at, family, length);
            case AF_UNIX -> decodeUnix(at, length);
            default -> throw new UnsupportedAddressTypeException();
        };
    }

    private static SocketAddress decodeInet(NativeIo io, ByteBuffer at, int family, int length) {
        int size = family == AF_INET ? SOCKADDR_IN_SIZE : SOCKADDR_IN6_SIZE;
        if (length < size) {
            throw new IllegalStateException("short sockaddr from the kernel: " + length + " bytes");
        }
        if (io.lastDecoded != null && io.lastSockaddrLength == size
                && Arrays.equals(io.lastSockaddr, 0, size, rawCopy(at, io, size), 0, size)) {
            return io.lastDecoded;
        }
        int port = (at.get(2) & 0xff) << 8 | at.get(3) & 0xff;
        SocketAddress decoded = new InetSocketAddress(family == AF_INET ? inet4(at) : inet6(at), port);
        at.get(0, io.lastSockaddr, 0, size);
        io.lastSockaddrLength = size;
        io.lastDecoded = decoded;
        return decoded;
    }

    // Compared in a second array so that the comparison allocates nothing.
    private static byte[] rawCopy(ByteBuffer at, NativeIo io, int size) {
        byte[] raw = io.compareSockaddr;
        at.get(0, raw, 0, size);
        return raw;
    }

    private static InetAddress inet4(ByteBuffer at) {
        byte[] bytes = new byte[4];
        at.get(4, bytes);
        return byAddress(bytes, 0);
    }

    private static InetAddress inet6(ByteBuffer at) {
        byte[] bytes = new byte[16];
        at.get(8, bytes);
        return byAddress(bytes, at.getInt(24));
    }

    private static InetAddress byAddress(byte[] bytes, int scope) {
        try {
            // getByAddress turns an IPv4-mapped address into an Inet4Address, as NIO shows it.
            if (scope != 0 && !isV4Mapped(bytes)) {
                return Inet6Address.getByAddress(null, bytes, scope);
            }
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("a raw address of 4 or 16 bytes was refused", impossible);
        }
    }

    private static boolean isV4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    private static SocketAddress decodeUnix(ByteBuffer at, int length) {
        int end = SUN_PATH_OFFSET;
        int limit = Math.min(length, SUN_PATH_OFFSET + SUN_PATH_SIZE);
        // An abstract address (leading NUL) has no file name either: NIO cannot show it, nor can we.
        while (end < limit && at.get(end) != 0) {
            end++;
        }
        byte[] path = new byte[end - SUN_PATH_OFFSET];
        at.get(SUN_PATH_OFFSET, path);
        return UnixDomainSocketAddress.of(new String(path, PATH_CHARSET));
    }
}
