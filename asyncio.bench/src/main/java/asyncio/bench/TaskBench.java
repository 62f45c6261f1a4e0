package asyncio.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * Task create+await (the coroutines issue; no micro.py letter): one task repeatedly does
 * {@code loop.createTask(() -> null).await()}, Python's {@code await asyncio.create_task(coro())}.
 * Each round trip starts a task, runs it to its end and wakes the awaiting task; tasks per second.
 */
public abstract class TaskBench extends LoopBench {
    static final int TASKS = 100_000;

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

    @Fork(jvmArgsAppend = {Forks.CONTINUATIONS, Forks.NATIVE_ACCESS, Forks.CONTINUATION})
    public static class Continuation extends TaskBench {
    }

    @Fork(jvmArgsAppend = {Forks.CONTINUATIONS, Forks.NATIVE_ACCESS, Forks.VIRTUAL})
    public static class Virtual extends TaskBench {
    }
}
