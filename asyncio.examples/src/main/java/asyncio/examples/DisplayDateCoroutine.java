package asyncio.examples;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import java.time.LocalDateTime;

/**
 * The asyncio docs' "coroutine displaying the current date": the same job as
 * {@link DisplayDateCallLater}, written as a loop that sleeps between prints.
 */
public final class DisplayDateCoroutine {
    private DisplayDateCoroutine() {
    }

    /** Runs the example: every second for five seconds. */
    public static void main(String[] args) {
        Asyncio.run(() -> displayDate(1.0, 5.0));
    }

    /** The coroutine: prints the date every {@code period} seconds until {@code duration} seconds have passed. */
    public static Void displayDate(double period, double duration) {
        EventLoop loop = Asyncio.getRunningLoop();
        double endTime = loop.time() + duration;
        while (true) {
            System.out.println(LocalDateTime.now().format(DisplayDateCallLater.DATE));
            if (loop.time() + period >= endTime) {
                return null;
            }
            Asyncio.sleep(period);
        }
    }
}
