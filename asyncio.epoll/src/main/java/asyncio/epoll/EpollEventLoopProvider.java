package asyncio.epoll;

import asyncio.api.EventLoop;
import asyncio.epoll.ffi.LibC;
import asyncio.epoll.ffi.Native;
import asyncio.spi.EventLoopProvider;

/**
 * Provides {@link EpollEventLoop}, preferred to the selector loop where its probe passes: Linux,
 * jnr-ffi binds the C library, and {@code epoll_create1} and {@code eventfd} answer.
 */
public final class EpollEventLoopProvider implements EventLoopProvider {
    /** The provider; found by {@link java.util.ServiceLoader}. */
    public EpollEventLoopProvider() {
    }

    @Override
    public String name() {
        return "epoll";
    }

    @Override
    public int priority() {
        return 20;
    }

    @Override
    public String unsupportedReason() {
        String os = System.getProperty("os.name", "");
        if (!os.startsWith("Linux")) {
            return "epoll is Linux only (os.name=" + os + ")";
        }
        try {
            if (Native.loadFailure() != null) {
                return "jnr-ffi cannot bind the C library: " + Native.loadFailure();
            }
            return probe(Native.libc());
        } catch (RuntimeException | LinkageError failed) {
            return "the native binding failed: " + failed;
        }
    }

    private static String probe(LibC libc) {
        int epollFd = libc.epoll_create1(Native.EPOLL_CLOEXEC);
        if (epollFd < 0) {
            return "epoll_create1 failed: " + libc.strerror(Native.errno());
        }
        libc.close(epollFd);
        int eventFd = libc.eventfd(0, Native.O_NONBLOCK | Native.O_CLOEXEC);
        if (eventFd < 0) {
            return "eventfd failed: " + libc.strerror(Native.errno());
        }
        libc.close(eventFd);
        return null;
    }

    @Override
    public EventLoop newEventLoop() {
        return new EpollEventLoop();
    }
}
