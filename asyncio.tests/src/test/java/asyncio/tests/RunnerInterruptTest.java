package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.KeyboardInterrupt;
import asyncio.api.Runner;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;

/** Ctrl-C (SIGINT) during {@code Runner.run} cancels the main task, as Python 3.11+ does. */
@ExtendWith(NoDescriptorLeaks.class)
class RunnerInterruptTest {

    private static void sendSigint() throws Exception {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(ProcessHandle.current().pid())).start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
        kill.getOutputStream().close();
        kill.getInputStream().close();
        kill.getErrorStream().close();
        assertEquals(0, kill.exitValue());
    }

    @LoopTest
    void sigintCancelsTheMainTaskAndSurfacesAsKeyboardInterrupt(LoopKind kind) {
        try (Runner runner = new Runner(null, kind::newLoop)) {
            KeyboardInterrupt interrupt = assertThrows(KeyboardInterrupt.class, () -> runner.run(() -> {
                sendSigint();
                Asyncio.sleep(LoopbackPeers.BOUND);
                return null;
            }));
            assertTrue(interrupt.getCause() instanceof CancelledError);
        }
    }

    @LoopTest
    void aMainTaskThatAbsorbsTheInterruptFinishesNormally(LoopKind kind) {
        try (Runner runner = new Runner(null, kind::newLoop)) {
            String result = runner.run(() -> {
                try {
                    sendSigint();
                    Asyncio.sleep(LoopbackPeers.BOUND);
                    return "slept";
                } catch (CancelledError cancelled) {
                    Asyncio.currentTask().uncancel();
                    return "cleaned up";
                }
            });
            assertEquals("cleaned up", result);
        }
    }
}
