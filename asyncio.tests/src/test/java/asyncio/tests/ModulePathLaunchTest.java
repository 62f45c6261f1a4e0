package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.selector.SelectorEventLoop;
import asyncio.spi.BaseEventLoop;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real module-path application that requires only {@code asyncio.api} gets the selector loop
 * through JPMS service binding ({@code uses}/{@code provides}), with no flags but -p and -m.
 */
@ExtendWith(NoDescriptorLeaks.class)
class ModulePathLaunchTest {
    private static final String MODULE_INFO = """
            module app {
                requires asyncio.api;
            }
            """;

    private static final String MAIN = """
            package app;

            import asyncio.api.Asyncio;
            import asyncio.api.EventLoop;

            public final class Main {
                public static void main(String[] args) {
                    EventLoop loop = Asyncio.newEventLoop();
                    try {
                        System.out.println("loop=" + loop.getClass().getName());
                        loop.callSoon(() -> System.out.println("callback ran"));
                        loop.callSoon(loop::stop);
                        loop.runForever();
                    } finally {
                        loop.close();
                    }
                }
            }
            """;

    @Test
    void anApplicationRequiringOnlyTheApiGetsTheSelectorLoopOnTheModulePath(@TempDir Path dir) throws Exception {
        // The module path is made of the test's own class path entries: jars or target/classes directories.
        Class<?> slf4j = Class.forName("org.slf4j.LoggerFactory");
        String modulePath = Stream.of(Asyncio.class, BaseEventLoop.class, SelectorEventLoop.class, slf4j)
                .map(ModulePathLaunchTest::locationOf)
                .map(Path::toString)
                .collect(Collectors.joining(File.pathSeparator));
        Path classes = compileApp(dir, modulePath);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-p", classes + File.pathSeparator + modulePath, "-m", "app/app.Main");
        String output = run(command, dir);

        List<String> lines = output.lines().filter(line -> !line.startsWith("SLF4J")).toList();
        assertEquals(List.of("loop=" + SelectorEventLoop.class.getName(), "callback ran"), lines, output);
    }

    @Test
    void withTheEpollJarsOnTheModulePathTheSameApplicationGetsTheEpollLoopWithoutWarnings(@TempDir Path dir)
            throws Exception {
        Class<?> slf4j = Class.forName("org.slf4j.LoggerFactory");
        Stream<Path> ours = Stream.of(Asyncio.class, BaseEventLoop.class, SelectorEventLoop.class,
                asyncio.epoll.EpollEventLoop.class, slf4j).map(ModulePathLaunchTest::locationOf);
        // jnr-ffi, jffi (and its native-library jar) and ASM: jars with no class the test can name.
        String testClassPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Stream<Path> native_ = Stream.of(testClassPath.split(File.pathSeparator))
                .filter(entry -> entry.matches(".*/(jnr-[^/]*|jffi-[^/]*|asm[^/]*)\\.jar"))
                .map(Path::of);
        String modulePath = Stream.concat(ours, native_).map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        Path classes = compileApp(dir, modulePath);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "--add-exports", "java.base/sun.nio.ch=asyncio.epoll",
                "--enable-native-access=org.jnrproject.jffi",
                "-p", classes + File.pathSeparator + modulePath, "-m", "app/app.Main");
        String output = run(command, dir);

        List<String> lines = output.lines().filter(line -> !line.startsWith("SLF4J")).toList();
        assertEquals(List.of("loop=" + asyncio.epoll.EpollEventLoop.class.getName(), "callback ran"), lines, output);
    }

    private static Path compileApp(Path dir, String modulePath) throws IOException {
        Path sources = dir.resolve("src");
        Files.createDirectories(sources.resolve("app"));
        Files.writeString(sources.resolve("module-info.java"), MODULE_INFO);
        Files.writeString(sources.resolve("app/Main.java"), MAIN);
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes);

        ToolProvider javac = ToolProvider.findFirst("javac").orElse(null);
        assertNotNull(javac, "the JDK running the tests has no compiler");
        StringWriter diagnostics = new StringWriter();
        PrintWriter out = new PrintWriter(diagnostics);
        int status = javac.run(out, out, "-d", classes.toString(), "-p", modulePath,
                sources.resolve("module-info.java").toString(), sources.resolve("app/Main.java").toString());
        out.flush();
        assertEquals(0, status, diagnostics.toString());
        return classes;
    }

    private static String run(List<String> command, Path dir) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
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
            assertTrue(exited, "the application did not exit within 60 s: " + command);
            reader.join(10_000);
            String text = output.toString(StandardCharsets.UTF_8);
            assertEquals(0, process.exitValue(), "exit status of " + command + ":\n" + text);
            return text;
        } finally {
            process.destroyForcibly();
            process.getErrorStream().close();
        }
    }

    /** Where the test's class path holds {@code type}: a jar or an exploded classes directory. */
    private static Path locationOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
