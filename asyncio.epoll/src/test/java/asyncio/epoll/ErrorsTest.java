package asyncio.epoll;

import static asyncio.epoll.ffi.Native.EACCES;
import static asyncio.epoll.ffi.Native.EADDRINUSE;
import static asyncio.epoll.ffi.Native.EADDRNOTAVAIL;
import static asyncio.epoll.ffi.Native.EBADF;
import static asyncio.epoll.ffi.Native.ECONNREFUSED;
import static asyncio.epoll.ffi.Native.ECONNRESET;
import static asyncio.epoll.ffi.Native.EHOSTUNREACH;
import static asyncio.epoll.ffi.Native.EINVAL;
import static asyncio.epoll.ffi.Native.EMFILE;
import static asyncio.epoll.ffi.Native.ENETUNREACH;
import static asyncio.epoll.ffi.Native.ENFILE;
import static asyncio.epoll.ffi.Native.EPIPE;
import static asyncio.epoll.ffi.Native.ETIMEDOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import jnr.posix.POSIXFactory;
import jnr.posix.RLimit;
import org.junit.jupiter.api.Test;

/** The exception each errno becomes is the one NIO throws for it, with NIO's message. */
class ErrorsTest {
    /** {@code RLIMIT_NOFILE} on Linux. */
    private static final int RLIMIT_NOFILE = 7;

    private static void assertFailure(Class<? extends IOException> type, String message, IOException actual) {
        assertSame(type, actual.getClass(), actual.toString());
        assertEquals(message, actual.getMessage());
    }

    @Test
    void socketCallsFailWithTheTypesOfNiosHandleSocketError() {
        assertFailure(ConnectException.class, "Connection refused", Errors.socketFailed(ECONNREFUSED, "connect"));
        assertFailure(ConnectException.class, "Connection timed out", Errors.socketFailed(ETIMEDOUT, "connect"));
        assertFailure(NoRouteToHostException.class, "No route to host", Errors.socketFailed(EHOSTUNREACH, "connect"));
        assertFailure(SocketException.class, "Network is unreachable", Errors.socketFailed(ENETUNREACH, "connect"));
        assertFailure(BindException.class, "Address already in use", Errors.socketFailed(EADDRINUSE, "bind"));
        assertFailure(BindException.class, "Cannot assign requested address", Errors.socketFailed(EADDRNOTAVAIL, "bind"));
        assertFailure(BindException.class, "Permission denied", Errors.socketFailed(EACCES, "bind"));
        assertTooManyOpenFiles(SocketException.class, Errors.socketFailed(EMFILE, "accept"));
        assertFailure(SocketException.class, "Too many open files in system", Errors.socketFailed(ENFILE, "socket"));
    }

    /**
     * NIO's words, then the process's RLIMIT_NOFILE and how to raise it. The limits are read here
     * through jnr-posix: a binding independent of the loop's hand-bound getrlimit.
     */
    private static void assertTooManyOpenFiles(Class<? extends Exception> type, Exception actual) {
        assertSame(type, actual.getClass(), actual.toString());
        RLimit limits = POSIXFactory.getNativePOSIX().getrlimit(RLIMIT_NOFILE);
        String soft = limits.rlimCur() == -1 ? "unlimited" : Long.toString(limits.rlimCur());
        String hard = limits.rlimMax() == -1 ? "unlimited" : Long.toString(limits.rlimMax());
        assertEquals("Too many open files (the limit of open files, RLIMIT_NOFILE, is " + soft + ", at most " + hard
                + ": raise it with `ulimit -n` or close descriptors sooner)", actual.getMessage());
    }

    @Test
    void rarerFailuresNameTheCallAndTheErrno() {
        assertFailure(SocketException.class, "Invalid argument (setsockopt, EINVAL, errno 22)",
                Errors.socketFailed(EINVAL, "setsockopt"));
    }

    @Test
    void callsOtherThanSocketCallsFailWithAPlainIoExceptionUnlessTheErrorIsANetworkOne() {
        assertFailure(IOException.class, "Bad file descriptor (epoll_ctl, EBADF, errno 9)", Errors.exception(EBADF, "epoll_ctl"));
        assertFailure(ConnectException.class, "Connection refused", Errors.exception(ECONNREFUSED, "connect"));
    }

    @Test
    void streamReadsReportAResetAsNioDoesAndWritesReportTheKernelsWords() {
        assertFailure(SocketException.class, "Connection reset", Errors.readFailed(ECONNRESET));
        assertFailure(SocketException.class, "Connection reset", Errors.readFailed(EPIPE));
        assertFailure(IOException.class, "Connection reset by peer", Errors.writeFailed(ECONNRESET));
        assertFailure(IOException.class, "Broken pipe", Errors.writeFailed(EPIPE));
    }

    @Test
    void aRefusedDatagramIsAnUnreachablePort() {
        assertFailure(PortUnreachableException.class, "Connection refused", Errors.datagramFailed(ECONNREFUSED, "recvmsg"));
        assertTooManyOpenFiles(SocketException.class, Errors.datagramFailed(EMFILE, "sendmsg"));
    }
}
