package asyncio.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.KeyboardInterrupt;
import asyncio.api.Runner;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Ctrl-C into {@link Runner} on the Windows loop. On Windows the JVM's own console control
 * handler turns CTRL_C_EVENT into SIGINT (docs/decisions.md: no SetConsoleCtrlHandler of ours);
 * what can run here is the rest: the Windows loop takes the runner's SIGINT handler, the handler's
 * wake-up reaches the port from the JVM's signal thread (PostQueuedCompletionStatus, on the
 * scripted Winsock), and the main task is cancelled into KeyboardInterrupt. SIGINT is sent with
 * kill(1), so this needs a Unix host.
 */
class WindowsLoopCtrlCTest {
    @Test
    void sigintCancelsTheMainTaskOnTheWindowsLoop() {
        FakeWinsock winsock = new FakeWinsock();
        try (Runner runner = new Runner(null, () -> new WindowsEventLoop(
                WindowsEventLoop.openPort(FakeProcesses.synchronizedWinsock(winsock)), new FakeProcesses(winsock)))) {
            KeyboardInterrupt interrupt = assertThrows(KeyboardInterrupt.class, () -> runner.run(() -> {
                sendSigint();
                Asyncio.sleep(30);
                return null;
            }));
            assertTrue(interrupt.getCause() instanceof CancelledError);
        }
    }

    private static void sendSigint() throws Exception {
        Process kill;
        try {
            kill = new ProcessBuilder("kill", "-INT", Long.toString(ProcessHandle.current().pid())).start();
        } catch (java.io.IOException none) {
            Assumptions.abort("no kill(1) to send SIGINT with: " + none.getMessage());
            return;
        }
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
        kill.getOutputStream().close();
        kill.getInputStream().close();
        kill.getErrorStream().close();
        assertEquals(0, kill.exitValue());
    }
}
