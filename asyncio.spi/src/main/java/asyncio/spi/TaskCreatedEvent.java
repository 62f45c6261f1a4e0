package asyncio.spi;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * A JFR event for each new task, with the stack that created it. Off unless a recording enables
 * it: a busy program creates tasks by the hundred thousand a second.
 */
@Name("asyncio.TaskCreated")
@Label("Task Created")
@Category("asyncio")
@Description("A task was created (asyncio.create_task, TaskGroup.create_task, ensure_future, ...)")
@Enabled(false)
final class TaskCreatedEvent extends jdk.jfr.Event {
    @Label("Task")
    @Description("The task's id, 0x and its identity hash, as the call graph and asyncio-ps show it")
    String task;

    @Label("Name")
    String name;

    @Label("Loop")
    String loop;
}
