package asyncio.spi;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A JFR event for each task that is done, with how it ended. Off unless a recording enables it. */
@Name("asyncio.TaskDone")
@Label("Task Done")
@Category("asyncio")
@Description("A task finished: with a result, an exception, or cancelled")
@Enabled(false)
@StackTrace(false)
final class TaskDoneEvent extends jdk.jfr.Event {
    @Label("Task")
    String task;

    @Label("Name")
    String name;

    @Label("State")
    @Description("finished, failed or cancelled")
    String state;

    @Label("Exception")
    @Description("The class of the exception a failed task raised; empty otherwise")
    String exception;

    @Label("Loop")
    String loop;
}
