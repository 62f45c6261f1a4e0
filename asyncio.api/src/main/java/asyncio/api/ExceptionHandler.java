package asyncio.api;

import java.util.Map;

/**
 * A loop's handler for errors nobody else can receive. Mirrors the callable given to
 * {@code loop.set_exception_handler()}; the context has asyncio's keys ({@code message},
 * {@code exception}, {@code future}, {@code task}, {@code handle}, {@code transport}, ...).
 */
@FunctionalInterface
public interface ExceptionHandler {
    /** Handles one error report. */
    void handle(EventLoop loop, Map<String, Object> context);
}
