package asyncio.epoll;

import asyncio.epoll.ffi.Native;
import jnr.constants.platform.Errno;

/**
 * What the epoll loop reads of its process as C sees it, as Python's {@code os} module does: the
 * C {@code environ} a child inherits, the {@code RLIMIT_NOFILE} limits for a clear "too many open
 * files", and errno names (from jnr-constants, the tables jnr-posix uses). environ and getrlimit
 * are hand-bound in {@link asyncio.epoll.ffi.LibC}, not taken from jnr-posix, whose own binding
 * costs far more at first use (docs/decisions.md); neither needs a descriptor, so the hint works
 * when descriptors have run out.
 */
final class Posix {
    /** {@code RLIMIT_NOFILE} on Linux (asm-generic/resource.h). */
    private static final int RLIMIT_NOFILE = 7;
    /** {@code RLIM_INFINITY}: all bits set. */
    private static final long RLIM_INFINITY = -1L;

    private Posix() {
    }

    /** The value of C's {@code environ} now: the {@code char**} a child with no environment of its own inherits. */
    static long environ() {
        return Native.libc().environ().get();
    }

    /** The errno's symbolic name, e.g. {@code EINVAL}, or {@code errno N} when it has none here. */
    static String errnoName(int errno) {
        Errno known = Errno.valueOf(errno);
        return known == null || known == Errno.__UNKNOWN_CONSTANT__ ? "errno " + errno : known.name();
    }

    /**
     * What to add to "Too many open files": the process's {@code RLIMIT_NOFILE} limits and how to
     * raise them, or the empty string when they cannot be read.
     */
    static String openFilesHint() {
        long[] limits = new long[2];
        if (Native.libc().getrlimit(RLIMIT_NOFILE, limits) != 0) {
            return "";
        }
        return " (the limit of open files, RLIMIT_NOFILE, is " + text(limits[0]) + ", at most " + text(limits[1])
                + ": raise it with `ulimit -n` or close descriptors sooner)";
    }

    private static String text(long limit) {
        return limit == RLIM_INFINITY ? "unlimited" : Long.toString(limit);
    }
}
