package asyncio.bench;

import asyncio.api.Future;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Warmup;

/**
 * micro.py (b) {@code call_soon}: callbacks per second. {@code batch}: a coroutine issues 1M
 * {@code callSoon(cb)} at once and awaits the last one; {@code chain}: a callback that
 * {@code callSoon}s itself 300,000 times, one loop iteration each.
 */
public abstract class CallSoonBench extends LoopBench {
    static final int BATCH = 1_000_000;
    static final int CHAIN = 300_000;

    private int count;

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Object batch() {
        return loop.runUntilComplete(() -> {
            Future<Object> done = loop.createFuture();
            count = 0;
            Runnable callback = () -> {
                if (++count == BATCH) {
                    done.setResult(null);
                }
            };
            for (int i = 0; i < BATCH; i++) {
                loop.callSoon(callback);
            }
            return done.await();
        });
    }

    @Benchmark
    @OperationsPerInvocation(CHAIN)
    public Object chain() {
        return loop.runUntilComplete(() -> {
            Future<Object> done = loop.createFuture();
            count = 0;
            loop.callSoon(new Runnable() {
                @Override
                public void run() {
                    if (++count == CHAIN) {
                        done.setResult(null);
                    } else {
                        loop.callSoon(this);
                    }
                }
            });
            return done.await();
        });
    }

    @Fork(value = 1, jvmArgsAppend = {Forks.CONTINUATIONS, Forks.NATIVE_ACCESS, Forks.CONTINUATION})
    public static class Continuation extends CallSoonBench {
    }

    // A virtual-carrier switch is two thread hand-offs, 100x a continuation: fewer iterations.
    @Fork(value = 1, jvmArgsAppend = {Forks.CONTINUATIONS, Forks.NATIVE_ACCESS, Forks.VIRTUAL})
    @Warmup(iterations = 1, time = 1)
    @Measurement(iterations = 3, time = 1)
    public static class Virtual extends CallSoonBench {
    }
}
