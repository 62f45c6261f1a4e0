package asyncio.selector;

import asyncio.api.EventLoop;
import asyncio.spi.EventLoopProvider;
import java.io.IOException;
import java.nio.channels.Selector;

/** Provides the portable {@link SelectorEventLoop}: supported wherever a {@link Selector} opens. */
public final class SelectorEventLoopProvider implements EventLoopProvider {
    /** The provider; found by {@link java.util.ServiceLoader}. */
    public SelectorEventLoopProvider() {
    }

    @Override
    public String name() {
        return "selector";
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public String unsupportedReason() {
        try (Selector probe = Selector.open()) {
            return probe.isOpen() ? null : "Selector.open() returned a closed selector";
        } catch (IOException | RuntimeException failed) {
            return "Selector.open() failed: " + failed;
        }
    }

    @Override
    public EventLoop newEventLoop() {
        return new SelectorEventLoop();
    }
}
