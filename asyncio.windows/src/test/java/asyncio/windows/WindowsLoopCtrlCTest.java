package asyncio.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.KeyboardInterrupt;
import asyncio.api.Runner;
import jnr.ffi.LibraryLoader;
import org.junit.jupiter.api.Test;

/**
 * Ctrl-C into {@link Runner} on the Windows loop. On Windows the JVM's own console control
 * handler turns CTRL_C_EVENT into SIGINT (docs/decisions.md: no SetConsoleCtrlHandler of ours);
 * what can run here is the rest: the Windows loop takes the runner's SIGINT handler, the handler's
 * wake-up reaches the port from the JVM's signal thread (PostQueuedCompletionStatus, on the
 * scripted Winsock), and the main task is cancelled into KeyboardInterrupt. SIGINT is sent with
 * kill(2), so this needs a Unix host.
 */
class WindowsLoopCtrlCTest {
    @Test
    void sigintCancelsTheMainTaskOnTheWindowsLoop() {
        // Waiting for posts, so the loop thread blocks (releasing the fake's lock) instead of spinning on it
        // while the signal thread must take that lock to post the wake-up (a spin can starve the poster
        // under load: seen once, the test ran into its 30 s sleep).
        FakeWinsock winsock = new FakeWinsock().waitingForPosts();
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

    /** libc's kill(2): the signal as a terminal's Ctrl-C delivers it, without a kill(1) program. */
    public interface Signals {
        int kill(int pid, int signal);
    }

    private static final int SIGINT = 2;

    private static void sendSigint() {
        Signals libc = LibraryLoader.create(Signals.class).load("c");
        assertEquals(0, libc.kill((int) ProcessHandle.current().pid(), SIGINT), "kill(2) sent SIGINT");
    }
}
