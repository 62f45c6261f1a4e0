package asyncio.examples;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;

/**
 * The asyncio docs' "Future with run_forever()": the loop runs until a done callback of the
 * future prints its result and stops it.
 */
public final class FutureRunForever {
    private FutureRunForever() {
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
            loop.createTask(() -> FutureRunUntilComplete.slowOperation(future, seconds));
            future.addDoneCallback(done -> gotResult(done, loop));
            loop.runForever();
        } finally {
            loop.close();
        }
    }

    private static void gotResult(Future<String> future, EventLoop loop) {
        System.out.println(future.result());
        loop.stop();
    }
}
