package asyncio.bench;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.ScalarResult;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Reports throughput per second of CPU time the whole benchmark JVM used ({@code -prof
 * asyncio.bench.CpuTimeProfiler}, result {@code :cpu}). On this shared 2-core machine other
 * processes take CPU from a run and deflate its wall-clock score; the CPU-time rate does not
 * suffer from that, and it charges the benchmark for its GC and carrier threads too.
 * It counts the whole iteration, per-invocation setup included, so it is reported only for
 * throughput benchmarks.
 */
public final class CpuTimeProfiler implements InternalProfiler {
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long startNanos;

    @Override
    public String getDescription() {
        return "operations per second of process CPU time";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmark, IterationParams iteration) {
        startNanos = os.getProcessCpuTime();
    }

    @Override
    public Collection<ScalarResult> afterIteration(BenchmarkParams benchmark, IterationParams iteration,
            IterationResult result) {
        double seconds = (os.getProcessCpuTime() - startNanos) / 1e9;
        if (benchmark.getMode() != Mode.Throughput || seconds <= 0) {
            return List.of();
        }
        double ops = result.getMetadata().getAllOps();
        String unit = "ops/cpu-" + TimeValue.tuToString(benchmark.getTimeUnit());
        double perUnit = benchmark.getTimeUnit().toNanos(1) / 1e9;
        return List.of(new ScalarResult("cpu", ops / seconds * perUnit, unit, AggregationPolicy.AVG));
    }
}
