package asyncio.tools;

import asyncio.tools.RemoteTasks.TaskView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code asyncio-pstree PID}: the tasks of a running JVM as a tree, each task under the frame of
 * the task awaiting it. Mirrors {@code python -m asyncio pstree PID} (Python 3.14), which also
 * refuses a graph with a cycle.
 */
public final class Pstree {
    private Pstree() {
    }

    /** Prints the tree of the JVM whose pid is the only argument. */
    public static void main(String[] args) {
        Launcher.run("asyncio-pstree", args, Pstree::tree);
    }

    /** The tree: roots are the tasks nobody awaits; raises {@link IllegalStateException} on a cycle. */
    public static String tree(List<TaskView> tasks) {
        Map<String, TaskView> byId = new LinkedHashMap<>();
        for (TaskView task : tasks) {
            byId.put(task.id(), task);
        }
        Map<String, List<TaskView>> awaitedTasks = new HashMap<>();
        List<TaskView> roots = new ArrayList<>();
        for (TaskView task : tasks) {
            List<String> awaiters = task.awaitedBy().stream().filter(byId::containsKey).toList();
            if (awaiters.isEmpty()) {
                roots.add(task);
            }
            for (String awaiter : awaiters) {
                awaitedTasks.computeIfAbsent(awaiter, key -> new ArrayList<>()).add(task);
            }
        }
        List<String> lines = new ArrayList<>();
        Set<String> printed = new HashSet<>();
        for (TaskView root : roots) {
            // Each root is a tree of its own, drawn as asyncio draws it: as a last child.
            printTask(root, "", true, awaitedTasks, lines, new ArrayList<>(), printed);
        }
        if (printed.size() < byId.size()) {
            // Tasks that only await each other are reachable from no root.
            throw new IllegalStateException("ERROR: await-graph contains cycles - cannot print a tree!");
        }
        return String.join("\n", lines);
    }

    private static void printTask(TaskView task, String prefix, boolean last, Map<String, List<TaskView>> awaitedTasks,
            List<String> lines, List<String> path, Set<String> printed) {
        if (path.contains(task.id())) {
            throw new IllegalStateException("ERROR: await-graph contains cycles - cannot print a tree!");
        }
        path.add(task.id());
        printed.add(task.id());
        lines.add(prefix + (last ? "└── " : "├── ") + "(T) " + task.name());
        String inner = prefix + (last ? "    " : "│   ");
        // Frames outermost first, each nested in the one that called it; awaited tasks hang below the innermost.
        List<String> frames = new ArrayList<>(task.stack());
        Collections.reverse(frames);
        List<TaskView> children = awaitedTasks.getOrDefault(task.id(), List.of());
        for (int f = 0; f < frames.size(); f++) {
            boolean lastFrame = f == frames.size() - 1 && children.isEmpty();
            lines.add(inner + "└──  " + RemoteTasks.location(frames.get(f)));
            inner += "    ";
            if (lastFrame) {
                break;
            }
        }
        for (int c = 0; c < children.size(); c++) {
            printTask(children.get(c), inner, c == children.size() - 1, awaitedTasks, lines, path, printed);
        }
        path.remove(path.size() - 1);
    }
}
