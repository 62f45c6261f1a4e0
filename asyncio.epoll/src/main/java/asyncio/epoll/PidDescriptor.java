package asyncio.epoll;

import asyncio.epoll.ffi.LibC;

/** A pidfd: readable in the epoll set once its process has exited. Closed after the reap. */
final class PidDescriptor implements PlainDescriptor {
    private final LibC libc;
    private int fd;

    PidDescriptor(LibC libc, int fd) {
        this.libc = libc;
        this.fd = fd;
    }

    @Override
    public int fd() {
        return fd;
    }

    @Override
    public boolean isOpen() {
        return fd >= 0;
    }

    @Override
    public void close() {
        if (fd >= 0) {
            libc.close(fd);
            fd = -1;
        }
    }

    @Override
    public Object channel() {
        return this;
    }

    @Override
    public String toString() {
        return "<pidfd " + fd + ">";
    }
}
