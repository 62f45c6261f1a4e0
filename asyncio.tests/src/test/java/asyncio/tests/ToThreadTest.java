package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.Future;
import asyncio.api.Task;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code asyncio.to_thread}: blocking work in the default executor while the loop goes on. */
@ExtendWith(NoDescriptorLeaks.class)
class ToThreadTest {

    @LoopTest
    void functionRunsOnAnotherThreadAndItsResultIsAwaited(LoopKind kind) {
        kind.run(() -> {
            Thread loopThread = Thread.currentThread();
            Thread worker = Asyncio.toThread(Thread::currentThread).await();
            assertNotSame(loopThread, worker);
            assertEquals(6, Asyncio.toThread(() -> 2 * 3).await());
            return null;
        });
    }

    @LoopTest
    void exceptionOfTheFunctionReachesTheAwaiterUnchanged(LoopKind kind) {
        IOException error = new IOException("in the thread");
        IOException seen = kind.run(() -> assertThrows(IOException.class, () -> Asyncio.toThread(() -> {
            throw error;
        }).await()));
        assertSame(error, seen);
    }

    @LoopTest
    void theLoopKeepsRunningWhileTheFunctionBlocks(LoopKind kind) {
        kind.run(() -> {
            CountDownLatch release = new CountDownLatch(1);
            Future<Boolean> blocking = Asyncio.toThread(() -> release.await(10, TimeUnit.SECONDS));
            Task<String> other = Asyncio.createTask(() -> {
                Asyncio.sleep(0);
                release.countDown();
                return "ran meanwhile";
            });
            assertTrue(blocking.await(), "the blocking call was released by a task on the loop");
            assertEquals("ran meanwhile", other.await());
            return null;
        });
    }

    @LoopTest
    void awaitingFromTheFunctionRaises(LoopKind kind) {
        kind.run(() -> {
            Future<Integer> pending = Asyncio.getRunningLoop().createFuture();
            assertThrows(IllegalStateException.class, () -> Asyncio.toThread(pending::await).await());
            return null;
        });
    }
}
