package asyncio.epoll;

import static asyncio.epoll.ffi.Native.EPOLLIN;
import static asyncio.epoll.ffi.Native.EPOLLOUT;
import static asyncio.epoll.ffi.Native.EPOLL_CLOEXEC;
import static asyncio.epoll.ffi.Native.EPOLL_CTL_ADD;
import static asyncio.epoll.ffi.Native.EPOLL_EVENT_DATA_OFFSET;
import static asyncio.epoll.ffi.Native.EPOLL_EVENT_SIZE;

import asyncio.epoll.ffi.LibC;
import asyncio.epoll.ffi.Native;
import java.nio.ByteBuffer;

/**
 * Waits for a descriptor to become readable or writable with a private epoll instance: the
 * tests have no loop, and a non-blocking accept or connect needs the other side to land first.
 */
final class Readiness {
    private static final LibC C = Native.libc();
    private static final int TIMEOUT_MILLIS = 5000;

    private Readiness() {
    }

    static void readable(NativeSocket socket) {
        await(socket.fd(), EPOLLIN);
    }

    static void writable(NativeSocket socket) {
        await(socket.fd(), EPOLLOUT);
    }

    private static void await(int fd, int events) {
        int epoll = C.epoll_create1(EPOLL_CLOEXEC);
        if (epoll < 0) {
            throw new AssertionError("epoll_create1: errno " + Native.errno());
        }
        try {
            ByteBuffer event = Native.allocate(EPOLL_EVENT_SIZE);
            event.putInt(0, events);
            event.putLong(EPOLL_EVENT_DATA_OFFSET, fd);
            long address = Native.address(event);
            if (C.epoll_ctl(epoll, EPOLL_CTL_ADD, fd, address) < 0) {
                throw new AssertionError("epoll_ctl: errno " + Native.errno());
            }
            if (C.epoll_wait(epoll, address, 1, TIMEOUT_MILLIS) != 1) {
                throw new AssertionError("fd " + fd + " not ready for " + events + " within " + TIMEOUT_MILLIS + " ms");
            }
        } finally {
            C.close(epoll);
        }
    }
}
