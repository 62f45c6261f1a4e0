package asyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Task;
import java.util.List;
import jnr.constants.platform.Signal;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SignalHandlersTest {
    /** kill(2) to this very process, as a user would send from a shell; bound before the test's clock runs. */
    private static final POSIX POSIX = POSIXFactory.getNativePOSIX();

    @Test
    void sigtermRunsItsHandlerWhichEndsTheWaitAndTheHandlersAreRemoved() throws Exception {
        boolean[] stillInstalled = new boolean[2];
        String[] received = new String[1];
        List<String> lines = StandardOutput.linesOf(() -> Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Task<String> example = Asyncio.createTask(() -> SignalHandlers.waitForSignal(5));
            // One turn of the loop: the example installs its handlers before it first waits.
            Asyncio.sleep(0);
            assertEquals(0, POSIX.kill(POSIX.getpid(), Signal.SIGTERM.intValue()), "kill(2) failed");
            received[0] = example.await();
            stillInstalled[0] = loop.removeSignalHandler("INT");
            stillInstalled[1] = loop.removeSignalHandler("TERM");
            return null;
        }));

        assertEquals("SIGTERM", received[0]);
        assertEquals(List.of("got signal SIGTERM: exit"), lines);
        assertFalse(stillInstalled[0], "SIGINT handler left behind");
        assertFalse(stillInstalled[1], "SIGTERM handler left behind");
    }

    @Test
    void withoutASignalTheWaitEndsAtItsTimeout() throws Exception {
        String[] received = {"unset"};
        List<String> lines = StandardOutput.linesOf(() -> received[0] = Asyncio.run(() -> SignalHandlers.waitForSignal(0.01)));

        assertNull(received[0]);
        assertEquals(List.of(), lines);
    }
}
