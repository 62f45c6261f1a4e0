package asyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PrintCallGraphTest {
    @Test
    void theGroupsTaskPrintsItselfAwaitedByTheMainTask() throws Exception {
        List<String> lines = StandardOutput.linesOf(() -> PrintCallGraph.run(false));

        assertTrue(lines.get(0).matches("\\* Task\\(name='test', id=0x[0-9a-f]+\\)"), String.join("\n", lines));
        assertEquals("  + Call stack:", lines.get(1));
        assertTrue(lines.get(2).startsWith("  |   File 'PrintCallGraph.java', line "), lines.get(2));
        assertTrue(lines.get(2).endsWith("in asyncio.examples.PrintCallGraph.test()"), lines.get(2));
        int awaitedBy = lines.indexOf("  + Awaited by:");
        assertTrue(lines.get(awaitedBy + 1).matches("    \\* Task\\(name='Task-\\d+', id=0x[0-9a-f]+\\)"),
                String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(line -> line.matches("      \\|   File 'TaskGroup.java', line \\d+, in asyncio.api.TaskGroup.run\\(\\)")),
                String.join("\n", lines));
    }
}
