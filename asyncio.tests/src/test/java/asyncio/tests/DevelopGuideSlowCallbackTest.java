package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.Handle;
import asyncio.api.transports.Connection;
import asyncio.api.transports.Protocol;
import asyncio.api.transports.Server;
import asyncio.selector.SelectorEventLoop;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * docs/develop.md, "Blocking calls": debug mode's slow-callback report reveals code that holds the
 * loop thread. Selector only: seeing the report needs a subclass of a concrete loop, because the
 * report itself is a log record ({@link DevelopGuideLoggingTest} reads it as one).
 */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class})
class DevelopGuideSlowCallbackTest {
    private static final double THRESHOLD = 0.02;

    /** A selector loop that also keeps each slow-callback report. */
    private static final class WatchedLoop extends SelectorEventLoop {
        final List<Handle> slow = new CopyOnWriteArrayList<>();
        final List<Double> seconds = new CopyOnWriteArrayList<>();

        @Override
        protected void slowCallback(Handle handle, double took) {
            slow.add(handle);
            seconds.add(took);
            super.slowCallback(handle, took);
        }
    }

    @Test
    void aCallbackThatBlocksPastTheThresholdIsReportedInDebugMode() {
        try (WatchedLoop loop = new WatchedLoop()) {
            loop.setDebug(true);
            loop.setSlowCallbackDuration(THRESHOLD);
            Handle blocking = loop.callSoon(() -> sleepBlocking(0.03));
            Handle spinning = loop.callSoon(() -> spin(0.03));
            loop.callSoon(() -> { });

            LoopDriver.runOnce(loop);

            assertEquals(List.of(blocking, spinning), loop.slow);
            for (double took : loop.seconds) {
                assertTrue(took >= THRESHOLD, String.valueOf(took));
            }
            assertNotNull(blocking.sourceTraceback(), "the report can say where the callback was scheduled");
            assertTrue(ExceptionHandlerTest.mentions(blocking.sourceTraceback(),
                    "aCallbackThatBlocksPastTheThresholdIsReportedInDebugMode"));
        }
    }

    @Test
    void theSameCallbackOutsideDebugModeIsNotTimed() {
        try (WatchedLoop loop = new WatchedLoop()) {
            loop.setDebug(false);
            loop.setSlowCallbackDuration(THRESHOLD);
            loop.callSoon(() -> spin(0.03));

            LoopDriver.runOnce(loop);

            assertEquals(List.of(), loop.slow);
        }
    }

    @Test
    void aCoroutineThatBlocksBetweenTwoAwaitsIsReportedByTaskName() {
        try (WatchedLoop loop = new WatchedLoop()) {
            warmUp(loop);
            loop.setDebug(true);
            loop.runUntilComplete(loop.createTask(() -> {
                Asyncio.sleep(0);
                spin(0.15);
                Asyncio.sleep(0);
                return null;
            }, "slow-task"));

            assertEquals(1, loop.slow.size(), "one task step ran long: " + loop.slow);
            String reported = loop.slow.get(0).toString();
            assertTrue(reported.startsWith("<Handle <Task ") && reported.contains("name='slow-task'"), reported);
        }
    }

    @Test
    void aSlowDoneCallbackIsReportedAsTheCallbackItRuns() {
        try (WatchedLoop loop = new WatchedLoop()) {
            loop.setDebug(true);
            loop.setSlowCallbackDuration(THRESHOLD);
            Future<String> future = loop.createFuture();
            Consumer<Future<String>> slowCallback = new Consumer<>() {
                @Override
                public void accept(Future<String> done) {
                    spin(0.03);
                }

                @Override
                public String toString() {
                    return "slow-done-callback";
                }
            };
            future.addDoneCallback(slowCallback);
            future.setResult("done");

            LoopDriver.runOnce(loop);

            assertEquals(1, loop.slow.size());
            assertEquals("<Handle slow-done-callback>", loop.slow.get(0).toString());
        }
    }

    @Test
    void aProtocolCallbackThatBlocksIsReportedAsItsTransportsReadableCallback() {
        try (WatchedLoop loop = new WatchedLoop()) {
            loop.setDebug(true);
            loop.setSlowCallbackDuration(THRESHOLD);
            loop.runUntilComplete(() -> {
                Future<Void> received = Asyncio.getRunningLoop().createFuture();
                try (Server server = Net.server(() -> new Protocol() {
                    @Override
                    public void dataReceived(ByteBuffer data) {
                        spin(0.03);
                        data.position(data.limit());
                        if (!received.done()) {
                            received.setResult(null);
                        }
                    }
                })) {
                    Connection<RecordingProtocol> client = Net.echoPair(server);
                    client.transport().write(new byte[] {1});
                    received.await();
                    client.transport().close();
                    client.protocol().awaitLost();
                    Net.closeAndWait(server);
                }
                return null;
            });

            List<String> reports = loop.slow.stream().map(Handle::toString).toList();
            assertTrue(reports.stream().anyMatch(report -> report.startsWith("<Handle <SocketTransport ")
                    && report.endsWith(".readable()>")), reports.toString());
        }
    }

    @Test
    void theSameWorkHandedToToThreadIsNotReported() {
        try (WatchedLoop loop = new WatchedLoop()) {
            warmUp(loop);
            loop.setDebug(true);
            String result = loop.runUntilComplete(() -> Asyncio.toThread(() -> {
                sleepBlocking(0.15);
                return "done off the loop";
            }).await());
            loop.runUntilComplete(loop.shutdownDefaultExecutor(null));

            assertEquals("done off the loop", result);
            assertEquals(List.of(), loop.slow);
        }
    }

    /** Runs a first task and a first executor call outside debug mode: one-time start-up costs are not the subject. */
    private static void warmUp(EventLoop loop) {
        loop.setDebug(false);
        loop.runUntilComplete(() -> Asyncio.toThread(() -> null).await());
    }

    /** A blocking call of a known duration: what the report is about. */
    static void sleepBlocking(double seconds) {
        try {
            Thread.sleep((long) (seconds * 1000));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }

    /** Busy for {@code seconds}: a long computation on the loop thread. */
    static void spin(double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
