package asyncio.api;

import java.util.List;
import java.util.Objects;

/**
 * A future (or task), the frames its coroutine is suspended in, and the graphs of those awaiting
 * it. Mirrors {@code asyncio.FutureCallGraph} (Python 3.14), returned by
 * {@link Asyncio#captureCallGraph}.
 *
 * @param future    the future or task this node describes
 * @param callStack the task's frames, innermost (most recent) first; empty for a plain future
 * @param awaitedBy one graph per future or task awaiting {@code future}
 */
public record FutureCallGraph(Future<?> future, List<FrameCallGraphEntry> callStack, List<FutureCallGraph> awaitedBy) {
    /** Copies the lists, so a graph never changes after its capture. */
    public FutureCallGraph {
        Objects.requireNonNull(future, "future");
        callStack = List.copyOf(callStack);
        awaitedBy = List.copyOf(awaitedBy);
    }
}
