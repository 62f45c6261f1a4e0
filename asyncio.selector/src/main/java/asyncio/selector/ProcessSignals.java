package asyncio.selector;

import asyncio.api.subprocess.ProcessLookupError;
import asyncio.selector.ffi.Posix;
import java.io.IOException;
import java.io.UncheckedIOException;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/**
 * kill(2) for the selector loop's children, bound lazily on the first signal the JDK cannot send
 * itself. Where the binding cannot load (jnr-ffi, an optional dependency, is absent; no POSIX C
 * library; no native jffi for this platform), {@link #available()} says no and the loop keeps
 * its old way, the {@code kill} program.
 */
final class ProcessSignals {
    private static final int ESRCH = 3;
    private static final int EINVAL = 22;

    private ProcessSignals() {
    }

    private static final class Loaded {
        static final Posix POSIX;
        static final Runtime RUNTIME;

        static {
            Posix posix = null;
            Runtime runtime = null;
            try {
                if (!System.getProperty("os.name", "").startsWith("Windows")) {
                    posix = LibraryLoader.create(Posix.class).load("c");
                    runtime = Runtime.getRuntime(posix);
                }
            } catch (Throwable unavailable) {
                // LinkageError or UnsatisfiedLinkError: this platform has no binding; fall back.
                posix = null;
            }
            POSIX = posix;
            RUNTIME = runtime;
        }
    }

    static boolean available() {
        try {
            return Loaded.POSIX != null;
        } catch (LinkageError noJnr) {
            // jnr-ffi is not on the module path (it is optional): the binding class cannot even load.
            return false;
        }
    }

    /** Sends {@code signal} to {@code pid}, raising as asyncio's {@code send_signal} does. */
    static void kill(long pid, int signal) {
        if (Loaded.POSIX.kill(Math.toIntExact(pid), signal) == 0) {
            return;
        }
        int errno = LastError.getLastError(Loaded.RUNTIME);
        if (errno == ESRCH) {
            throw new ProcessLookupError("the process " + pid + " is gone");
        }
        if (errno == EINVAL) {
            throw new IllegalArgumentException("invalid signal number " + signal);
        }
        throw new UncheckedIOException(new IOException("kill(" + pid + ", " + signal + ") failed: errno " + errno));
    }
}
