package asyncio.examples;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The asyncio docs' "Display the current date with call_later()": a callback prints the date
 * and reschedules itself every second until five seconds have passed.
 */
public final class DisplayDateCallLater {
    /** The format of Python's {@code str(datetime.now())}. */
    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private DisplayDateCallLater() {
    }

    /** Runs the example: every second for five seconds. */
    public static void main(String[] args) {
        run(1.0, 5.0);
    }

    /** Prints the date every {@code period} seconds until {@code duration} seconds have passed. */
    public static void run(double period, double duration) {
        EventLoop loop = Asyncio.newEventLoop();
        double endTime = loop.time() + duration;
        loop.callSoon(() -> displayDate(endTime, period, loop));
        try {
            loop.runForever();
        } finally {
            loop.close();
        }
    }

    private static void displayDate(double endTime, double period, EventLoop loop) {
        System.out.println(LocalDateTime.now().format(DATE));
        if (loop.time() + period < endTime) {
            loop.callLater(period, () -> displayDate(endTime, period, loop));
        } else {
            loop.stop();
        }
    }
}
