package asyncio.epoll;

import jnr.constants.platform.Errno;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import jnr.posix.RLimit;

/**
 * What the epoll loop takes from jnr-posix rather than binding by hand: the C {@code environ} a
 * child inherits, the {@code RLIMIT_NOFILE} limits for a clear "too many open files", and errno
 * names. None of it is on a hot path, and jnr-posix binds its C library on first use (its cost is
 * in docs/decisions.md), so it is loaded only when one of these is asked for. The socket calls,
 * epoll, pidfd and posix_spawn stay hand-bound ({@link asyncio.epoll.ffi.LibC}).
 */
final class Posix {
    /** {@code RLIMIT_NOFILE} on Linux (asm-generic/resource.h). */
    private static final int RLIMIT_NOFILE = 7;
    /** {@code RLIM_INFINITY}: all bits set. */
    private static final long RLIM_INFINITY = -1L;

    private Posix() {
    }

    /** jnr-posix's native binding, made on first use; null when it cannot be made (the callers fall back). */
    private static final class Native {
        static final POSIX POSIX = load();

        private static POSIX load() {
            try {
                POSIX posix = POSIXFactory.getNativePOSIX();
                return posix.isNative() ? posix : null;
            } catch (RuntimeException | LinkageError unavailable) {
                return null;
            }
        }
    }

    /**
     * The address of the process's C {@code environ} (what a child started with no environment of
     * its own inherits, as C's {@code posix_spawnp(..., environ)} and Python's
     * {@code os.environ} give it), or 0 when jnr-posix cannot tell.
     */
    static long environ() {
        POSIX posix = Native.POSIX;
        if (posix == null) {
            return 0;
        }
        jnr.ffi.Pointer environ = posix.environ();
        return environ == null ? 0 : environ.address();
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
        POSIX posix = Native.POSIX;
        if (posix == null) {
            return "";
        }
        try {
            RLimit limit = posix.getrlimit(RLIMIT_NOFILE);
            return " (the limit of open files, RLIMIT_NOFILE, is " + text(limit.rlimCur()) + ", at most "
                    + text(limit.rlimMax()) + ": raise it with `ulimit -n` or close descriptors sooner)";
        } catch (RuntimeException | LinkageError unreadable) {
            return "";
        }
    }

    private static String text(long limit) {
        return limit == RLIM_INFINITY ? "unlimited" : Long.toString(limit);
    }
}
