package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.tools.Ps;
import asyncio.tools.Pstree;
import asyncio.tools.RemoteTasks;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code asyncio-ps PID} and {@code asyncio-pstree PID} against a child JVM running
 * {@link IntrospectedApp}, as {@code python -m asyncio ps/pstree} look at another process: the
 * table has one row per task and awaiter, the tree nests each task under the one awaiting it.
 */
@ExtendWith(NoDescriptorLeaks.class)
class AsyncioPsTest {

    @LoopTest
    void psAndPstreeShowTheTasksOfAnotherJvm(LoopKind kind) throws Exception {
        List<String> command = new ArrayList<>(List.of(ChildJvm.java(),
                "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
                "--enable-native-access=ALL-UNNAMED", "-Dasyncio.loop=" + kind, "-Dasyncio.jmx=true"));
        String carrier = System.getProperty("asyncio.coroutines");
        if (carrier != null) {
            command.add("-Dasyncio.coroutines=" + carrier);
        }
        command.addAll(List.of("-cp", ChildJvm.testClassPath(), IntrospectedApp.class.getName()));
        Process app = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("ready", out.readLine(), "the app did not start");

            String table = tool("asyncio.tools.Ps", app.pid());
            List<String> rows = Arrays.asList(table.split("\n"));
            assertTrue(rows.get(0).matches("tid +task id +task name +coroutine stack +awaiter chain +awaiter name +awaiter id"),
                    table);
            assertTrue(rows.stream().anyMatch(row -> row.matches(".* leaf-1 .*IntrospectedApp\\.waitForStop.* branch +0x[0-9a-f]+")),
                    "leaf-1 parked in waitForStop, awaited by branch:\n" + table);
            assertTrue(rows.stream().anyMatch(row -> row.matches(".* leaf-2 .* branch +0x[0-9a-f]+")), table);
            assertTrue(rows.stream().anyMatch(row -> row.matches(".* sibling .*IntrospectedApp\\.waitForStop.*")), table);
            assertTrue(rows.stream().anyMatch(row -> row.matches(".* branch .*TaskGroup\\.run.*")), table);
            assertTrue(rows.stream().anyMatch(row -> row.matches(".* 0x[0-9a-f]+ +Task-\\d+ .* 0x0")),
                    "the main task is awaited by nobody:\n" + table);

            String tree = tool("asyncio.tools.Pstree", app.pid());
            List<String> lines = Arrays.asList(tree.split("\n"));
            assertTrue(lines.get(0).matches("└── \\(T\\) Task-\\d+"), tree);
            int branch = indexOf(lines, "(T) branch");
            int leaf1 = indexOf(lines, "(T) leaf-1");
            int leaf2 = indexOf(lines, "(T) leaf-2");
            int sibling = indexOf(lines, "(T) sibling");
            assertTrue(branch < leaf1 && leaf1 < leaf2, tree);
            assertTrue(indent(lines.get(leaf1)) > indent(lines.get(branch)), "leaves nest under branch:\n" + tree);
            assertEquals(indent(lines.get(branch)), indent(lines.get(sibling)), "branch and sibling are siblings:\n" + tree);
            // Frames outermost first under each task, as pstree prints them: the coroutine, then waitForStop.
            assertTrue(lines.get(leaf1 + 1).contains("└──  IntrospectedApp.lambda$"), tree);
            assertTrue(lines.get(leaf1 + 2).contains("└──  IntrospectedApp.waitForStop IntrospectedApp.java:"),
                    tree);
        } finally {
            app.getOutputStream().close();
            if (!app.waitFor(30, TimeUnit.SECONDS)) {
                app.destroyForcibly();
            }
        }
        assertEquals(0, app.exitValue(), "the app ends cleanly when its input closes");
    }

    @Test
    void pstreeRefusesTasksThatAwaitEachOtherAsAsyncioDoes() {
        List<RemoteTasks.TaskView> cycle = List.of(
                new RemoteTasks.TaskView(1, "0xa", "a", "pending", List.of(), List.of("0xb")),
                new RemoteTasks.TaskView(1, "0xb", "b", "pending", List.of(), List.of("0xa")));
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> Pstree.tree(cycle));
        assertEquals("ERROR: await-graph contains cycles - cannot print a tree!", refused.getMessage());
    }

    @Test
    void eachTaskAwaitedByNobodyIsARootAndATaskWithoutAwaiterHasARowWithId0x0() {
        List<RemoteTasks.TaskView> tasks = List.of(
                new RemoteTasks.TaskView(7, "0x1", "one", "pending", List.of("app.Main.run Main.java:3"), List.of()),
                new RemoteTasks.TaskView(7, "0x2", "two", "pending", List.of(), List.of()));
        assertEquals("└── (T) one\n    └──  Main.run Main.java:3\n└── (T) two", Pstree.tree(tasks));
        List<String> rows = Arrays.asList(Ps.table(tasks).split("\n"));
        assertEquals("-".repeat(180), rows.get(1));
        assertTrue(rows.get(2).matches("7 +0x1 +one +Main\\.run +0x0"), rows.get(2));
    }

    private static String tool(String main, long pid) throws IOException, InterruptedException {
        String classPath = ChildJvm.testClassPath() + File.pathSeparator + ChildJvm.locationOf(asyncio.tools.Ps.class);
        return ChildJvm.run(List.of(ChildJvm.java(), "-cp", classPath, main, Long.toString(pid)), null, Map.of());
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).endsWith(text)) {
                return i;
            }
        }
        throw new AssertionError("no line ending with " + text);
    }

    private static int indent(String line) {
        return line.indexOf("(T)");
    }
}
