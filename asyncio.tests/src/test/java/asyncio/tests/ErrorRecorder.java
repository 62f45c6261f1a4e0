package asyncio.tests;

import asyncio.api.EventLoop;
import asyncio.api.ExceptionHandler;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** An exception handler that keeps every context a loop reports, for tests to look at. */
final class ErrorRecorder implements ExceptionHandler {
    private final List<Map<String, Object>> contexts = new CopyOnWriteArrayList<>();

    /** Installs a new recorder on {@code loop}. */
    static ErrorRecorder on(EventLoop loop) {
        ErrorRecorder recorder = new ErrorRecorder();
        loop.setExceptionHandler(recorder);
        return recorder;
    }

    @Override
    public void handle(EventLoop loop, Map<String, Object> context) {
        contexts.add(Collections.unmodifiableMap(new LinkedHashMap<>(context)));
    }

    /** The contexts reported so far, in order. */
    List<Map<String, Object>> contexts() {
        return List.copyOf(contexts);
    }

    /** The reported contexts whose message is {@code message}. */
    List<Map<String, Object>> withMessage(String message) {
        return contexts.stream().filter(context -> message.equals(context.get("message"))).toList();
    }
}
