package asyncio.spi;

import java.util.List;

/**
 * One pending task as {@link EventLoopMXBean#getTasks()} shows it (a JMX composite): the row
 * {@code python -m asyncio ps} prints for a task, and its edges in the {@code pstree}.
 */
public final class TaskInfo {
    private final String id;
    private final String name;
    private final String state;
    private final List<String> stack;
    private final List<String> awaitedBy;

    /** A task's description; {@code stack} innermost frame first, {@code awaitedBy} the ids of the tasks awaiting it. */
    public TaskInfo(String id, String name, String state, List<String> stack, List<String> awaitedBy) {
        this.id = id;
        this.name = name;
        this.state = state;
        this.stack = List.copyOf(stack);
        this.awaitedBy = List.copyOf(awaitedBy);
    }

    /** The task's identity, {@code 0x} and its identity hash, as the call graph prints it. */
    public String getId() {
        return id;
    }

    /** The task's name. Mirrors {@code Task.get_name()}. */
    public String getName() {
        return name;
    }

    /** {@code pending}, {@code cancelling} or {@code running} (the task whose code runs now). */
    public String getState() {
        return state;
    }

    /** The frames the task is suspended in, innermost first, as {@code Class.method File:line}. */
    public String[] getStack() {
        return stack.toArray(String[]::new);
    }

    /** The ids of the tasks awaiting this one (gather, TaskGroup and shield included). */
    public String[] getAwaitedBy() {
        return awaitedBy.toArray(String[]::new);
    }
}
