package asyncio.tools;

import asyncio.tools.RemoteTasks.TaskView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code asyncio-ps PID}: a table of the tasks of a running JVM, one row per task and awaiter.
 * Mirrors {@code python -m asyncio ps PID} (Python 3.14).
 */
public final class Ps {
    private static final String ROW = "%-10s %-20s %-20s %-50s %-50s %-15s %-15s";

    private Ps() {
    }

    /** Prints the table of the JVM whose pid is the only argument. */
    public static void main(String[] args) {
        Launcher.run("asyncio-ps", args, Ps::table);
    }

    /** The table: thread, task id and name, its frames, then each awaiter's frames, name and id. */
    public static String table(List<TaskView> tasks) {
        Map<String, TaskView> byId = new HashMap<>();
        for (TaskView task : tasks) {
            byId.put(task.id(), task);
        }
        List<String> lines = new ArrayList<>();
        lines.add(String.format(ROW, "tid", "task id", "task name", "coroutine stack", "awaiter chain",
                "awaiter name", "awaiter id").stripTrailing());
        lines.add("-".repeat(180));
        for (TaskView task : tasks) {
            String stack = chain(task.stack());
            List<TaskView> awaiters = task.awaitedBy().stream().map(byId::get).filter(a -> a != null).toList();
            if (awaiters.isEmpty()) {
                lines.add(row(task, stack, "", "", "0x0"));
            }
            for (TaskView awaiter : awaiters) {
                lines.add(row(task, stack, chain(awaiter.stack()), awaiter.name(), awaiter.id()));
            }
        }
        return String.join("\n", lines);
    }

    private static String row(TaskView task, String stack, String awaiterChain, String awaiterName, String awaiterId) {
        return String.format(ROW, task.threadId(), task.id(), task.name(), stack, awaiterChain, awaiterName, awaiterId)
                .stripTrailing();
    }

    /** Frames innermost first, as asyncio's table shows them: {@code inner -> outer}. */
    private static String chain(List<String> stack) {
        return stack.stream().map(RemoteTasks::function).collect(Collectors.joining(" -> "));
    }
}
