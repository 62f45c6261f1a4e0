package asyncio.spi;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * A JFR event for a callback (or a task's step) that held the loop for 100 ms or more (the
 * threshold is a JFR setting): the twin of debug mode's slow-callback warning, available from a
 * recording without debug mode. Recorded only while a recording enables it.
 */
@Name("asyncio.SlowCallback")
@Label("Slow Callback")
@Category("asyncio")
@Description("A callback or task step ran on the event loop for longer than the threshold")
@Threshold("100 ms")
@StackTrace(false)
final class SlowCallbackEvent extends jdk.jfr.Event {
    @Label("Callback")
    @Description("The callback, or the task (with its name) whose step it was")
    String callback;

    @Label("Loop")
    String loop;
}
