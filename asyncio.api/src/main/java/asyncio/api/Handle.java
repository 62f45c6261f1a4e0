package asyncio.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A callback scheduled on a loop, which can be cancelled until it runs. Mirrors
 * {@code asyncio.Handle}. Loops create handles; applications only cancel them.
 */
public class Handle {
    private Runnable callback;
    private String description;
    private final EventLoop loop;
    private final Throwable sourceTraceback;
    private boolean cancelled;

    /**
     * Wraps {@code callback} for {@code loop}. When {@code sourceTraceback} is given (debug mode),
     * error reports show where the callback was scheduled.
     */
    public Handle(Runnable callback, EventLoop loop, Throwable sourceTraceback) {
        this.callback = callback;
        this.loop = loop;
        this.sourceTraceback = sourceTraceback;
    }

    /**
     * Cancels the callback: it will not run, and the handle lets go of it (a cancelled timer may
     * wait in the heap a while). Mirrors {@code Handle.cancel()}; idempotent.
     */
    public void cancel() {
        if (!cancelled) {
            if (loop.getDebug()) {
                // Only debug mode pays for a description that outlives the callback, as in asyncio.
                description = String.valueOf(callback);
            }
            cancelled = true;
            callback = null;
        }
    }

    /** Whether the callback was cancelled. Mirrors {@code Handle.cancelled()}. */
    public boolean cancelled() {
        return cancelled;
    }

    /** The loop this handle belongs to. */
    public EventLoop getLoop() {
        return loop;
    }

    /** Where the callback was scheduled, or null outside debug mode. */
    public Throwable sourceTraceback() {
        return sourceTraceback;
    }

    /** The callback this handle runs, or null once cancelled. */
    public Runnable callback() {
        return callback;
    }

    /** The callback as text, for reports: after cancellation, only in debug mode (else empty). */
    protected final String describeCallback() {
        Runnable current = callback;
        return current != null ? String.valueOf(current) : description != null ? description : "";
    }

    /**
     * Runs the callback (the loop calls this). An exception goes to the loop's exception handler,
     * never to the caller, so one bad callback cannot stop the loop; only {@link KeyboardInterrupt}
     * and {@link SystemExit} propagate, out of the loop's run, as in asyncio.
     */
    public void run() {
        Runnable current = callback;
        if (current == null) {
            // Cancelled from another thread after the loop checked: asyncio would not run it either.
            return;
        }
        try {
            current.run();
        } catch (VirtualMachineError | KeyboardInterrupt | SystemExit fatal) {
            // asyncio lets KeyboardInterrupt and SystemExit end the loop's run.
            throw fatal;
        } catch (Throwable error) {
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("message", "Exception in callback " + current);
            context.put("exception", error);
            context.put("handle", this);
            if (sourceTraceback != null) {
                context.put("source_traceback", sourceTraceback);
            }
            loop.callExceptionHandler(context);
        }
    }

    @Override
    public String toString() {
        String text = describeCallback();
        return "<" + getClass().getSimpleName() + (cancelled ? " cancelled" : "") + (text.isEmpty() ? "" : " " + text) + ">";
    }
}
