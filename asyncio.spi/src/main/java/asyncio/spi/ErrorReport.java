package asyncio.spi;

import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;

/** Turns an exception-handler context into one log record, as {@code default_exception_handler} does. */
final class ErrorReport {
    private ErrorReport() {
    }

    static void log(Logger log, Map<String, Object> context) {
        Object message = context.get("message");
        StringBuilder text = new StringBuilder(message != null ? message.toString() : "Unhandled exception in event loop");
        // Keys in sorted order, as asyncio's default handler writes them.
        for (Map.Entry<String, Object> entry : new TreeMap<>(context).entrySet()) {
            String key = entry.getKey();
            if (key.equals("message") || key.equals("exception")) {
                continue;
            }
            Object value = entry.getValue();
            String shown = value instanceof Throwable origin && key.endsWith("traceback") ? origin(origin) : String.valueOf(value);
            text.append(System.lineSeparator()).append(key).append(": ").append(shown);
        }
        Object exception = context.get("exception");
        if (exception instanceof Throwable error) {
            log.error(text.toString(), error);
        } else {
            log.error(text.toString());
        }
    }

    /** The first frames of a creation trace, outside this project's own scheduling code. */
    static String origin(Throwable trace) {
        StringBuilder text = new StringBuilder();
        int shown = 0;
        for (StackTraceElement frame : trace.getStackTrace()) {
            if (frame.getClassName().startsWith("asyncio.spi.") || frame.getClassName().startsWith("asyncio.api.")) {
                continue;
            }
            text.append(shown == 0 ? "" : " <- ").append(frame);
            if (++shown == 3) {
                break;
            }
        }
        return text.toString();
    }
}
