package asyncio.epoll;

import static asyncio.epoll.ffi.Native.*;

import asyncio.epoll.ffi.Native;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.ProtocolException;
import java.net.SocketException;

/**
 * errno to the exception NIO throws for the same failure, so that both loops fail alike: the
 * type the JDK picks (its {@code Net.c handleSocketError} for socket calls, plain
 * {@code IOException} for stream writes) and the C library's text as the message.
 */
final class Errors {
    private static final int EPROTO = 71;

    private Errors() {
    }

    /**
     * The failure of any call ({@code what} names it, e.g. epoll_ctl): the type NIO gives the
     * network errors it shares with sockets (refused, unreachable, address in use...), a plain
     * {@code IOException} otherwise.
     */
    static IOException exception(int errno, String what) {
        IOException typed = networkException(errno, message(errno, what));
        return typed != null ? typed : new IOException(message(errno, what));
    }

    /**
     * The failure of a socket call ({@code what}: socket, bind, listen, connect, accept, an option,
     * an address, shutdown, a datagram send or receive), typed as NIO's {@code handleSocketError}
     * types it: {@code SocketException} unless a more precise type applies.
     */
    static IOException socketFailed(int errno, String what) {
        IOException typed = networkException(errno, message(errno, what));
        return typed != null ? typed : new SocketException(message(errno, what));
    }

    private static IOException networkException(int errno, String message) {
        return switch (errno) {
            case ECONNREFUSED, ETIMEDOUT, ENOTCONN -> new ConnectException(message);
            case EHOSTUNREACH -> new NoRouteToHostException(message);
            case EADDRINUSE, EADDRNOTAVAIL, EACCES -> new BindException(message);
            case EPROTO -> new ProtocolException(message);
            default -> null;
        };
    }

    /** The failure of a stream read: NIO reports a reset as {@code SocketException("Connection reset")}. */
    static IOException readFailed(int errno) {
        if (isReset(errno)) {
            return connectionReset();
        }
        return new IOException(message(errno, "read"));
    }

    /** The failure of a stream write: NIO reports the C text as is ("Broken pipe", "Connection reset by peer"). */
    static IOException writeFailed(int errno) {
        return new IOException(message(errno, "write"));
    }

    /**
     * The failure of a datagram call: an ICMP port unreachable that arrived earlier surfaces as
     * ECONNREFUSED, which NIO types as {@code PortUnreachableException}.
     */
    static IOException datagramFailed(int errno, String what) {
        if (errno == ECONNREFUSED) {
            return new PortUnreachableException(strerror(errno));
        }
        return socketFailed(errno, what);
    }

    static boolean isReset(int errno) {
        return errno == ECONNRESET || errno == EPIPE;
    }

    static SocketException connectionReset() {
        return new SocketException("Connection reset");
    }

    /**
     * The C text alone for the failures callers test for, as NIO words them; the operation is
     * added for the rest, which are rarer and otherwise hard to place.
     */
    private static String message(int errno, String what) {
        String text = strerror(errno);
        if (errno == EMFILE) {
            // NIO's words, then what Python's OSError cannot say: which limit, and how to raise it.
            return text + Posix.openFilesHint();
        }
        return known(errno) ? text : text + " (" + what + ", " + Posix.errnoName(errno) + ", errno " + errno + ")";
    }

    private static boolean known(int errno) {
        return switch (errno) {
            case ECONNREFUSED, ETIMEDOUT, EHOSTUNREACH, ENETUNREACH, EADDRINUSE, EADDRNOTAVAIL, ECONNRESET, EPIPE,
                 EMFILE, ENFILE, ENOENT, EACCES -> true;
            default -> false;
        };
    }

    static String strerror(int errno) {
        String text = Native.libc().strerror(errno);
        return text == null || text.isEmpty() ? "errno " + errno : text;
    }
}
