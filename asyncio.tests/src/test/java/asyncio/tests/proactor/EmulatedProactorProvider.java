package asyncio.tests.proactor;

import asyncio.api.EventLoop;
import asyncio.spi.EventLoopProvider;

/**
 * The test-scope provider {@code proactor-emulated}: the proactor transports over a completion
 * port emulated on a selector. It is in the suite's loop matrix by default (never chosen by the
 * policy: its priority is the lowest); {@code -Dasyncio.tests.proactor=false} leaves it out, for a
 * quicker local run, unless it is forced by name with {@code -Dasyncio.loop}.
 */
public final class EmulatedProactorProvider implements EventLoopProvider {
    static final String NAME = "proactor-emulated";
    /** The system property that, set to false, leaves this provider out of the suite's loop matrix. */
    public static final String ENABLE = "asyncio.tests.proactor";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        // Never chosen by default: a test loop only.
        return -100;
    }

    @Override
    public String unsupportedReason() {
        // Asked for by name (a child JVM of a test forces its parent's loop this way) counts as enabled.
        boolean askedFor = NAME.equals(System.getProperty("asyncio.loop")) || NAME.equals(System.getenv("ASYNCIO_LOOP"));
        boolean leftOut = "false".equalsIgnoreCase(System.getProperty(ENABLE));
        return askedFor || !leftOut ? null : "the emulated proactor was left out with -D" + ENABLE + "=false";
    }

    @Override
    public EventLoop newEventLoop() {
        return new EmulatedProactorEventLoop();
    }
}
