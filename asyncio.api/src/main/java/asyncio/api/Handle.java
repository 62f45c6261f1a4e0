package asyncio.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A callback scheduled on a loop, which can be cancelled until it runs. Mirrors
 * {@code asyncio.Handle}. Loops create handles; applications only cancel them.
 */
public class Handle {
    private final Runnable callback;
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

    /** Cancels the callback: it will not run. Mirrors {@code Handle.cancel()}; idempotent. */
    public void cancel() {
        cancelled = true;
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

    /** The callback this handle runs. */
    public Runnable callback() {
        return callback;
    }

    /**
     * Runs the callback (the loop calls this). An exception goes to the loop's exception handler,
     * never to the caller, so one bad callback cannot stop the loop.
     */
    public void run() {
        try {
            callback.run();
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable error) {
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("message", "Exception in callback " + callback);
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
        return "<" + getClass().getSimpleName() + (cancelled ? " cancelled " : " ") + callback + ">";
    }
}
