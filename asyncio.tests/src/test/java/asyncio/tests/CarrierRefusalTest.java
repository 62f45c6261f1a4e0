package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Asking for the continuation carrier in a JVM that does not grant it fails each task with a
 * clear error naming the flag; it never hangs. Runs a child JVM, since the carrier is chosen once per JVM.
 */
class CarrierRefusalTest {

    /** The child JVM's program: runs one coroutine and prints what happened. */
    public static final class Child {
        private Child() {
        }

        public static void main(String[] args) {
            try {
                Asyncio.run(() -> "ran");
                System.out.println("OUTCOME ran");
            } catch (IllegalStateException refused) {
                System.out.println("OUTCOME refused: " + refused.getMessage());
            }
        }
    }

    @Test
    void continuationsRequestedWithoutTheFlagFailTheTaskClearly() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(List.of(java.toString(), "-Dasyncio.coroutines=continuation",
                "-cp", System.getProperty("java.class.path"), Child.class.getName()))
                .redirectErrorStream(true).start();
        try {
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child JVM hung");
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, child.exitValue(), output);
            assertTrue(output.contains("OUTCOME refused: -Dasyncio.coroutines=continuation"), output);
            assertTrue(output.contains("--add-exports java.base/jdk.internal.vm="), output);
        } finally {
            child.getOutputStream().close();
            child.getInputStream().close();
            child.destroyForcibly();
        }
    }
}
