package asyncio.tests;

import asyncio.api.Asyncio;

/** Lets other tasks of the running loop run: each turn is one {@code sleep(0)} of the current task. */
final class Turns {
    private Turns() {
    }

    /** Yields {@code n} times, enough for tasks already woken to run up to their next wait. */
    static void pass(int n) {
        for (int i = 0; i < n; i++) {
            Asyncio.sleep(0);
        }
    }
}
