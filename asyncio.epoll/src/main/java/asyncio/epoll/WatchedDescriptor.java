package asyncio.epoll;

import asyncio.epoll.ffi.Native;
import java.io.IOException;

/**
 * A raw descriptor the application watches with {@code addReader(int, ...)}: registered as it is,
 * never read, written or closed by the loop (the application owns it).
 */
final class WatchedDescriptor implements PlainDescriptor {
    private final int fd;

    private WatchedDescriptor(int fd) {
        this.fd = fd;
    }

    /** {@code fd} if it is an open descriptor; asyncio raises at add_reader for a bad one too. */
    static WatchedDescriptor of(int fd) throws IOException {
        if (fd < 0 || Native.libc().fcntl(fd, Native.F_GETFL, 0) < 0) {
            throw Errors.exception(fd < 0 ? Native.EBADF : Native.errno(), "watching file descriptor " + fd);
        }
        return new WatchedDescriptor(fd);
    }

    @Override
    public int fd() {
        return fd;
    }

    @Override
    public Object channel() {
        return null;
    }

    @Override
    public void close() {
        // The application's descriptor: it closes it.
    }

    @Override
    public String toString() {
        return "fd " + fd;
    }
}
