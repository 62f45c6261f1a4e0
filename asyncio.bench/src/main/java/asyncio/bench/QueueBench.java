package asyncio.bench;

import asyncio.api.Asyncio;
import asyncio.api.queues.Queue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Warmup;

/**
 * micro.py (e) {@code queue-M}: a producer task puts 10,000 ints into a {@code Queue(maxsize)},
 * a consumer task gets them and checks their order; pairs per second from starting both tasks
 * until the gather of both is done. {@code maxsize} 0 is unbounded.
 */
public abstract class QueueBench extends LoopBench {
    static final int PAIRS = 10_000;

    @Param({"1", "0"})
    public int maxsize;

    @Benchmark
    @OperationsPerInvocation(PAIRS)
    public Object queue() {
        return loop.runUntilComplete(() -> {
            Queue<Integer> queue = new Queue<>(maxsize);
            return Asyncio.gather(loop.createTask(() -> {
                for (int i = 0; i < PAIRS; i++) {
                    queue.put(i);
                }
                return null;
            }), loop.createTask(() -> {
                for (int i = 0; i < PAIRS; i++) {
                    if (queue.get() != i) {
                        throw new AssertionError("queue order");
                    }
                }
                return null;
            })).await();
        });
    }

    @Fork(value = 1, jvmArgsAppend = {Forks.CONTINUATIONS, Forks.NATIVE_ACCESS, Forks.CONTINUATION})
    public static class Continuation extends QueueBench {
    }

    // A virtual-carrier switch is two thread hand-offs, 100x a continuation: fewer iterations.
    @Fork(value = 1, jvmArgsAppend = {Forks.CONTINUATIONS, Forks.NATIVE_ACCESS, Forks.VIRTUAL})
    @Warmup(iterations = 1, time = 1)
    @Measurement(iterations = 3, time = 1)
    public static class Virtual extends QueueBench {
    }
}
