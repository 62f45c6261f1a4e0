package asyncio.examples;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;

/**
 * The asyncio docs' "Future with run_until_complete()": a task completes a future after a
 * while, and the loop runs exactly until the future is done.
 */
public final class FutureRunUntilComplete {
    private FutureRunUntilComplete() {
    }

    /** Runs the example. */
    public static void main(String[] args) {
        run(1.0);
    }

    /** Runs the example with a slow operation of {@code seconds}. */
    public static void run(double seconds) {
        EventLoop loop = Asyncio.newEventLoop();
        try {
            Future<String> future = loop.createFuture();
            loop.createTask(() -> slowOperation(future, seconds));
            loop.runUntilComplete(future);
            System.out.println(future.result());
        } finally {
            loop.close();
        }
    }

    static Void slowOperation(Future<String> future, double seconds) {
        Asyncio.sleep(seconds);
        future.setResult("Future is done!");
        return null;
    }
}
