package asyncio.examples;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;

/**
 * The asyncio docs' "Hello World with call_soon()": a plain callback, scheduled with
 * {@link EventLoop#callSoon}, prints a greeting and stops the loop.
 */
public final class HelloWorldCallSoon {
    private HelloWorldCallSoon() {
    }

    /** Runs the example. */
    public static void main(String[] args) {
        EventLoop loop = Asyncio.newEventLoop();
        // The loop is the callback's only argument in Python; a Java lambda captures it.
        loop.callSoon(() -> helloWorld(loop));
        try {
            // Blocks until helloWorld stops the loop.
            loop.runForever();
        } finally {
            loop.close();
        }
    }

    private static void helloWorld(EventLoop loop) {
        System.out.println("Hello World");
        loop.stop();
    }
}
