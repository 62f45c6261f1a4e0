package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a program in a child JVM of the JDK running the tests, for what only a fresh JVM shows. */
final class ChildJvm {
    private ChildJvm() {
    }

    /** The {@code java} launcher of the JDK running the tests. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Where the test's class path holds {@code type}: a jar or an exploded classes directory. */
    static Path locationOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** The test JVM's whole class path (surefire hides it behind a manifest-only jar). */
    static String testClassPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    /**
     * slf4j-simple, which the build copies next to the tests (maven-dependency-plugin, phase
     * process-test-resources): the suite itself runs without an SLF4J backend.
     */
    static Path slf4jSimple() {
        Path jar = Path.of("target", "logging-backend", "slf4j-simple.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "the build did not copy slf4j-simple to " + jar);
        return jar;
    }

    /**
     * Runs {@code command} in {@code directory} (null: the current one) with {@code environment}
     * added (ASYNCIO_DEBUG removed first, so the test's own setting does not leak in), stdin closed,
     * stderr merged into stdout; asserts it exits with 0 within 60 s and returns the output.
     */
    static String run(List<String> command, Path directory, Map<String, String> environment)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        builder.environment().remove("ASYNCIO_DEBUG");
        builder.environment().putAll(environment);
        Process process = builder.start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (InputStream out = process.getInputStream()) {
            process.getOutputStream().close();
            // Read on another thread so that a hung child cannot block the test past its timeout.
            Thread reader = Thread.ofPlatform().daemon().start(() -> {
                try {
                    out.transferTo(output);
                } catch (IOException destroyed) {
                    // the process was killed: what was read so far is kept
                }
            });
            boolean exited = process.waitFor(60, TimeUnit.SECONDS);
            assertTrue(exited, "the child JVM did not exit within 60 s: " + command);
            reader.join(10_000);
            String text = output.toString(StandardCharsets.UTF_8);
            assertEquals(0, process.exitValue(), "exit status of " + command + ":\n" + text);
            return text;
        } finally {
            process.destroyForcibly();
            process.getErrorStream().close();
        }
    }
}
