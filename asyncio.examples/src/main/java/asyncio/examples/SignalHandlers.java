package asyncio.examples;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import java.util.List;

/**
 * The asyncio docs' "set signal handlers for SIGINT and SIGTERM": the loop runs for an hour
 * unless one of the two signals arrives, in which case its handler reports it and ends the wait.
 * The handlers are removed on the way out, so the JVM's own (shutdown on SIGTERM, for instance)
 * are back afterwards.
 */
public final class SignalHandlers {
    private static final List<String> SIGNALS = List.of("SIGINT", "SIGTERM");

    private SignalHandlers() {
    }

    /** Runs the example. */
    public static void main(String[] args) {
        System.out.println("Event loop running for 1 hour, press Ctrl+C to interrupt.");
        System.out.println("pid " + ProcessHandle.current().pid() + ": send SIGINT or SIGTERM to exit.");
        Asyncio.run(() -> waitForSignal(3600));
    }

    /** Coroutine: waits up to {@code seconds} for SIGINT or SIGTERM and returns its name (null if none came). */
    public static String waitForSignal(double seconds) {
        EventLoop loop = Asyncio.getRunningLoop();
        Future<String> received = loop.createFuture();
        for (String signal : SIGNALS) {
            loop.addSignalHandler(signal, () -> askExit(signal, received));
        }
        try {
            // The docs stop the loop from the handler; ending the main coroutine is asyncio.run()'s way.
            Asyncio.waitFor(received, seconds);
            return received.result();
        } catch (asyncio.api.TimeoutError noSignal) {
            return null;
        } finally {
            for (String signal : SIGNALS) {
                loop.removeSignalHandler(signal);
            }
        }
    }

    private static void askExit(String signal, Future<String> received) {
        System.out.println("got signal " + signal + ": exit");
        if (!received.done()) {
            received.setResult(signal);
        }
    }
}
