package asyncio.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Captures what an example prints on {@code System.out}. */
final class StandardOutput {
    /** The body of an example run. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    private StandardOutput() {
    }

    /** Runs {@code body} and returns the lines it printed. */
    static List<String> linesOf(Body body) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(original);
        }
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
