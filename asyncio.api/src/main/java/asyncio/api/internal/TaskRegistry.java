package asyncio.api.internal;

import asyncio.api.EventLoop;
import asyncio.api.Task;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pending tasks of each loop, held strongly: unlike CPython's weak set, a task nobody kept a
 * reference to still runs to its end. When a loop closes, its still-pending tasks can never
 * finish, and they are reported as asyncio reports a pending task that is destroyed.
 */
public final class TaskRegistry {
    private static final Map<EventLoop, Set<Task<?>>> PENDING = new ConcurrentHashMap<>();

    private TaskRegistry() {
    }

    /** The live set of {@code loop}'s pending tasks, for a new task to add itself to and later remove. */
    public static Set<Task<?>> of(EventLoop loop) {
        return PENDING.computeIfAbsent(loop, key -> Collections.newSetFromMap(new LinkedHashMap<>()));
    }

    /** A snapshot of {@code loop}'s pending tasks, in creation order. */
    public static List<Task<?>> pending(EventLoop loop) {
        Set<Task<?>> tasks = PENDING.get(loop);
        return tasks == null ? List.of() : new ArrayList<>(tasks);
    }

    /** Forgets {@code loop} and reports each task that was still pending on it. */
    public static void loopClosed(EventLoop loop) {
        Set<Task<?>> tasks = PENDING.remove(loop);
        if (tasks == null) {
            return;
        }
        for (Task<?> task : new LinkedHashSet<>(tasks)) {
            if (!task.done()) {
                Map<String, Object> context = new LinkedHashMap<>();
                context.put("message", "Task was destroyed but it is pending!");
                context.put("task", task);
                loop.callExceptionHandler(context);
            }
        }
    }
}
