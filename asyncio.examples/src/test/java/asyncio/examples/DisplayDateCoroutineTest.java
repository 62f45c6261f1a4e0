package asyncio.examples;

import asyncio.api.Asyncio;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class DisplayDateCoroutineTest {
    @Test
    void printsTheDateEveryPeriodUntilTheNextWouldPassTheEnd() throws Exception {
        DisplayDateCallLaterTest.warmUp(() -> Asyncio.run(() -> DisplayDateCoroutine.displayDate(0.01, 0.01)));
        List<String> lines = StandardOutput.linesOf(() -> Asyncio.run(() -> DisplayDateCoroutine.displayDate(0.1, 0.5)));

        DisplayDateCallLaterTest.assertDatesEveryPeriodUntilTheEnd(lines, 0.1, 0.5);
    }
}
