package asyncio.tests;

import asyncio.api.Coroutine;
import asyncio.api.EventLoop;
import asyncio.api.Runner;
import asyncio.spi.EventLoopProvider;

/** One loop implementation under test; its {@code toString} is the provider's name, shown in test names. */
public record LoopKind(EventLoopProvider provider) {
    /** A new loop of this kind; the test closes it. */
    public EventLoop newLoop() {
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
