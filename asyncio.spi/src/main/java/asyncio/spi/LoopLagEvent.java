package asyncio.spi;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/**
 * A JFR sample of how late a running loop runs a callback: at each period a callback is sent to
 * every running loop from another thread, and the event lasts from the send until the loop ran
 * it (the lag its MXBean reports as {@code LoopLagMillis}). A loop held by a slow callback, or
 * with a long ready queue, shows a long event. Recorded only while a recording enables it.
 */
@Name("asyncio.LoopLag")
@Label("Event Loop Lag")
@Category("asyncio")
@Description("How long a callback sent to a running event loop waited before the loop ran it")
@Period("1 s")
@StackTrace(false)
final class LoopLagEvent extends jdk.jfr.Event {
    @Label("Loop")
    String loop;

    @Label("Ready Queue Length")
    @Description("Callbacks waiting in the ready queue when the sample ran")
    int readyQueueLength;
}
