package asyncio.spi.readiness;

import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.WriteBufferLimits;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A transport's write-buffer marks and whether its protocol was told to pause: pause above the
 * high mark, resume at or below the low one. Mirrors {@code transports._FlowControlMixin}.
 */
final class WriteFlowControl {
    private static final int DEFAULT_HIGH = 64 * 1024;

    private final ReadinessEventLoop loop;
    private final BaseTransport transport;
    private int high = DEFAULT_HIGH;
    private int low = DEFAULT_HIGH / 4;
    private boolean paused;

    WriteFlowControl(ReadinessEventLoop loop, BaseTransport transport) {
        this.loop = loop;
        this.transport = transport;
    }

    /** Sets the marks; null picks asyncio's defaults. The caller then calls {@link #maybePause}. */
    void setLimits(Integer newHigh, Integer newLow) {
        int h = newHigh != null ? newHigh : newLow == null ? DEFAULT_HIGH : 4 * newLow;
        int l = newLow != null ? newLow : h / 4;
        if (!(h >= l && l >= 0)) {
            throw new IllegalArgumentException("high (" + h + ") must be >= low (" + l + ") must be >= 0");
        }
        high = h;
        low = l;
    }

    WriteBufferLimits limits() {
        return new WriteBufferLimits(low, high);
    }

    boolean paused() {
        return paused;
    }

    void maybePause(long buffered, BaseProtocol protocol) {
        if (buffered <= high || paused) {
            return;
        }
        paused = true;
        try {
            protocol.pauseWriting();
        } catch (RuntimeException | LinkageError | AssertionError error) {
            report("protocol.pause_writing() failed", error, protocol);
        }
    }

    void maybeResume(long buffered, BaseProtocol protocol) {
        if (!paused || buffered > low) {
            return;
        }
        paused = false;
        try {
            protocol.resumeWriting();
        } catch (RuntimeException | LinkageError | AssertionError error) {
            report("protocol.resume_writing() failed", error, protocol);
        }
    }

    private void report(String message, Throwable error, BaseProtocol protocol) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("message", message);
        context.put("exception", error);
        context.put("transport", transport);
        context.put("protocol", protocol);
        loop.callExceptionHandler(context);
    }
}
