package asyncio.bench;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.TimerHandle;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * micro.py (c) {@code call_later-1M}, without its one-second wait: milliseconds per batch of 1M
 * timers, each invocation on a fresh loop (opened, filled and closed outside the clock).
 * Delays are {@code Random(42).nextDouble()} seconds: micro.py's distribution, not its values.
 * <ul>
 * <li>{@code schedule}: 1M {@code callLater(delay, cb)} (micro.py {@code schedule_s}), issued while
 *     the loop is not running: a running loop would fire the timers that fall due meanwhile;
 * <li>{@code cancelHalf}: cancelling every second of those 1M handles ({@code cancel_s});
 * <li>{@code runHalfCancelled}: the loop running 1M timers that are already due, in random order
 *     over the past second, half of them cancelled, until the last live one fired: the heap work
 *     of micro.py's run phase ({@code total_s} minus schedule, cancel and waiting);
 * <li>{@code cancelAllAndRun}: cancelling 1M {@code callLater(0, cb)} timers and running the loop
 *     until a live timer scheduled after them fired: the whole cost of 1M cancelled timers.
 * </ul>
 */
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public abstract class TimerBench {
    static final int TIMERS = 1_000_000;

    @Benchmark
    public void schedule(Timers timers) {
        timers.scheduleAll();
    }

    @Benchmark
    public void cancelHalf(Scheduled timers) {
        timers.cancelEverySecond();
    }

    @Benchmark
    public Object runHalfCancelled(DueInThePast timers) {
        return timers.loop.runUntilComplete(timers.lastFired);
    }

    @Benchmark
    public Object cancelAllAndRun(DueNow timers) {
        for (TimerHandle handle : timers.handles) {
            handle.cancel();
        }
        return timers.loop.runUntilComplete(timers.lastFired);
    }

    /** A fresh, empty loop per invocation, the delays, the handles and the callback every timer runs. */
    @State(Scope.Thread)
    public static class Timers {
        final double[] delays = new Random(42).doubles(TIMERS).toArray();
        final TimerHandle[] handles = new TimerHandle[TIMERS];
        int fired;
        final Runnable callback = () -> fired++;
        EventLoop loop;
        Future<Object> lastFired;

        @Setup(Level.Invocation)
        public void openLoop() {
            loop = Asyncio.newEventLoop();
            lastFired = loop.createFuture();
            fired = 0;
            fill();
        }

        @TearDown(Level.Invocation)
        public void closeLoop() {
            loop.close();
        }

        /** Schedules what the benchmark starts from, before the clock starts. */
        void fill() {
        }

        void scheduleAll() {
            for (int i = 0; i < TIMERS; i++) {
                handles[i] = loop.callLater(delays[i], callback);
            }
        }

        void cancelEverySecond() {
            for (int i = 0; i < TIMERS; i += 2) {
                handles[i].cancel();
            }
        }
    }

    /** 1M timers scheduled as {@code schedule} does. */
    @State(Scope.Thread)
    public static class Scheduled extends Timers {
        @Override
        void fill() {
            scheduleAll();
        }
    }

    /** 1M timers due at random times over the past second, every second one cancelled. */
    @State(Scope.Thread)
    public static class DueInThePast extends Timers {
        @Override
        void fill() {
            double start = loop.time() - 1;
            for (int i = 0; i < TIMERS; i++) {
                handles[i] = loop.callAt(start + delays[i], callback);
            }
            cancelEverySecond();
            // Due after all the others; it also checks that no cancelled timer ran.
            loop.callAt(start + 1, () -> {
                if (fired == TIMERS / 2) {
                    lastFired.setResult(null);
                } else {
                    lastFired.setException(new AssertionError(fired + " timers fired"));
                }
            });
        }
    }

    /** 1M {@code callLater(0, cb)} timers and a live one after them. */
    @State(Scope.Thread)
    public static class DueNow extends Timers {
        @Override
        void fill() {
            for (int i = 0; i < TIMERS; i++) {
                handles[i] = loop.callLater(0, callback);
            }
            loop.callLater(0, () -> lastFired.setResult(null));
        }
    }

    @Fork(value = 1, jvmArgsAppend = {Forks.CONTINUATIONS, Forks.NATIVE_ACCESS, Forks.CONTINUATION})
    public static class Continuation extends TimerBench {
    }

    // A virtual-carrier switch is two thread hand-offs, 100x a continuation: fewer iterations.
    @Fork(value = 1, jvmArgsAppend = {Forks.CONTINUATIONS, Forks.NATIVE_ACCESS, Forks.VIRTUAL})
    @Warmup(iterations = 1, time = 1)
    @Measurement(iterations = 3, time = 1)
    public static class Virtual extends TimerBench {
    }
}
