package asyncio.bench;

import asyncio.epoll.ffi.LibC;
import asyncio.epoll.ffi.Native;
import java.util.concurrent.TimeUnit;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import jnr.posix.RLimit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * jnr-posix against the epoll loop's hand binding ({@link LibC}, jnr-ffi): why the loop keeps its
 * own (docs/decisions.md). {@link Calls}: the cost of one call, warm. {@link FirstUse}: the cost
 * of binding, once, each in a fresh JVM: the hand binding alone, jnr-posix alone, and jnr-posix in
 * a JVM whose epoll loop has bound its C library already (what using it on a loop path would add).
 */
public final class PosixCallBench {
    /** {@code RLIMIT_NOFILE} on Linux. */
    static final int RLIMIT_NOFILE = 7;

    private PosixCallBench() {
    }

    /** Per call, warm: getpid, getrlimit(RLIMIT_NOFILE), kill(self, 0) through each binding. */
    @State(Scope.Benchmark)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Fork(value = 1, jvmArgsAppend = Forks.NATIVE_ACCESS)
    @Warmup(iterations = 3, time = 1)
    @Measurement(iterations = 5, time = 1)
    public static class Calls {
        LibC hand;
        POSIX posix;
        int pid;
        final long[] limits = new long[2];
        RLimit reused;

        @Setup
        public void bind() {
            hand = Native.libc();
            posix = POSIXFactory.getNativePOSIX();
            pid = hand.getpid();
            reused = posix.getrlimit(RLIMIT_NOFILE);
        }

        @Benchmark
        public int getpidHand() {
            return hand.getpid();
        }

        @Benchmark
        public int getpidPosix() {
            return posix.getpid();
        }

        @Benchmark
        public long getrlimitHand() {
            hand.getrlimit(RLIMIT_NOFILE, limits);
            return limits[0];
        }

        /** jnr-posix's natural form: a new struct each call. */
        @Benchmark
        public long getrlimitPosix() {
            return posix.getrlimit(RLIMIT_NOFILE).rlimCur();
        }

        /** jnr-posix with one struct kept, as a hot path would have to. */
        @Benchmark
        public long getrlimitPosixReused() {
            posix.getrlimit(RLIMIT_NOFILE, reused);
            return reused.rlimCur();
        }

        /** Signal 0: the permission and existence check only, nothing delivered. */
        @Benchmark
        public int kill0Hand() {
            return hand.kill(pid, 0);
        }

        @Benchmark
        public int kill0Posix() {
            return posix.kill(pid, 0);
        }
    }

    /** Binding once, in a fresh JVM each time: single shots over ten forks. */
    @State(Scope.Benchmark)
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Fork(value = 10, jvmArgsAppend = Forks.NATIVE_ACCESS)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    public static class FirstUse {
        /** The hand binding loads jnr-ffi and binds {@link LibC}, then calls getpid. */
        @Benchmark
        public int handBinding() {
            return Native.libc().getpid();
        }

        /** jnr-posix loads jnr-ffi and binds its own C library, then calls getpid. */
        @Benchmark
        public int posixBinding() {
            return POSIXFactory.getNativePOSIX().getpid();
        }
    }

    /** jnr-posix's first use in a JVM where the hand binding (and so jnr-ffi) is up already: the epoll loop's case. */
    @State(Scope.Benchmark)
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Fork(value = 10, jvmArgsAppend = Forks.NATIVE_ACCESS)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    public static class FirstUseAfterLoop {
        @Setup(Level.Trial)
        public void bindHand() {
            Native.libc().getpid();
        }

        @Benchmark
        public int posixBinding() {
            return POSIXFactory.getNativePOSIX().getpid();
        }
    }
}
