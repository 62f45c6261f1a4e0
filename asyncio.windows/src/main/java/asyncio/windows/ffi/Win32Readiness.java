package asyncio.windows.ffi;

/**
 * The Winsock readiness call behind {@code addReader}/{@code addWriter} on the IOCP loop (issue 14):
 * {@code WSAPoll} over an array of WSAPOLLFD, made by the readiness helper's own thread. Apart from
 * {@link Win32} so the tests can put a poll of their own behind it (real descriptors on Linux,
 * translated) while the completion port runs on the scripted Winsock. The constants and the
 * WSAPOLLFD layout are here too; {@code LayoutTest} compares them with the mingw-w64 headers.
 */
public interface Win32Readiness {
    /** sizeof(WSAPOLLFD) on x64: SOCKET fd; SHORT events; SHORT revents; plus tail padding. */
    int WSAPOLLFD_SIZE = 16;
    int WSAPOLLFD_FD = 0;
    int WSAPOLLFD_EVENTS = 8;
    int WSAPOLLFD_REVENTS = 10;

    /** Data (or a connection to accept, or EOF) can be read without blocking. */
    short POLLRDNORM = 0x0100;
    short POLLRDBAND = 0x0200;
    /** Data can be written without blocking (or a non-blocking connect finished). */
    short POLLWRNORM = 0x0010;
    /** Output only: an error is pending (a failed connect, a reset). */
    short POLLERR = 0x0001;
    /** Output only: the connection is gone (both directions). */
    short POLLHUP = 0x0002;
    /** Output only: not a socket (closed under the poll). */
    short POLLNVAL = 0x0004;

    /**
     * {@code WSAPoll}: waits up to {@code timeout} ms (-1: no limit) until a socket of the
     * {@code count} WSAPOLLFDs at {@code fds} is ready; the count of ready ones, 0 on timeout,
     * SOCKET_ERROR (-1) on failure ({@link #lastError()}).
     */
    int WSAPoll(long fds, int count, int timeout);

    /** The calling thread's error saved after its last call here. */
    int lastError();
}
