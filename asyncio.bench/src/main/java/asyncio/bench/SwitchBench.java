package asyncio.bench;

import asyncio.api.Asyncio;
import asyncio.api.Future;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

/**
 * micro.py (a) {@code switch-N}: N tasks, each awaiting {@code Asyncio.sleep(0)} K times, with
 * N * K = 100,000 per invocation; the score is switches per second. As in micro.py the tasks are
 * created before the clock starts and the clock stops when the gather of all of them is done.
 */
public abstract class SwitchBench extends LoopBench {
    static final int SWITCHES = 100_000;

    @Param({"1", "10", "100", "1000", "10000"})
    public int tasks;

    private Future<?> all;

    @Setup(Level.Invocation)
    public void createTasks() {
        int rounds = SWITCHES / tasks;
        Future<?>[] workers = new Future<?>[tasks];
        for (int i = 0; i < tasks; i++) {
            workers[i] = loop.createTask(() -> {
                for (int r = 0; r < rounds; r++) {
                    Asyncio.sleep(0);
                }
                return null;
            });
        }
        all = Asyncio.gather(workers);
    }

    @Benchmark
    @OperationsPerInvocation(SWITCHES)
    public Object switchN() {
        return loop.runUntilComplete(all);
    }

    @Fork(value = 1, jvmArgsAppend = {Forks.CONTINUATIONS, Forks.NATIVE_ACCESS, Forks.CONTINUATION})
    public static class Continuation extends SwitchBench {
    }

    // A virtual-carrier switch is two thread hand-offs, 100x a continuation: fewer iterations.
    @Fork(value = 1, jvmArgsAppend = {Forks.CONTINUATIONS, Forks.NATIVE_ACCESS, Forks.VIRTUAL})
    @Warmup(iterations = 1, time = 1)
    @Measurement(iterations = 3, time = 1)
    public static class Virtual extends SwitchBench {
    }
}
