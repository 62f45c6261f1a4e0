package asyncio.epoll;

import asyncio.epoll.ffi.Native;
import java.io.IOException;

/** Failed calls as Java exceptions. */
final class Errors {
    private Errors() {
    }

    /** An exception for {@code errno} returned by {@code what}. */
    static IOException exception(int errno, String what) {
        return new IOException(what + " failed: " + Native.libc().strerror(errno) + " (errno " + errno + ")");
    }
}
