package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.spi.proactor.ProactorEventLoop;
import asyncio.uring.UringEventLoop;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtendWith;

/** UNIX signals delivered to the loop thread. */
@ExtendWith(NoDescriptorLeaks.class)
class SignalHandlerTest {

    private static void raise(String signal) {
        Posix.raise(signal);
    }

    /**
     * Skips the test on a loop that refuses signal handlers, as asyncio's proactor loop raises
     * NotImplementedError for add_signal_handler and remove_signal_handler (Windows has no POSIX
     * signals to watch), closing the loop it asked.
     */
    static void assumeSignalHandlers(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            loop.removeSignalHandler("HUP");
        } catch (UnsupportedOperationException refused) {
            Assumptions.abort("the " + kind + " loop refuses signal handlers, as asyncio's proactor loop: "
                    + refused.getMessage());
        }
    }

    @LoopTest
    void theProactorLoopRefusesSignalHandlersAsAsyncios(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            // The io_uring proactor runs on Linux and handles signals as asyncio's Unix loops do.
            Assumptions.assumeTrue(loop instanceof ProactorEventLoop && !(loop instanceof UringEventLoop),
                    "only the proactor loop refuses signals");
            assertThrows(UnsupportedOperationException.class, () -> loop.addSignalHandler("USR2", () -> { }));
            assertThrows(UnsupportedOperationException.class, () -> loop.removeSignalHandler("USR2"));
        }
    }

    @LoopTest
    void aSignalRunsItsCallbackOnTheLoopThread(LoopKind kind) {
        assumeSignalHandlers(kind);
        Thread[] threads = new Thread[2];
        kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<Void> received = loop.createFuture();
            loop.callSoon(() -> threads[0] = Thread.currentThread());
            loop.addSignalHandler("SIGUSR2", () -> {
                threads[1] = Thread.currentThread();
                received.setResult(null);
            });
            try {
                raise("USR2");
                Asyncio.waitFor(received, LoopbackPeers.BOUND);
            } finally {
                assertTrue(loop.removeSignalHandler("USR2"));
            }
            return null;
        });
        assertEquals(threads[0], threads[1]);
    }

    @LoopTest
    void removingAHandlerThatWasNeverSetSaysSo(LoopKind kind) {
        assumeSignalHandlers(kind);
        try (EventLoop loop = kind.newLoop()) {
            assertFalse(loop.removeSignalHandler("HUP"));
        }
    }

    @LoopTest
    void removingAHandlerForANameThatIsNoSignalRaises(LoopKind kind) {
        assumeSignalHandlers(kind);
        try (EventLoop loop = kind.newLoop()) {
            assertThrows(IllegalArgumentException.class, () -> loop.removeSignalHandler("NOSUCHSIG"));
            assertThrows(NullPointerException.class, () -> loop.removeSignalHandler(null));
            loop.addSignalHandler("WINCH", () -> { });
            assertThrows(IllegalArgumentException.class, () -> loop.removeSignalHandler("NOSUCHSIG"));
            assertFalse(loop.removeSignalHandler("KILL"));
            assertTrue(loop.removeSignalHandler("WINCH"));
        }
    }

    @LoopTest
    void signalsGoByNumberAsWellAsByName(LoopKind kind) {
        assumeSignalHandlers(kind);
        kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<Void> received = loop.createFuture();
            loop.addSignalHandler(12, () -> received.setResult(null)); // SIGUSR2 on Linux
            try {
                raise("USR2");
                Asyncio.waitFor(received, LoopbackPeers.BOUND);
            } finally {
                assertTrue(loop.removeSignalHandler("USR2"), "the handler set by number is the one of the name");
            }
            assertFalse(loop.removeSignalHandler(12));
            return null;
        });
        try (EventLoop loop = kind.newLoop()) {
            assertThrows(IllegalArgumentException.class, () -> loop.addSignalHandler(9, () -> { }));
            assertThrows(IllegalArgumentException.class, () -> loop.addSignalHandler(0, () -> { }));
            assertThrows(IllegalArgumentException.class, () -> loop.removeSignalHandler(-1));
            loop.addSignalHandler("WINCH", () -> { });
            assertTrue(loop.removeSignalHandler(28));
        }
    }

    @LoopTest
    void uncatchableAndUnknownSignalsAreRefused(LoopKind kind) {
        assumeSignalHandlers(kind);
        try (EventLoop loop = kind.newLoop()) {
            assertThrows(IllegalArgumentException.class, () -> loop.addSignalHandler("KILL", () -> { }));
            assertThrows(IllegalArgumentException.class, () -> loop.addSignalHandler("SIGSTOP", () -> { }));
            assertThrows(IllegalArgumentException.class, () -> loop.addSignalHandler("NOSUCHSIG", () -> { }));
        }
    }

    @LoopTest
    void closingTheLoopRestoresThePreviousHandler(LoopKind kind) {
        assumeSignalHandlers(kind);
        EventLoop loop = kind.newLoop();
        loop.addSignalHandler("WINCH", () -> { });
        loop.close();
        assertFalse(loop.removeSignalHandler("WINCH"));
    }
}
