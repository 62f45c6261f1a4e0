package asyncio.spi;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * A JFR event for each cancellation request to a pending task ({@code Task.cancel(msg)}), with
 * the stack of whoever asked: the question "who cancelled my task?". Off unless enabled.
 */
@Name("asyncio.TaskCancelled")
@Label("Task Cancel Requested")
@Category("asyncio")
@Description("Task.cancel() was called on a pending task; the stack trace is the caller's")
@Enabled(false)
final class TaskCancelledEvent extends jdk.jfr.Event {
    @Label("Task")
    String task;

    @Label("Name")
    String name;

    @Label("Message")
    String message;

    @Label("Cancelling")
    @Description("Task.cancelling() after this request")
    int cancelling;

    @Label("Loop")
    String loop;
}
