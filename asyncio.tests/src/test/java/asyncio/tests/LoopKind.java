package asyncio.tests;

import asyncio.api.Coroutine;
import asyncio.api.EventLoop;
import asyncio.api.Runner;
import asyncio.spi.EventLoopProvider;
import org.junit.jupiter.api.Assumptions;

/**
 * One loop implementation under test; its {@code toString} is the provider's name, shown in test
 * names. {@code unsupportedReason} is the probe's refusal of a loop the matrix asked for anyway
 * (null: supported): its cases are reported skipped with that reason ({@link UnsupportedLoops}).
 */
public record LoopKind(EventLoopProvider provider, String unsupportedReason) {
    /** A supported loop kind. */
    public LoopKind(EventLoopProvider provider) {
        this(provider, null);
    }

    /** A new loop of this kind; the test closes it. Aborts the test (skipped) for a loop the probe refused. */
    public EventLoop newLoop() {
        Assumptions.assumeTrue(unsupportedReason == null, () -> provider.name() + " is not supported here: " + unsupportedReason);
        return provider.newEventLoop();
    }

    /** Runs {@code main} on a fresh loop of this kind, as {@code Asyncio.run} would, and closes the loop. */
    public <T> T run(Coroutine<T> main) {
        try (Runner runner = new Runner(null, this::newLoop)) {
            return runner.run(main);
        }
    }

    @Override
    public String toString() {
        return provider.name();
    }
}
