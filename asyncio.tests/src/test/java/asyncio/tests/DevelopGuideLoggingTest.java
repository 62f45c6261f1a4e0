package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.selector.SelectorEventLoop;
import asyncio.spi.BaseEventLoop;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * docs/develop.md, "Logging": what the loop logs, under which logger names and levels, seen
 * through slf4j-simple in a child JVM (the suite itself runs without an SLF4J backend). The
 * child runs {@link App} on the class path; debug mode comes from the environment variable.
 */
@ExtendWith(NoDescriptorLeaks.class)
class DevelopGuideLoggingTest {
    private static Path slf4jSimple;

    /** A small application with a slow callback, a failing callback and a task. */
    public static final class App {
        private App() {
        }

        public static void main(String[] args) {
            EventLoop loop = Asyncio.newEventLoop();
            try {
                System.out.println("debug=" + loop.getDebug());
                loop.callSoon(() -> DevelopGuideSlowCallbackTest.spin(0.15));
                loop.callSoon(() -> {
                    throw new IllegalStateException("boom");
                });
                System.out.println(loop.runUntilComplete(() -> "task ran"));
            } finally {
                loop.close();
            }
        }
    }

    @BeforeAll
    static void findSlf4jSimple() {
        // slf4j-simple, the backend the examples and benchmarks use, copied there by the pom
        // (maven-dependency-plugin, phase process-test-resources). Surefire runs in the module's directory.
        slf4jSimple = Path.of("target", "logging-backend", "slf4j-simple.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(slf4jSimple), "the build did not copy slf4j-simple to " + slf4jSimple);
    }

    @Test
    void inDebugModeASlowCallbackIsAWarningOfLoggerAsyncio() throws Exception {
        String output = runApp(Map.of("ASYNCIO_DEBUG", "1"), List.of("-Dorg.slf4j.simpleLogger.log.asyncio=debug"));

        assertTrue(output.contains("debug=true"), output);
        String slow = line(output, " WARN asyncio - Executing <Handle");
        assertTrue(slow.matches(".* took \\d+\\.\\d{3} seconds; scheduled at .*App\\.main.*"), slow);
        assertTrue(output.contains(" ERROR asyncio - Exception in callback"), output);
        assertTrue(output.contains("java.lang.IllegalStateException: boom"), output);
        assertTrue(output.contains(" INFO asyncio.coroutines - tasks run on the "), output);
        assertTrue(output.contains(" DEBUG asyncio - Close <SelectorEventLoop"), output);
        assertTrue(output.contains("task ran"), output);
    }

    @Test
    void outsideDebugModeOnlyTheFailingCallbackAndTheCarrierAreLogged() throws Exception {
        String output = runApp(Map.of(), List.of());

        assertTrue(output.contains("debug=false"), output);
        assertFalse(output.contains(" WARN "), output);
        assertFalse(output.contains(" DEBUG "), output);
        assertTrue(output.contains(" ERROR asyncio - Exception in callback"), output);
        assertTrue(output.contains(" INFO asyncio.coroutines - tasks run on the "), output);
    }

    @Test
    void aLevelPerLoggerNameQuietsTheCarrierLine() throws Exception {
        String output = runApp(Map.of(), List.of("-Dorg.slf4j.simpleLogger.log.asyncio.coroutines=warn"));

        assertFalse(output.contains("asyncio.coroutines"), output);
        assertTrue(output.contains(" ERROR asyncio - Exception in callback"), output);
    }

    private static String line(String output, String fragment) {
        return output.lines().filter(line -> line.contains(fragment)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with '" + fragment + "' in:\n" + output));
    }

    private static String runApp(Map<String, String> environment, List<String> options) throws IOException, InterruptedException {
        String classPath = Stream.of(Asyncio.class, BaseEventLoop.class, SelectorEventLoop.class,
                        org.slf4j.LoggerFactory.class, DevelopGuideLoggingTest.class)
                .map(DevelopGuideLoggingTest::locationOf)
                .map(Path::toString)
                .collect(Collectors.joining(File.pathSeparator)) + File.pathSeparator + slf4jSimple;
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.addAll(List.of("-cp", classPath, App.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("ASYNCIO_DEBUG");
        builder.environment().putAll(environment);
        Process process = builder.start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (InputStream out = process.getInputStream()) {
            process.getOutputStream().close();
            Thread reader = Thread.ofPlatform().daemon().start(() -> {
                try {
                    out.transferTo(output);
                } catch (IOException destroyed) {
                    // the process was killed: what was read so far is kept
                }
            });
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the application did not exit within 60 s");
            reader.join(10_000);
            String text = output.toString(StandardCharsets.UTF_8);
            assertEquals(0, process.exitValue(), text);
            return text;
        } finally {
            process.destroyForcibly();
            process.getErrorStream().close();
        }
    }

    private static Path locationOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
