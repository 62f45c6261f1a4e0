package asyncio.api.internal;

import asyncio.api.EventLoop;
import java.lang.ref.Cleaner;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reports an exception set on a future that nobody retrieved before the future was collected,
 * as asyncio does from {@code Future.__del__}. It holds no reference to the future itself, so
 * it does not keep it alive.
 */
public final class UnretrievedException implements Runnable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final EventLoop loop;
    private final Throwable exception;
    private final String message;
    private final String owner;
    private final Cleaner.Cleanable cleanable;
    private volatile boolean retrieved;

    private UnretrievedException(Object future, EventLoop loop, Throwable exception, String message) {
        this.loop = loop;
        this.exception = exception;
        this.message = message;
        this.owner = future.toString();
        this.cleanable = CLEANER.register(future, this);
    }

    /** Watches {@code future}, whose exception is {@code exception}, until it is retrieved or collected. */
    public static UnretrievedException watch(Object future, EventLoop loop, Throwable exception, String message) {
        return new UnretrievedException(future, loop, exception, message);
    }

    /** The exception was seen by someone: nothing to report. */
    public void retrieved() {
        retrieved = true;
        cleanable.clean();
    }

    @Override
    public void run() {
        if (retrieved) {
            return;
        }
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("message", message);
        context.put("exception", exception);
        context.put("future", owner);
        try {
            // The handler belongs to the loop thread: report there, between callbacks.
            loop.callSoonThreadsafe(() -> loop.callExceptionHandler(context));
        } catch (IllegalStateException closed) {
            // A closed loop runs nothing any more, so its handler cannot race with it.
            loop.callExceptionHandler(context);
        }
    }
}
