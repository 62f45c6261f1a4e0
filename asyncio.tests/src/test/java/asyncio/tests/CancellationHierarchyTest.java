package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.Future;
import asyncio.api.InvalidStateError;
import asyncio.api.Task;
import asyncio.api.queues.QueueFull;
import asyncio.api.queues.QueueShutDown;
import asyncio.api.sync.BrokenBarrierError;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Catching an asyncio error never catches a cancellation: none of asyncio's own error types is a
 * supertype of {@link CancelledError} or shares {@link IllegalStateException} with it
 * (docs/decisions.md, "Cancellation in the exception hierarchy").
 */
@ExtendWith(NoDescriptorLeaks.class)
class CancellationHierarchyTest {

    @Test
    void asyncioErrorsAreNotIllegalStateExceptions() {
        for (Class<?> type : List.of(QueueFull.class, QueueShutDown.class, BrokenBarrierError.class, InvalidStateError.class)) {
            assertFalse(IllegalStateException.class.isAssignableFrom(type), type + " must not be caught with the cancellation");
            assertTrue(RuntimeException.class.isAssignableFrom(type), type + " stays unchecked");
        }
        assertTrue(CancellationException.class.isAssignableFrom(CancelledError.class), "the JDK's cancellation concept");
    }

    @LoopTest
    void theMappingDocsRuntimeErrorIdiomLetsTheCancellationThrough(LoopKind kind) {
        kind.run(() -> {
            Future<Void> never = Asyncio.getRunningLoop().createFuture();
            Task<String> task = Asyncio.createTask(() -> {
                try {
                    never.await();
                    return "done";
                } catch (CancelledError cancelled) {
                    throw cancelled;
                } catch (IllegalStateException runtimeError) {
                    return "handled as RuntimeError";
                }
            });
            Turns.pass(1);
            task.cancel();
            assertThrows(CancelledError.class, task::await);
            assertEquals(true, task.cancelled());
            return null;
        });
    }
}
