package asyncio.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Task create+await (the coroutines issue; no micro.py letter): one task repeatedly does
 * {@code loop.createTask(() -> null).await()}, Python's {@code await asyncio.create_task(coro())}.
 * Each round trip starts a task, runs it to its end and wakes the awaiting task; tasks per second.
 */
public abstract class TaskBench extends LoopBench {
    static final int TASKS = 10_000;

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public Object createAwait() {
        return loop.runUntilComplete(() -> {
            for (int i = 0; i < TASKS; i++) {
                loop.createTask(() -> null).await();
            }
            return null;
        });
    }

    @Fork(value = 1, jvmArgsAppend = {Forks.CONTINUATIONS, Forks.NATIVE_ACCESS, Forks.CONTINUATION})
    public static class Continuation extends TaskBench {
    }

    // A virtual-carrier switch is two thread hand-offs, 100x a continuation: fewer iterations.
    @Fork(value = 1, jvmArgsAppend = {Forks.CONTINUATIONS, Forks.NATIVE_ACCESS, Forks.VIRTUAL})
    @Warmup(iterations = 1, time = 1)
    @Measurement(iterations = 3, time = 1)
    public static class Virtual extends TaskBench {
    }
}
