package asyncio.api;

import asyncio.api.internal.RunningLoop;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Captures and renders the async call graph of a future: who awaits it, transitively, and the
 * frames each task is suspended in. Mirrors Python 3.14's {@code asyncio.graph}.
 *
 * <p>Nothing here runs unless asked: the awaiters of a future are read from its callbacks (a task
 * suspended on it registered its step there) and from its {@code awaitedBy} field, and a task's
 * frames are read from its suspended carrier only now (see docs/decisions.md).
 */
final class CallGraph {
    private static final StackWalker WALKER = StackWalker.getInstance();

    private CallGraph() {
    }

    /** Mirrors {@code asyncio.capture_call_graph(future, depth=depth, limit=limit)}. */
    static FutureCallGraph capture(Future<?> future, int depth, Integer limit) {
        EventLoop running = RunningLoop.get();
        Task<?> current = running == null ? null : Task.current();
        if (future != null && (running == null || future != current)) {
            return build(future, limit, Collections.newSetFromMap(new IdentityHashMap<>()));
        }
        if (future == null && running == null) {
            throw new IllegalStateException("capture_call_graph() is called outside of a running event loop"
                    + " and no future to introspect was provided");
        }
        if (current == null) {
            return null;
        }
        List<FrameCallGraphEntry> stack = limit != null && limit == 0 ? List.of() : trimInnermostFirst(currentFrames(depth), limit);
        Set<Future<?>> path = Collections.newSetFromMap(new IdentityHashMap<>());
        path.add(current);
        return new FutureCallGraph(current, stack, awaiters(current, limit, path));
    }

    /** The graph of a future that is not the running task: its frames come from its suspended carrier. */
    private static FutureCallGraph build(Future<?> future, Integer limit, Set<Future<?>> path) {
        List<FrameCallGraphEntry> stack = List.of();
        if (future instanceof Task<?> task && !task.done() && (limit == null || limit != 0)) {
            stack = trimInnermostFirst(suspendedFrames(task), limit);
        }
        path.add(future);
        List<FutureCallGraph> awaitedBy = awaiters(future, limit, path);
        path.remove(future);
        return new FutureCallGraph(future, stack, awaitedBy);
    }

    private static List<FutureCallGraph> awaiters(Future<?> future, Integer limit, Set<Future<?>> path) {
        List<FutureCallGraph> graphs = new ArrayList<>();
        for (Future<?> waiter : future.awaitedBy()) {
            // asyncio would recurse forever on a cycle (two tasks awaiting each other); stop instead.
            if (!path.contains(waiter)) {
                graphs.add(build(waiter, limit, path));
            }
        }
        return graphs;
    }

    /** A suspended task's frames, innermost first, without the await plumbing it is parked in. */
    private static List<FrameCallGraphEntry> suspendedFrames(Task<?> task) {
        List<StackTraceElement> oldestFirst = task.getStack(0);
        int end = oldestFirst.size();
        while (end > 0 && isAwaitPlumbing(oldestFirst.get(end - 1))) {
            end--;
        }
        List<FrameCallGraphEntry> frames = new ArrayList<>(end);
        for (int i = end - 1; i >= 0; i--) {
            frames.add(new FrameCallGraphEntry(oldestFirst.get(i)));
        }
        return frames;
    }

    private static boolean isAwaitPlumbing(StackTraceElement frame) {
        String type = frame.getClassName();
        return frame.getMethodName().equals("await")
                && (type.equals(Asyncio.class.getName()) || type.equals(Future.class.getName()));
    }

    /**
     * The running task's frames, innermost first: from the caller of the public entry point
     * ({@code depth} 1) outwards, down to the task's coroutine, as asyncio walks {@code sys._getframe(depth)}.
     */
    private static List<FrameCallGraphEntry> currentFrames(int depth) {
        return WALKER.walk(frames -> {
            List<FrameCallGraphEntry> stack = new ArrayList<>();
            int skip = Math.max(depth, 1) - 1;
            boolean inEntryPoint = true;
            for (StackWalker.StackFrame frame : (Iterable<StackWalker.StackFrame>) frames::iterator) {
                if (inEntryPoint && isEntryPoint(frame)) {
                    continue;
                }
                inEntryPoint = false;
                if (isCoroutineEntry(frame)) {
                    break;
                }
                if (skip > 0) {
                    skip--;
                    continue;
                }
                stack.add(new FrameCallGraphEntry(frame.toStackTraceElement()));
            }
            return stack;
        });
    }

    private static boolean isEntryPoint(StackWalker.StackFrame frame) {
        String type = frame.getClassName();
        return type.equals(CallGraph.class.getName()) || type.equals(Asyncio.class.getName())
                && frame.getMethodName().endsWith("CallGraph");
    }

    private static boolean isCoroutineEntry(StackWalker.StackFrame frame) {
        return frame.getClassName().equals(Task.class.getName()) && frame.getMethodName().equals("runCoroutine");
    }

    /**
     * Applies asyncio's {@code limit} to frames listed innermost first: a positive limit keeps the
     * {@code limit} outermost frames (nearest the task's coroutine), a negative one the innermost.
     */
    private static List<FrameCallGraphEntry> trimInnermostFirst(List<FrameCallGraphEntry> frames, Integer limit) {
        if (limit == null || Math.abs((long) limit) >= frames.size()) {
            return frames;
        }
        return limit > 0 ? frames.subList(frames.size() - limit, frames.size()) : frames.subList(0, -limit);
    }

    /** Mirrors {@code asyncio.format_call_graph()}: the empty string when there is no graph. */
    static String format(Future<?> future, int depth, Integer limit) {
        FutureCallGraph graph = capture(future, depth, limit);
        if (graph == null) {
            return "";
        }
        List<String> lines = new ArrayList<>();
        render(graph, lines, 0);
        return String.join("\n", lines);
    }

    private static void render(FutureCallGraph graph, List<String> lines, int level) {
        String indent = "    ".repeat(level);
        lines.add(indent + describe(graph.future()));
        if (!graph.callStack().isEmpty()) {
            lines.add(indent + "  + Call stack:");
            for (FrameCallGraphEntry entry : graph.callStack()) {
                lines.add(indent + "  |   " + describe(entry.frame()));
            }
        }
        if (!graph.awaitedBy().isEmpty()) {
            lines.add(indent + "  + Awaited by:");
            for (FutureCallGraph waiter : graph.awaitedBy()) {
                render(waiter, lines, level + 1);
            }
        }
    }

    /** {@code * Task(name='worker', id=0x1b6d3586)}: the identity hash stands in for Python's {@code id()}. */
    static String describe(Future<?> future) {
        String id = "0x" + Integer.toHexString(System.identityHashCode(future));
        return future instanceof Task<?> task
                ? "* Task(name='" + task.getName() + "', id=" + id + ")"
                : "* Future(id=" + id + ")";
    }

    /** {@code File 'Main.java', line 12, in app.Main.lambda$main$0()}, as asyncio prints a frame. */
    private static String describe(StackTraceElement frame) {
        String file = frame.getFileName() != null ? frame.getFileName() : "<unknown>";
        return "File '" + file + "', line " + frame.getLineNumber() + ", in " + frame.getClassName() + "."
                + frame.getMethodName() + "()";
    }
}
