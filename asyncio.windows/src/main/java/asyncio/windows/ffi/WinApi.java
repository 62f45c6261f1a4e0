package asyncio.windows.ffi;

/**
 * The Win32 constants the binding uses, named exactly as the Windows SDK headers name them (winbase.h,
 * winerror.h, winsock2.h, mswsock.h, ws2ipdef.h). {@code LayoutTest} compares every field here with
 * the value a program compiled against the mingw-w64 headers prints, so a wrong number fails the build.
 */
public final class WinApi {
    private WinApi() {
    }

    // handles and waits
    public static final long INVALID_HANDLE_VALUE = -1L;
    public static final long INVALID_SOCKET = -1L;
    public static final int INFINITE = 0xFFFFFFFF;
    public static final int WAIT_TIMEOUT = 258;
    public static final int FILE_SKIP_COMPLETION_PORT_ON_SUCCESS = 0x1;
    public static final int FILE_SKIP_SET_EVENT_ON_HANDLE = 0x2;
    /** NTSTATUS in OVERLAPPED.Internal when the operation succeeded. */
    public static final int STATUS_SUCCESS = 0;
    public static final int STATUS_PENDING = 0x103;
    public static final int STATUS_CANCELLED = 0xC0000120;

    // Winsock
    public static final int WINSOCK_VERSION_2_2 = 0x0202;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 23;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int IPPROTO_IP = 0;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    public static final int IPPROTO_IPV6 = 41;
    public static final int WSA_FLAG_OVERLAPPED = 0x01;
    public static final int WSA_FLAG_NO_HANDLE_INHERIT = 0x80;
    public static final int SOCKET_ERROR = -1;
    public static final int SD_SEND = 1;
    public static final int SOL_SOCKET = 0xFFFF;
    public static final int SO_REUSEADDR = 0x0004;
    public static final int SO_KEEPALIVE = 0x0008;
    public static final int SO_BROADCAST = 0x0020;
    public static final int SO_LINGER = 0x0080;
    public static final int SO_SNDBUF = 0x1001;
    public static final int SO_RCVBUF = 0x1002;
    public static final int SO_ERROR = 0x1007;
    public static final int SO_TYPE = 0x1008;
    public static final int SO_UPDATE_ACCEPT_CONTEXT = 0x700B;
    public static final int SO_UPDATE_CONNECT_CONTEXT = 0x7010;
    public static final int TCP_NODELAY = 0x0001;
    public static final int IP_TOS = 3;
    public static final int IP_MULTICAST_TTL = 10;
    public static final int IP_MULTICAST_LOOP = 11;
    public static final int IPV6_V6ONLY = 27;
    public static final int SIO_GET_EXTENSION_FUNCTION_POINTER = 0xC8000006;
    /** Winsock's SIO_UDP_CONNRESET: off, an ICMP port unreachable no longer fails the next WSARecvFrom. */
    public static final int SIO_UDP_CONNRESET = 0x9800000C;
    /** AcceptEx needs this much room per address: the largest sockaddr plus 16 bytes. */
    public static final int ACCEPTEX_ADDRESS_LENGTH = 28 + 16;

    // error codes (GetLastError, WSAGetLastError)
    public static final int ERROR_HANDLE_EOF = 38;
    public static final int ERROR_NETNAME_DELETED = 64;
    public static final int ERROR_BROKEN_PIPE = 109;
    public static final int ERROR_SEM_TIMEOUT = 121;
    public static final int ERROR_MORE_DATA = 234;
    public static final int ERROR_NO_DATA = 232;
    public static final int ERROR_PIPE_NOT_CONNECTED = 233;
    public static final int ERROR_OPERATION_ABORTED = 995;
    public static final int ERROR_IO_PENDING = 997;
    public static final int ERROR_NOT_FOUND = 1168;
    public static final int ERROR_CONNECTION_REFUSED = 1225;
    public static final int ERROR_NETWORK_UNREACHABLE = 1231;
    public static final int ERROR_HOST_UNREACHABLE = 1232;
    public static final int ERROR_PORT_UNREACHABLE = 1234;
    public static final int ERROR_CONNECTION_ABORTED = 1236;
    public static final int WSA_IO_PENDING = 997;
    public static final int WSA_OPERATION_ABORTED = 995;
    public static final int WSAEINTR = 10004;
    public static final int WSAEINVAL = 10022;
    public static final int WSAEWOULDBLOCK = 10035;
    public static final int WSAENOTSOCK = 10038;
    public static final int WSAEMSGSIZE = 10040;
    public static final int WSAEAFNOSUPPORT = 10047;
    public static final int WSAEADDRINUSE = 10048;
    public static final int WSAEADDRNOTAVAIL = 10049;
    public static final int WSAENETDOWN = 10050;
    public static final int WSAENETUNREACH = 10051;
    public static final int WSAENETRESET = 10052;
    public static final int WSAECONNABORTED = 10053;
    public static final int WSAECONNRESET = 10054;
    public static final int WSAENOTCONN = 10057;
    public static final int WSAESHUTDOWN = 10058;
    public static final int WSAETIMEDOUT = 10060;
    public static final int WSAECONNREFUSED = 10061;
    public static final int WSAEHOSTUNREACH = 10065;
    public static final int WSANOTINITIALISED = 10093;
}
