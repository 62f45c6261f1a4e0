package asyncio.bench;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
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
 * One selector loop per trial, as {@code Asyncio.newEventLoop()} gives it; every invocation runs it
 * until its work is done, like micro.py's {@code loop.run_until_complete}. Scores are rates per
 * second of the operation micro.py counts ({@code @OperationsPerInvocation}).
 */
@State(Scope.Thread)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public abstract class LoopBench {
    protected EventLoop loop;

    @Setup(Level.Trial)
    public void openLoop() {
        loop = Asyncio.newEventLoop();
    }

    @TearDown(Level.Trial)
    public void closeLoop() {
        loop.close();
    }
}
