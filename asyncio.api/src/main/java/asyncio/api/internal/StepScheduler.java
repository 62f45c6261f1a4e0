package asyncio.api.internal;

import asyncio.api.Handle;

/**
 * A loop that lets a task queue one {@link Handle} for each of its steps rather than have
 * {@code callSoon} allocate a new one per step (a {@code sleep(0)} switch allocated nothing else).
 */
public interface StepScheduler {
    /**
     * Queues {@code step} as {@code callSoon} would queue a new handle, and returns true; or
     * returns false, queuing nothing, when the caller must use {@code callSoon} (in debug mode
     * each handle records where it was scheduled). {@code step} must not be queued already.
     */
    boolean callSoonReusing(Handle step);
}
