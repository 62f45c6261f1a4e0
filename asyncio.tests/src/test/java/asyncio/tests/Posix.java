package asyncio.tests;

import jnr.constants.platform.Errno;
import jnr.constants.platform.Signal;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import jnr.posix.RLimit;

/**
 * The C calls the suite makes on its own process and its children, through jnr-posix: signals
 * without running kill(1), a child's reap state from waitpid, the open-files limit without
 * prlimit(1), the C environment behind Java's back. Test code only: the loops keep their hand
 * bindings, since jnr-posix's own binding costs far more on first use (docs/decisions.md).
 */
public final class Posix {
    /** {@code RLIMIT_NOFILE} on Linux (asm-generic/resource.h). */
    public static final int RLIMIT_NOFILE = 7;
    /** {@code WNOHANG}: waitpid returns 0 at once for a child still running. */
    private static final int WNOHANG = 1;

    private static final POSIX POSIX = POSIXFactory.getNativePOSIX();

    private Posix() {
    }

    /** This JVM's process id, as C's getpid sees it. */
    public static long getpid() {
        return POSIX.getpid();
    }

    /** Sends the signal named {@code name} ("USR2" or "SIGUSR2") to {@code pid}; fails the test if kill(2) does. */
    public static void kill(long pid, String name) {
        kill(pid, signal(name));
    }

    /** Sends signal {@code number} to {@code pid}; fails the test if kill(2) does. */
    public static void kill(long pid, int number) {
        if (POSIX.kill(pid, number) != 0) {
            throw new AssertionError("kill(" + pid + ", " + number + "): " + errnoName());
        }
    }

    /** Sends the signal named {@code name} to this JVM. */
    public static void raise(String name) {
        kill(getpid(), name);
    }

    /** The number of the signal named {@code name}, with or without its "SIG". */
    public static int signal(String name) {
        Signal signal = Signal.valueOf(name.startsWith("SIG") ? name : "SIG" + name);
        if (!signal.defined()) {
            throw new IllegalArgumentException("no signal " + name + " here");
        }
        return signal.intValue();
    }

    /** What a non-blocking waitpid says of a child of this process. */
    public enum Reap {
        /** 0: the child still runs. */
        RUNNING,
        /** The pid: the child had exited and nobody had reaped it (a zombie); this call reaped it. */
        ZOMBIE_REAPED_NOW,
        /** ECHILD: no child of this process has that pid any more; someone reaped it. */
        GONE
    }

    /**
     * {@code waitpid(pid, WNOHANG)}. Reaps the child if it is a zombie, so a test asks only once it
     * expects the answer {@link Reap#GONE}.
     */
    public static Reap waitpidNoHang(long pid) {
        int result = POSIX.waitpid(pid, new int[1], WNOHANG);
        if (result == 0) {
            return Reap.RUNNING;
        }
        if (result == pid) {
            return Reap.ZOMBIE_REAPED_NOW;
        }
        if (result == -1 && POSIX.errno() == Errno.ECHILD.intValue()) {
            return Reap.GONE;
        }
        throw new AssertionError("waitpid(" + pid + ", WNOHANG) = " + result + ": " + errnoName());
    }

    /** The soft and hard limits of {@code resource}. */
    public static long[] getrlimit(int resource) {
        RLimit limit = POSIX.getrlimit(resource);
        return new long[] {limit.rlimCur(), limit.rlimMax()};
    }

    /** Sets the soft and hard limits of {@code resource}; fails the test if setrlimit does. */
    public static void setrlimit(int resource, long soft, long hard) {
        if (POSIX.setrlimit(resource, soft, hard) != 0) {
            throw new AssertionError("setrlimit(" + resource + ", " + soft + ", " + hard + "): " + errnoName());
        }
    }

    /** C's setenv: a variable Java's start-up snapshot ({@link System#getenv()}) never sees. */
    public static void setenv(String name, String value) {
        if (POSIX.setenv(name, value, 1) != 0) {
            throw new AssertionError("setenv(" + name + "): " + errnoName());
        }
    }

    /** C's unsetenv. */
    public static void unsetenv(String name) {
        if (POSIX.unsetenv(name) != 0) {
            throw new AssertionError("unsetenv(" + name + "): " + errnoName());
        }
    }

    private static String errnoName() {
        int errno = POSIX.errno();
        Errno known = Errno.valueOf(errno);
        return (known == null ? "errno " + errno : known.name()) + " (" + POSIX.strerror(errno) + ")";
    }
}
