package asyncio.tests;

import static org.junit.jupiter.api.Assertions.fail;

import asyncio.api.EventLoop;
import asyncio.api.Handle;
import asyncio.api.TimerHandle;
import java.util.function.BooleanSupplier;

/**
 * Drives a loop from a test thread: exactly one iteration, or until the test stops it, with a
 * watchdog so a broken loop fails the test instead of hanging it.
 */
final class LoopDriver {
    /** How long a loop may run before the watchdog stops it and fails the test. */
    static final double WATCHDOG_SECONDS = 10;

    private LoopDriver() {
    }

    /** Runs one iteration: a stop requested before running lets exactly one iteration run. */
    static void runOnce(EventLoop loop) {
        loop.stop();
        loop.runForever();
    }

    /** Runs the loop until something calls {@code stop()}; fails if nothing does within the watchdog. */
    static void runUntilStopped(EventLoop loop) {
        boolean[] fired = {false};
        TimerHandle watchdog = loop.callLater(WATCHDOG_SECONDS, () -> {
            fired[0] = true;
            loop.stop();
        });
        try {
            loop.runForever();
        } finally {
            watchdog.cancel();
        }
        if (fired[0]) {
            fail("the loop was not stopped within " + WATCHDOG_SECONDS + " s");
        }
    }

    /**
     * Runs the loop, calling {@code step} every {@code period} seconds, until {@code done} holds
     * (checked after each step and by callbacks that stop the loop); fails after the watchdog.
     */
    static void runUntil(EventLoop loop, double period, Runnable step, BooleanSupplier done) {
        Runnable[] tick = new Runnable[1];
        Handle[] pending = new Handle[1];
        tick[0] = () -> {
            if (done.getAsBoolean()) {
                loop.stop();
                return;
            }
            step.run();
            pending[0] = loop.callLater(period, tick[0]);
        };
        pending[0] = loop.callSoon(tick[0]);
        try {
            runUntilStopped(loop);
        } finally {
            pending[0].cancel();
        }
    }
}
