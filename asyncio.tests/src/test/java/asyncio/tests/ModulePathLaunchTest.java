package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.selector.SelectorEventLoop;
import asyncio.spi.BaseEventLoop;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A real module-path application that requires only {@code asyncio.api} gets the selector loop
 * through JPMS service binding ({@code uses}/{@code provides}), with no flags but -p and -m; and
 * the same application, from the built jars, on the module path and on the class path, on each
 * loop, with and without the optional JVM flags, reports the loop and carrier expected.
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

    /** Runs one task and reports the loop it ran on and the coroutine carrier. */
    private static final String TASK_MAIN = """
            package app;

            import asyncio.api.Asyncio;

            public final class TaskMain {
                public static void main(String[] args) {
                    String loop = Asyncio.run(() -> {
                        Asyncio.sleep(0.001);
                        return Asyncio.getRunningLoop().getClass().getName();
                    });
                    System.out.println("loop=" + loop);
                    System.out.println("carrier=" + Asyncio.coroutineCarrier());
                }
            }
            """;

    /**
     * The launch matrix of issue 19: module path (the application requires only asyncio.api) or
     * class path; the selector jars only, or the epoll jars too (Linux); the optional flags or
     * none. The flags select the continuation carrier; without them tasks run on virtual threads.
     */
    @ParameterizedTest(name = "{0} path, {1} loop, flags: {2}")
    @CsvSource({
        "module, selector, true", "module, selector, false", "module, epoll, true", "module, epoll, false",
        "class, selector, true", "class, selector, false", "class, epoll, true", "class, epoll, false"})
    void theBuiltJarsRunTheApplicationOnEachPathLoopAndCarrier(String path, String loop, boolean flags,
            @TempDir Path dir) throws Exception {
        boolean epoll = loop.equals("epoll");
        Assumptions.assumeTrue(!epoll || System.getProperty("os.name").startsWith("Linux"), "epoll: Linux only");
        String jars = (epoll ? epollPath() : selectorPath()).map(Path::toString)
                .collect(Collectors.joining(File.pathSeparator));
        Path classes = compileApp(dir, jars, "app/TaskMain.java", TASK_MAIN);

        boolean modular = path.equals("module");
        List<String> command = new ArrayList<>(List.of(ChildJvm.java()));
        if (flags) {
            String api = modular ? "asyncio.api" : "ALL-UNNAMED";
            command.addAll(List.of("--add-exports", "java.base/jdk.internal.vm=" + api));
            if (epoll) {
                command.addAll(List.of("--add-exports", "java.base/sun.nio.ch=" + (modular ? "asyncio.epoll" : api),
                        "--enable-native-access=" + (modular ? "org.jnrproject.jffi" : api)));
            }
        }
        String all = classes + File.pathSeparator + jars;
        command.addAll(modular ? List.of("-p", all, "-m", "app/app.TaskMain") : List.of("-cp", all, "app.TaskMain"));
        String output = ChildJvm.run(command, dir, Map.of());

        Class<?> expectedLoop = epoll ? asyncio.epoll.EpollEventLoop.class : SelectorEventLoop.class;
        String carrier = flags ? "carrier=continuation (" : "carrier=virtual (";
        List<String> lines = output.lines().filter(line -> line.startsWith("loop=") || line.startsWith("carrier=")).toList();
        assertEquals(2, lines.size(), output);
        assertEquals("loop=" + expectedLoop.getName(), lines.get(0), output);
        assertTrue(lines.get(1).startsWith(carrier), output);
    }

    /** The built jars of the selector loop's modules and slf4j-api. */
    private static Stream<Path> selectorPath() throws ClassNotFoundException {
        Class<?> slf4j = Class.forName("org.slf4j.LoggerFactory");
        return Stream.of(Asyncio.class, BaseEventLoop.class, SelectorEventLoop.class, slf4j).map(ChildJvm::locationOf);
    }

    /** The selector path plus asyncio.epoll, jnr-ffi, jffi (and its native jar) and ASM. */
    private static Stream<Path> epollPath() throws ClassNotFoundException {
        Stream<Path> native_ = Stream.of(ChildJvm.testClassPath().split(File.pathSeparator))
                .filter(entry -> entry.matches(".*/(jnr-[^/]*|jffi-[^/]*|asm[^/]*)\\.jar"))
                .map(Path::of);
        return Stream.concat(Stream.concat(selectorPath(), Stream.of(ChildJvm.locationOf(asyncio.epoll.EpollEventLoop.class))),
                native_);
    }

    @Test
    void anApplicationRequiringOnlyTheApiGetsTheSelectorLoopOnTheModulePath(@TempDir Path dir) throws Exception {
        // The module path is made of the test's own class path entries: jars or target/classes directories.
        Class<?> slf4j = Class.forName("org.slf4j.LoggerFactory");
        String modulePath = Stream.of(Asyncio.class, BaseEventLoop.class, SelectorEventLoop.class, slf4j)
                .map(ChildJvm::locationOf)
                .map(Path::toString)
                .collect(Collectors.joining(File.pathSeparator));
        Path classes = compileApp(dir, modulePath);

        String java = ChildJvm.java();
        List<String> command = List.of(java, "-p", classes + File.pathSeparator + modulePath, "-m", "app/app.Main");
        String output = ChildJvm.run(command, dir, Map.of());

        List<String> lines = output.lines().filter(line -> !line.startsWith("SLF4J")).toList();
        assertEquals(List.of("loop=" + SelectorEventLoop.class.getName(), "callback ran"), lines, output);
    }

    @Test
    void withTheEpollJarsOnTheModulePathTheSameApplicationGetsTheEpollLoopWithoutWarnings(@TempDir Path dir)
            throws Exception {
        Class<?> slf4j = Class.forName("org.slf4j.LoggerFactory");
        Stream<Path> ours = Stream.of(Asyncio.class, BaseEventLoop.class, SelectorEventLoop.class,
                asyncio.epoll.EpollEventLoop.class, slf4j).map(ChildJvm::locationOf);
        // jnr-ffi, jffi (and its native-library jar) and ASM: jars with no class the test can name.
        String testClassPath = ChildJvm.testClassPath();
        Stream<Path> native_ = Stream.of(testClassPath.split(File.pathSeparator))
                .filter(entry -> entry.matches(".*/(jnr-[^/]*|jffi-[^/]*|asm[^/]*)\\.jar"))
                .map(Path::of);
        String modulePath = Stream.concat(ours, native_).map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        Path classes = compileApp(dir, modulePath);

        String java = ChildJvm.java();
        List<String> command = List.of(java, "--add-exports", "java.base/sun.nio.ch=asyncio.epoll",
                "--enable-native-access=org.jnrproject.jffi",
                "-p", classes + File.pathSeparator + modulePath, "-m", "app/app.Main");
        String output = ChildJvm.run(command, dir, Map.of());

        List<String> lines = output.lines().filter(line -> !line.startsWith("SLF4J")).toList();
        assertEquals(List.of("loop=" + asyncio.epoll.EpollEventLoop.class.getName(), "callback ran"), lines, output);
    }

    private static Path compileApp(Path dir, String modulePath) throws IOException {
        return compileApp(dir, modulePath, "app/Main.java", MAIN);
    }

    private static Path compileApp(Path dir, String modulePath, String mainFile, String main) throws IOException {
        Path sources = dir.resolve("src");
        Files.createDirectories(sources.resolve("app"));
        Files.writeString(sources.resolve("module-info.java"), MODULE_INFO);
        Files.writeString(sources.resolve(mainFile), main);
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes);

        ToolProvider javac = ToolProvider.findFirst("javac").orElse(null);
        assertNotNull(javac, "the JDK running the tests has no compiler");
        StringWriter diagnostics = new StringWriter();
        PrintWriter out = new PrintWriter(diagnostics);
        int status = javac.run(out, out, "-d", classes.toString(), "-p", modulePath,
                sources.resolve("module-info.java").toString(), sources.resolve(mainFile).toString());
        out.flush();
        assertEquals(0, status, diagnostics.toString());
        return classes;
    }
}
