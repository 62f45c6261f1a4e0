package asyncio.bench;

import asyncio.api.Future;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * micro.py (d) {@code future}: round trips per second, in one task. {@code done}: create a future,
 * set its result, await it (no suspension); {@code wakeup}: create a future, {@code callSoon} its
 * {@code setResult}, await it (the task suspends and the loop wakes it: the Future round trip
 * through await of the coroutines issue).
 */
public abstract class FutureBench extends LoopBench {
    static final int DONE = 1_000_000;
    static final int WAKEUPS = 10_000;

    @Benchmark
    @OperationsPerInvocation(DONE)
    public Object done(Blackhole sink) {
        return loop.runUntilComplete(() -> {
            for (int i = 0; i < DONE; i++) {
                Future<Object> future = loop.createFuture();
                future.setResult(null);
                future.await();
                // Let the future escape, as real ones do; else the JIT removes the whole round trip.
                sink.consume(future);
            }
            return null;
        });
    }

    @Benchmark
    @OperationsPerInvocation(WAKEUPS)
    public Object wakeup() {
        return loop.runUntilComplete(() -> {
            for (int i = 0; i < WAKEUPS; i++) {
                Future<Object> future = loop.createFuture();
                loop.callSoon(() -> future.setResult(null));
                future.await();
            }
            return null;
        });
    }

    @Fork(value = 1, jvmArgsAppend = {Forks.CONTINUATIONS, Forks.NATIVE_ACCESS, Forks.CONTINUATION})
    public static class Continuation extends FutureBench {
    }

    // A virtual-carrier switch is two thread hand-offs, 100x a continuation: fewer iterations.
    @Fork(value = 1, jvmArgsAppend = {Forks.CONTINUATIONS, Forks.NATIVE_ACCESS, Forks.VIRTUAL})
    @Warmup(iterations = 1, time = 1)
    @Measurement(iterations = 3, time = 1)
    public static class Virtual extends FutureBench {
    }
}
