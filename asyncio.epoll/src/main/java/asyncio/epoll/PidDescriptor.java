package asyncio.epoll;

import asyncio.epoll.ffi.LibC;
import java.net.SocketAddress;
import java.net.SocketOption;

/** A pidfd: readable in the epoll set once its process has exited. Closed after the reap. */
final class PidDescriptor implements NativeSocket {
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
    public <T> void setOption(SocketOption<T> option, T value) {
        throw new UnsupportedOperationException("not a socket: " + this);
    }

    @Override
    public <T> T getOption(SocketOption<T> option) {
        throw new UnsupportedOperationException("not a socket: " + this);
    }

    @Override
    public SocketAddress localAddress() {
        return null;
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
