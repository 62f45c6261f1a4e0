package asyncio.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The traces src/test/c/run-under-wine.sh writes (one Win32 call a line, "check ..." lines for
 * what the C program verified, "done" last when every check passed) and the form both sides are
 * compared in.
 */
final class TraceFiles {
    private TraceFiles() {
    }

    /** Every line of {@code file}, as written. */
    static List<String> lines(String file) throws IOException {
        try (InputStream in = TraceFiles.class.getResourceAsStream(file)) {
            assertTrue(in != null, file + " is missing (src/test/c/run-under-wine.sh makes it)");
            return List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        }
    }

    /** The calls of a trace whose every check passed, collapsed. */
    static List<String> calls(String file) throws IOException {
        List<String> lines = lines(file);
        assertEquals("done", lines.get(lines.size() - 1), "every check of the C program passed under Wine");
        List<String> calls = new ArrayList<>();
        for (String line : lines) {
            if (!line.startsWith("check ") && !line.equals("done") && !line.isBlank()) {
                calls.add(line);
            }
        }
        return collapse(calls);
    }

    /**
     * Consecutive GetQueuedCompletionStatusEx calls as one: how many waits a completion takes is
     * timing. Holds the list's lock, which a synchronized list recorded from several threads needs.
     */
    static List<String> collapse(List<String> calls) {
        List<String> out = new ArrayList<>();
        synchronized (calls) {
            for (String call : calls) {
                boolean wait = call.equals("GetQueuedCompletionStatusEx");
                if (!(wait && !out.isEmpty() && out.get(out.size() - 1).equals(call))) {
                    out.add(call);
                }
            }
        }
        return out;
    }
}
