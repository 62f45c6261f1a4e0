package asyncio.windows;

import static java.nio.channels.SelectionKey.OP_READ;
import static java.nio.channels.SelectionKey.OP_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.windows.ffi.Win32Readiness;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The readiness helper against what Wine's WSAPoll answered (readiness-sequence.txt, written by
 * readiness_sequence.c under Wine): for every traced step, the events the helper asks for the
 * watched operations are the ones the C program asked, and the operations it reports for the
 * revents Winsock gave are the ones asyncio's selector loop would run (nothing while idle, the
 * reader for data, a pending connection or the peer's close, the writer on a connected socket,
 * both when both apply; a closed socket is dropped, not reported). The post that hands ready
 * sockets to the loop is key 2 with no OVERLAPPED, as the port's dequeue expects.
 */
class ReadinessSequenceTest {
    /** Step: {operations watched, operations the helper must report}. */
    private static final Map<String, int[]> STEPS = new LinkedHashMap<>();

    static {
        STEPS.put("listener-idle", new int[] {OP_READ, 0});
        STEPS.put("listener-pending", new int[] {OP_READ, OP_READ});
        STEPS.put("reader-idle", new int[] {OP_READ, 0});
        STEPS.put("writer-connected", new int[] {OP_WRITE, OP_WRITE});
        STEPS.put("reader-data", new int[] {OP_READ, OP_READ});
        STEPS.put("reader-unread", new int[] {OP_READ, OP_READ});
        STEPS.put("reader-writer", new int[] {OP_READ | OP_WRITE, OP_READ | OP_WRITE});
        STEPS.put("reader-drained", new int[] {OP_READ, 0});
        STEPS.put("wakeup", new int[] {OP_READ, 0});
        STEPS.put("wakeup-drained", new int[] {OP_READ, 0});
        STEPS.put("peer-closed", new int[] {OP_READ, OP_READ});
        STEPS.put("closed-socket", new int[] {OP_READ, 0});
    }

    @Test
    void theHelperReadsWinesWsaPollAnswersAsTheSelectorLoopWould() throws IOException {
        List<String> trace = trace();
        assertTrue(trace.stream().filter(line -> line.startsWith("check ")).allMatch(line -> line.endsWith(" ok")),
                "every check of readiness_sequence.c passed under Wine");
        int seen = 0;
        for (String line : trace) {
            if (!line.startsWith("WSAPoll ")) {
                continue;
            }
            // WSAPoll step=NAME events=W,S -> N revents=W,S   (W: the wake-up socket, S: the watched one)
            String[] parts = line.split(" ");
            String step = parts[1].substring("step=".length());
            String[] events = parts[2].substring("events=".length()).split(",");
            String[] revents = parts[5].substring("revents=".length()).split(",");
            int[] expected = STEPS.get(step);
            assertTrue(expected != null, "a step this test knows: " + step);
            assertEquals(WindowsReadiness.wakerEvents(), hex(events[0]), step + ": the wake-up socket's events");
            assertEquals(WindowsReadiness.events(expected[0]), hex(events[1]), step + ": the events asked");
            int answer = hex(revents[1]);
            boolean gone = (answer & Win32Readiness.POLLNVAL) != 0;
            int reported = gone ? 0 : WindowsReadiness.readyOps(expected[0], answer);
            assertEquals(expected[1], reported, step + ": the operations reported for revents 0x"
                    + Integer.toHexString(answer));
            assertEquals(step.equals("wakeup"), hex(revents[0]) != 0, step + ": the wake-up socket's answer");
            assertEquals(step.equals("closed-socket"), gone, step + ": dropped as closed");
            seen++;
        }
        assertEquals(STEPS.size(), seen, "every step was traced");
        int post = trace.indexOf("PostQueuedCompletionStatus key=" + IocpCompletionPort.READINESS_KEY);
        assertTrue(post >= 0, "the helper's post uses the port's readiness key");
        assertEquals("check the post names key 2 and no OVERLAPPED ok", trace.get(trace.indexOf("GetQueuedCompletionStatusEx") + 2));
    }

    private static short hex(String value) {
        return (short) Integer.parseInt(value.substring(2), 16);
    }

    private static List<String> trace() throws IOException {
        try (InputStream in = ReadinessSequenceTest.class.getResourceAsStream("readiness-sequence.txt")) {
            assertTrue(in != null, "readiness-sequence.txt is missing (src/test/c/run-under-wine.sh makes it)");
            return List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        }
    }
}
