package asyncio.api;

import java.util.Objects;

/**
 * One frame of a call stack in a {@link FutureCallGraph}. Mirrors {@code asyncio.FrameCallGraphEntry}
 * (Python 3.14), whose {@code frame} is a Python frame object; here it is the Java frame.
 *
 * @param frame the frame: class, method, file and line
 */
public record FrameCallGraphEntry(StackTraceElement frame) {
    /** Checks the frame is given. */
    public FrameCallGraphEntry {
        Objects.requireNonNull(frame, "frame");
    }
}
