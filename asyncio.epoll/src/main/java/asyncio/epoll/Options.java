package asyncio.epoll;

import static asyncio.epoll.ffi.Native.AF_INET6;
import static java.net.StandardSocketOptions.IP_MULTICAST_IF;
import static java.net.StandardSocketOptions.IP_MULTICAST_LOOP;
import static java.net.StandardSocketOptions.IP_MULTICAST_TTL;
import static java.net.StandardSocketOptions.IP_TOS;
import static java.net.StandardSocketOptions.SO_BROADCAST;
import static java.net.StandardSocketOptions.SO_KEEPALIVE;
import static java.net.StandardSocketOptions.SO_LINGER;
import static java.net.StandardSocketOptions.SO_RCVBUF;
import static java.net.StandardSocketOptions.SO_REUSEADDR;
import static java.net.StandardSocketOptions.SO_REUSEPORT;
import static java.net.StandardSocketOptions.SO_SNDBUF;
import static java.net.StandardSocketOptions.TCP_NODELAY;
import static jdk.net.ExtendedSocketOptions.IP_DONTFRAGMENT;
import static jdk.net.ExtendedSocketOptions.TCP_KEEPCOUNT;
import static jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE;
import static jdk.net.ExtendedSocketOptions.TCP_KEEPINTERVAL;
import static jdk.net.ExtendedSocketOptions.TCP_QUICKACK;

import asyncio.epoll.ffi.LibC;
import asyncio.epoll.ffi.Native;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The socket options each kind of socket supports (the set its NIO channel supports) and their
 * {@code setsockopt}/{@code getsockopt} encoding, with NIO's validation and NIO's exceptions.
 */
final class Options {
    /** Which NIO channel's option set a socket has. */
    enum Kind { STREAM, LISTENING, DATAGRAM }

    static final int SOL_SOCKET = 1;
    private static final int IPPROTO_IP = 0;
    private static final int IPPROTO_TCP = 6;
    static final int IPPROTO_IPV6 = 41;
    private static final int IP_TOS_NAME = 1;
    private static final int IP_MULTICAST_IF_NAME = 32;
    private static final int IP_MULTICAST_TTL_NAME = 33;
    private static final int IP_MULTICAST_LOOP_NAME = 34;
    private static final int IPV6_MULTICAST_IF = 17;
    private static final int IPV6_MULTICAST_HOPS = 18;
    private static final int IPV6_MULTICAST_LOOP = 19;
    private static final int IPV6_TCLASS = 67;
    private static final int IP_MTU_DISCOVER = 10;
    private static final int IPV6_MTU_DISCOVER = 23;
    /** IP_PMTUDISC_DO (the same value for IPv6): never fragment; IP_PMTUDISC_DONT is 0. */
    private static final int PMTUDISC_DO = 2;
    static final int IPV6_V6ONLY = 26;
    static final int SO_ERROR = 4;
    private static final int SO_LINGER_NAME = 13;
    private static final int MAX_LINGER = 65535;

    private static final LibC C = Native.libc();

    /** (level, name) of the options that are a plain int or boolean at one level whatever the family. */
    private static final Map<SocketOption<?>, int[]> PLAIN = Map.of(
            SO_REUSEADDR, new int[] {SOL_SOCKET, 2},
            SO_REUSEPORT, new int[] {SOL_SOCKET, 15},
            SO_BROADCAST, new int[] {SOL_SOCKET, 6},
            SO_SNDBUF, new int[] {SOL_SOCKET, 7},
            SO_RCVBUF, new int[] {SOL_SOCKET, 8},
            SO_KEEPALIVE, new int[] {SOL_SOCKET, 9},
            TCP_NODELAY, new int[] {IPPROTO_TCP, 1},
            TCP_KEEPIDLE, new int[] {IPPROTO_TCP, 4},
            TCP_KEEPINTERVAL, new int[] {IPPROTO_TCP, 5},
            TCP_KEEPCOUNT, new int[] {IPPROTO_TCP, 6});

    private static final Set<SocketOption<?>> TCP_STREAM = Set.of(SO_REUSEADDR, SO_REUSEPORT, SO_KEEPALIVE, SO_SNDBUF,
            SO_RCVBUF, SO_LINGER, TCP_NODELAY, IP_TOS, TCP_KEEPIDLE, TCP_KEEPINTERVAL, TCP_KEEPCOUNT, TCP_QUICKACK);
    private static final Set<SocketOption<?>> TCP_LISTENING = Set.of(SO_REUSEADDR, SO_REUSEPORT, SO_RCVBUF,
            TCP_KEEPIDLE, TCP_KEEPINTERVAL, TCP_KEEPCOUNT, TCP_QUICKACK);
    private static final Set<SocketOption<?>> UDP = Set.of(SO_REUSEADDR, SO_REUSEPORT, SO_SNDBUF, SO_RCVBUF,
            SO_BROADCAST, IP_TOS, IP_MULTICAST_IF, IP_MULTICAST_TTL, IP_MULTICAST_LOOP, IP_DONTFRAGMENT);
    private static final Set<SocketOption<?>> UNIX_STREAM = Set.of(SO_LINGER, SO_SNDBUF, SO_RCVBUF);
    private static final Set<SocketOption<?>> UNIX_LISTENING = Set.of(SO_RCVBUF);
    private static final Set<SocketOption<?>> UNIX_DATAGRAM = Set.of(SO_SNDBUF, SO_RCVBUF);

    private Options() {
    }

    /** The options a socket of this kind supports, as its NIO channel's {@code supportedOptions()}. */
    static Set<SocketOption<?>> supported(Kind kind, boolean unix) {
        return switch (kind) {
            case STREAM -> unix ? UNIX_STREAM : TCP_STREAM;
            case LISTENING -> unix ? UNIX_LISTENING : TCP_LISTENING;
            case DATAGRAM -> unix ? UNIX_DATAGRAM : UDP;
        };
    }

    /** NIO's checks before a set, in NIO's order, so the same call fails the same way. */
    static void checkSettable(Set<SocketOption<?>> supported, SocketOption<?> option, Object value) {
        checkSupported(supported, option);
        if (!option.type().isInstance(value)) {
            throw new IllegalArgumentException("Invalid value '" + value + "'");
        }
    }

    static void checkSupported(Set<SocketOption<?>> supported, SocketOption<?> option) {
        Objects.requireNonNull(option, "option");
        if (!supported.contains(option)) {
            throw new UnsupportedOperationException("'" + option + "' not supported");
        }
    }

    static void set(NativeIo io, int fd, int family, SocketOption<?> option, Object value) throws IOException {
        if (option == SO_LINGER) {
            int linger = (Integer) value;
            setStruct(io, fd, SOL_SOCKET, SO_LINGER_NAME, linger < 0 ? 0 : 1, Math.min(linger, MAX_LINGER));
        } else if (option == IP_TOS) {
            setByFamily(io, fd, family, IPV6_TCLASS, IP_TOS_NAME, checkByte((Integer) value, "Invalid IP_TOS value"));
        } else if (option == IP_MULTICAST_TTL) {
            int ttl = checkByte((Integer) value, "Invalid TTL/hop value");
            setByFamily(io, fd, family, IPV6_MULTICAST_HOPS, IP_MULTICAST_TTL_NAME, ttl);
        } else if (option == IP_MULTICAST_LOOP) {
            setByFamily(io, fd, family, IPV6_MULTICAST_LOOP, IP_MULTICAST_LOOP_NAME, (Boolean) value ? 1 : 0);
        } else if (option == IP_MULTICAST_IF) {
            setMulticastInterface(io, fd, family, (NetworkInterface) value);
        } else if (option == TCP_QUICKACK) {
            setInt(io, fd, IPPROTO_TCP, 12, (Boolean) value ? 1 : 0);
        } else if (option == IP_DONTFRAGMENT) {
            setByFamily(io, fd, family, IPV6_MTU_DISCOVER, IP_MTU_DISCOVER, (Boolean) value ? PMTUDISC_DO : 0);
        } else {
            setPlain(io, fd, option, value);
        }
    }

    private static void setPlain(NativeIo io, int fd, SocketOption<?> option, Object value) throws IOException {
        int[] code = PLAIN.get(option);
        int number = value instanceof Boolean flag ? (flag ? 1 : 0) : (Integer) value;
        if ((option == SO_SNDBUF || option == SO_RCVBUF) && number < 0) {
            throw new IllegalArgumentException("Invalid send/receive buffer size");
        }
        setInt(io, fd, code[0], code[1], number);
    }

    private static int checkByte(int value, String message) {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException(message);
        }
        return value;
    }

    /**
     * Sets the IPv6 option on an IPv6 socket and, as NIO does on Linux, the IPv4 one as well,
     * since a dual-stack socket also carries IPv4 traffic; the IPv4 one alone on an IPv4 socket.
     */
    private static void setByFamily(NativeIo io, int fd, int family, int v6Name, int v4Name, int value)
            throws IOException {
        if (family != AF_INET6) {
            setInt(io, fd, IPPROTO_IP, v4Name, value);
            return;
        }
        setInt(io, fd, IPPROTO_IPV6, v6Name, value);
        io.valueInt(0, value);
        // Best effort: an IPv6-only socket refuses IPv4 options, and then they do not matter.
        C.setsockopt(fd, IPPROTO_IP, v4Name, io.valueAddress(), 4);
    }

    private static void setMulticastInterface(NativeIo io, int fd, int family, NetworkInterface network)
            throws IOException {
        if (family == AF_INET6) {
            setInt(io, fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, network.getIndex());
        }
        Inet4Address address = firstInet4(network);
        if (address == null) {
            if (family != AF_INET6) {
                throw new SocketException("Network interface not configured for IPv4");
            }
            return;
        }
        byte[] bytes = address.getAddress();
        io.valueBytes(bytes);
        if (C.setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF_NAME, io.valueAddress(), 4) < 0 && family != AF_INET6) {
            throw Errors.socketFailed(Native.errno(), "setsockopt IP_MULTICAST_IF");
        }
    }

    private static Inet4Address firstInet4(NetworkInterface network) {
        Enumeration<InetAddress> addresses = network.getInetAddresses();
        for (InetAddress address : Collections.list(addresses)) {
            if (address instanceof Inet4Address v4) {
                return v4;
            }
        }
        return null;
    }

    private static void setInt(NativeIo io, int fd, int level, int name, int value) throws IOException {
        io.valueInt(0, value);
        if (C.setsockopt(fd, level, name, io.valueAddress(), 4) < 0) {
            throw Errors.socketFailed(Native.errno(), "setsockopt");
        }
    }

    private static void setStruct(NativeIo io, int fd, int level, int name, int first, int second) throws IOException {
        io.valueInt(0, first);
        io.valueInt(1, second);
        if (C.setsockopt(fd, level, name, io.valueAddress(), 8) < 0) {
            throw Errors.socketFailed(Native.errno(), "setsockopt");
        }
    }

    static Object get(NativeIo io, int fd, int family, SocketOption<?> option) throws IOException {
        if (option == SO_LINGER) {
            getValue(io, fd, SOL_SOCKET, SO_LINGER_NAME, 8);
            return io.valueInt(0) != 0 ? io.valueInt(1) : -1;
        } else if (option == IP_TOS) {
            return family == AF_INET6 ? getInt(io, fd, IPPROTO_IPV6, IPV6_TCLASS) : getInt(io, fd, IPPROTO_IP, IP_TOS_NAME);
        } else if (option == IP_MULTICAST_TTL) {
            return family == AF_INET6 ? getInt(io, fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS)
                    : getInt(io, fd, IPPROTO_IP, IP_MULTICAST_TTL_NAME);
        } else if (option == IP_MULTICAST_LOOP) {
            return (family == AF_INET6 ? getInt(io, fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP)
                    : getInt(io, fd, IPPROTO_IP, IP_MULTICAST_LOOP_NAME)) != 0;
        } else if (option == IP_MULTICAST_IF) {
            return multicastInterface(io, fd, family);
        } else if (option == TCP_QUICKACK) {
            return getInt(io, fd, IPPROTO_TCP, 12) != 0;
        } else if (option == IP_DONTFRAGMENT) {
            return (family == AF_INET6 ? getInt(io, fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER)
                    : getInt(io, fd, IPPROTO_IP, IP_MTU_DISCOVER)) == PMTUDISC_DO;
        }
        int[] code = PLAIN.get(option);
        int number = getInt(io, fd, code[0], code[1]);
        if (option == SO_SNDBUF || option == SO_RCVBUF) {
            // Linux doubles the size set, for its bookkeeping; the JDK halves what it reads back, so that
            // a value set is the value got. Both loops must answer alike.
            number /= 2;
        }
        return option.type() == Boolean.class ? (Object) (number != 0) : (Object) number;
    }

    private static NetworkInterface multicastInterface(NativeIo io, int fd, int family) throws IOException {
        if (family == AF_INET6) {
            int index = getInt(io, fd, IPPROTO_IPV6, IPV6_MULTICAST_IF);
            return index == 0 ? null : NetworkInterface.getByIndex(index);
        }
        getValue(io, fd, IPPROTO_IP, IP_MULTICAST_IF_NAME, 4);
        byte[] bytes = new byte[4];
        io.readValueBytes(bytes);
        InetAddress address;
        try {
            address = InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
        return address.isAnyLocalAddress() ? null : NetworkInterface.getByInetAddress(address);
    }

    static int getInt(NativeIo io, int fd, int level, int name) throws IOException {
        getValue(io, fd, level, name, 4);
        return io.valueInt(0);
    }

    private static void getValue(NativeIo io, int fd, int level, int name, int size) throws IOException {
        io.valueInt(0, 0);
        io.valueInt(1, 0);
        io.socklen(size);
        if (C.getsockopt(fd, level, name, io.valueAddress(), io.socklenAddress()) < 0) {
            throw Errors.socketFailed(Native.errno(), "getsockopt");
        }
    }
}
