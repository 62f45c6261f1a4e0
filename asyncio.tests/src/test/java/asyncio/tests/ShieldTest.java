package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.Future;
import asyncio.api.Task;
import java.io.IOException;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code asyncio.shield}: cancelling the outside leaves the inside running. */
@ExtendWith(NoDescriptorLeaks.class)
class ShieldTest {

    @LoopTest
    void cancellingTheShieldLeavesTheInnerTaskRunning(LoopKind kind) {
        kind.run(() -> {
            Future<String> gate = Asyncio.getRunningLoop().createFuture();
            Task<String> inner = Asyncio.createTask(() -> gate.await());
            Future<String> outer = Asyncio.shield(inner);
            Asyncio.sleep(0);
            assertTrue(outer.cancel());
            assertThrows(CancelledError.class, outer::await);
            assertFalse(inner.done());
            gate.setResult("inner result");
            assertEquals("inner result", inner.await(), "the inner result is still reachable");
            return null;
        });
    }

    @LoopTest
    void cancellingTheTaskAwaitingAShieldDoesNotCancelTheInnerTask(LoopKind kind) {
        kind.run(() -> {
            Future<String> gate = Asyncio.getRunningLoop().createFuture();
            Task<String> inner = Asyncio.createTask(() -> gate.await());
            Task<String> waiter = Asyncio.createTask(() -> Asyncio.shield(inner).await());
            Asyncio.sleep(0);
            waiter.cancel();
            assertThrows(CancelledError.class, waiter::await);
            assertTrue(waiter.cancelled());
            assertFalse(inner.done());
            gate.setResult("finished anyway");
            assertEquals("finished anyway", inner.await());
            return null;
        });
    }

    @LoopTest
    void shieldFollowsTheInnerResult(LoopKind kind) {
        assertEquals(3, kind.run(() -> Asyncio.shield(Asyncio.createTask(() -> Asyncio.sleep(0, 3))).await()));
    }

    @LoopTest
    void shieldFollowsTheInnerException(LoopKind kind) {
        IOException error = new IOException("inside");
        kind.run(() -> {
            Future<Void> outer = Asyncio.shield(Asyncio.createTask(() -> {
                Asyncio.sleep(0);
                throw error;
            }));
            assertSame(error, assertThrows(IOException.class, outer::await));
            return null;
        });
    }

    @LoopTest
    void cancellingTheInnerCancelsTheShield(LoopKind kind) {
        kind.run(() -> {
            Task<Void> inner = Asyncio.createTask(() -> Asyncio.sleep(10, null));
            Future<Void> outer = Asyncio.shield(inner);
            Asyncio.sleep(0);
            inner.cancel();
            assertThrows(CancelledError.class, outer::await);
            assertTrue(outer.cancelled());
            return null;
        });
    }

    @LoopTest
    void shieldOfADoneFutureIsThatFuture(LoopKind kind) {
        kind.run(() -> {
            Future<Integer> done = Asyncio.getRunningLoop().createFuture();
            done.setResult(1);
            assertSame(done, Asyncio.shield(done));
            return null;
        });
    }
}
