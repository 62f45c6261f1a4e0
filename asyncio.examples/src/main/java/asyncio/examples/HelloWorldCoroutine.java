package asyncio.examples;

import asyncio.api.Asyncio;

/**
 * The asyncio docs' "Hello World" coroutine: print, sleep one second without blocking the loop,
 * print again. {@code asyncio.run(main())} is {@code Asyncio.run(() -> ...)}.
 */
public final class HelloWorldCoroutine {
    private HelloWorldCoroutine() {
    }

    /** Runs the example. */
    public static void main(String[] args) {
        Asyncio.run(() -> helloWorld(1.0));
    }

    /** The coroutine: greets in two halves, {@code seconds} apart. */
    public static Void helloWorld(double seconds) {
        System.out.println("Hello ...");
        Asyncio.sleep(seconds);
        System.out.println("... World!");
        return null;
    }
}
