package asyncio.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class DisplayDateCallLaterTest {
    /** How far the wall clock of the printed dates may stray from the loop's clock, in seconds. */
    private static final double SLACK = 0.05;

    @Test
    void printsTheDateEveryPeriodUntilTheNextWouldPassTheEnd() throws Exception {
        warmUp(() -> DisplayDateCallLater.run(0.01, 0.01));
        // The docs' 1 s period over 5 s, scaled down to 0.1 s over 0.5 s.
        List<String> lines = StandardOutput.linesOf(() -> DisplayDateCallLater.run(0.1, 0.5));

        assertDatesEveryPeriodUntilTheEnd(lines, 0.1, 0.5);
    }

    /**
     * Checks the examples' rule on what they printed: one date per {@code period}, and a stop
     * at the first date after which another period would reach {@code duration}. Five dates
     * when the loop is punctual; a busy machine may delay a timer and cost one, which the rule
     * allows. The printed wall-clock times stand in for the loop's clock, within {@code SLACK}.
     */
    static void assertDatesEveryPeriodUntilTheEnd(List<String> lines, double period, double duration) {
        assertTrue(lines.size() >= 2 && lines.size() <= Math.round(duration / period), lines::toString);
        List<LocalDateTime> dates = lines.stream()
                .map(line -> LocalDateTime.parse(line, DisplayDateCallLater.DATE)).toList();
        LocalDateTime first = dates.get(0);
        for (int i = 1; i < dates.size(); i++) {
            double gap = seconds(dates.get(i - 1), dates.get(i));
            assertTrue(gap >= period - SLACK, "gap of " + gap + " s in " + lines);
        }
        for (int i = 0; i < dates.size() - 1; i++) {
            assertTrue(seconds(first, dates.get(i)) + period < duration + SLACK, "went on after line " + i + ": " + lines);
        }
        double last = seconds(first, dates.get(dates.size() - 1));
        assertTrue(last + period >= duration - SLACK, "stopped too early: " + lines);
    }

    /**
     * Runs an example once and drops its output, so that the first date of the measured run is
     * not late by the one-time cost of loading the time zone, the loop's classes and the carrier
     * (tenths of a second on a busy machine), which the example counts against its duration.
     */
    static void warmUp(StandardOutput.Body example) throws Exception {
        StandardOutput.linesOf(example);
    }

    private static double seconds(LocalDateTime from, LocalDateTime to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }
}
