package asyncio.api.internal;

/**
 * One task's thread of control. {@link #resume()} runs it until it suspends or ends, and only
 * then returns, so the resumer and the strand never run at the same time.
 */
public interface Strand {
    /** Runs the strand until its next {@link #suspend()} or its end. */
    void resume();

    /** Called from inside the strand: gives control back to whoever resumed it. */
    void suspend();

    /** Whether the body has finished. */
    boolean isDone();

    /** The strand's stack while suspended (empty if unavailable). */
    StackTraceElement[] stackTrace();
}
