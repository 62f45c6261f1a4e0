package asyncio.windows;

import static asyncio.windows.ffi.WinApi.*;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;

/**
 * The exception for a Win32 or Winsock error code, typed as the JDK types the same failure
 * (ConnectException for refused, BindException for an address in use, "Connection reset" for a
 * reset or aborted connection...), so the transports map them to asyncio's exceptions as they do on
 * the other loops; the message reads as CPython's {@code OSError} does on Windows:
 * {@code [WinError 10054] ...}.
 */
final class WinErrors {
    private WinErrors() {
    }

    static IOException exception(int code, String call) {
        return exception(code, call, false);
    }

    static IOException exception(int code, String call, boolean datagram) {
        String text = "[WinError " + code + "] " + describe(code) + " (" + call + ")";
        return switch (code) {
            case ERROR_CONNECTION_REFUSED, WSAECONNREFUSED ->
                datagram ? new PortUnreachableException(text) : new ConnectException(text);
            case ERROR_PORT_UNREACHABLE -> new PortUnreachableException(text);
            case WSAETIMEDOUT, ERROR_SEM_TIMEOUT -> new ConnectException(text);
            case ERROR_NETWORK_UNREACHABLE, ERROR_HOST_UNREACHABLE, WSAENETUNREACH, WSAEHOSTUNREACH ->
                new NoRouteToHostException(text);
            case WSAEADDRINUSE, WSAEADDRNOTAVAIL -> new BindException(text);
            case ERROR_NETNAME_DELETED, WSAECONNRESET, WSAECONNABORTED, ERROR_CONNECTION_ABORTED, WSAENETRESET ->
                datagram ? new PortUnreachableException(text) : new SocketException("Connection reset " + text);
            case ERROR_BROKEN_PIPE, ERROR_NO_DATA, ERROR_PIPE_NOT_CONNECTED, WSAESHUTDOWN -> new IOException("Broken pipe " + text);
            default -> datagram ? new SocketException(text) : new IOException(text);
        };
    }

    /** The system's wording for the codes the loop meets; FormatMessageW is not bound. */
    static String describe(int code) {
        return switch (code) {
            case ERROR_NETNAME_DELETED -> "The specified network name is no longer available";
            case ERROR_BROKEN_PIPE -> "The pipe has been ended";
            case ERROR_SEM_TIMEOUT -> "The semaphore timeout period has expired";
            case ERROR_OPERATION_ABORTED -> "The I/O operation has been aborted because of either a thread exit or an application request";
            case ERROR_CONNECTION_REFUSED -> "The remote computer refused the network connection";
            case ERROR_NETWORK_UNREACHABLE -> "The network location cannot be reached";
            case ERROR_HOST_UNREACHABLE -> "The remote system is not reachable by the transport";
            case ERROR_PORT_UNREACHABLE -> "No service is operating at the destination network endpoint on the remote system";
            case ERROR_CONNECTION_ABORTED -> "The network connection was aborted by the local system";
            case WSAEADDRINUSE -> "Only one usage of each socket address (protocol/network address/port) is normally permitted";
            case WSAEADDRNOTAVAIL -> "The requested address is not valid in its context";
            case WSAECONNRESET -> "An existing connection was forcibly closed by the remote host";
            case WSAECONNABORTED -> "An established connection was aborted by the software in your host machine";
            case WSAECONNREFUSED -> "No connection could be made because the target machine actively refused it";
            case WSAETIMEDOUT -> "A connection attempt failed because the connected party did not properly respond after a period of time";
            case WSAENETUNREACH -> "A socket operation was attempted to an unreachable network";
            case WSAEHOSTUNREACH -> "A socket operation was attempted to an unreachable host";
            case WSAEMSGSIZE -> "A message sent on a datagram socket was larger than the internal message buffer";
            case WSAENOTSOCK -> "An operation was attempted on something that is not a socket";
            case WSAEINVAL -> "An invalid argument was supplied";
            default -> "error " + code;
        };
    }
}
