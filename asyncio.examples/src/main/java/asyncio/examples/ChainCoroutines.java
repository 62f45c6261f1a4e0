package asyncio.examples;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;

/**
 * The asyncio docs' "chain coroutines": {@code printSum} awaits {@code compute}. In Java a
 * coroutine awaiting another coroutine is a plain method call: both run in the same task, and
 * {@code compute}'s sleep suspends that task.
 */
public final class ChainCoroutines {
    private ChainCoroutines() {
    }

    /** Runs the example with {@code runUntilComplete}, as the docs do. */
    public static void main(String[] args) {
        run(1.0);
    }

    /** Computes 1 + 2 in a task that sleeps {@code seconds} on the way. */
    public static void run(double seconds) {
        EventLoop loop = Asyncio.newEventLoop();
        try {
            loop.runUntilComplete(() -> printSum(1, 2, seconds));
        } finally {
            loop.close();
        }
    }

    private static int compute(int x, int y, double seconds) {
        System.out.println("Compute " + x + " + " + y + " ...");
        Asyncio.sleep(seconds);
        return x + y;
    }

    private static Void printSum(int x, int y, double seconds) {
        int result = compute(x, y, seconds);
        System.out.println(x + " + " + y + " = " + result);
        return null;
    }
}
