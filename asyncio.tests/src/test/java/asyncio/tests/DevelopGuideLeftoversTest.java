package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.Coroutine;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.Runner;
import asyncio.api.Task;
import asyncio.api.transports.Connection;
import asyncio.api.transports.Server;
import asyncio.api.transports.Transport;
import java.io.IOException;
import java.nio.channels.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * docs/develop.md, the mistakes asyncio reports or does not: exceptions nobody retrieved,
 * coroutines and futures nobody awaited, tasks pending at close, transports never closed.
 */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class})
class DevelopGuideLeftoversTest {
    private static final String TASK_NEVER_RETRIEVED = "Task exception was never retrieved";
    private static final String FUTURE_NEVER_RETRIEVED = "Future exception was never retrieved";
    private static final String DESTROYED = "Task was destroyed but it is pending!";

    // --- never-retrieved exceptions ---

    @LoopTest
    void aTaskExceptionNobodyRetrievesIsReportedWhenTheTaskIsCollectedEvenOutsideDebugMode(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            loop.setDebug(false);
            ErrorRecorder errors = ErrorRecorder.on(loop);
            loop.runUntilComplete(() -> {
                startAFailingTaskAndForgetIt();
                return null;
            });

            LoopDriver.runUntil(loop, 0.01, System::gc, () -> !errors.withMessage(TASK_NEVER_RETRIEVED).isEmpty());

            Map<String, Object> report = errors.withMessage(TASK_NEVER_RETRIEVED).get(0);
            IOException lost = assertInstanceOf(IOException.class, report.get("exception"));
            assertEquals("nobody looked", lost.getMessage());
            assertTrue(String.valueOf(report.get("future")).contains("name='forgotten'"), String.valueOf(report.get("future")));
        }
    }

    private static void startAFailingTaskAndForgetIt() {
        Asyncio.createTask(() -> {
            throw new IOException("nobody looked");
        }, "forgotten");
        Asyncio.sleep(0);
        Asyncio.sleep(0);
    }

    @LoopTest
    void awaitingATaskOrAskingForItsExceptionCountsAsRetrievingIt(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            ErrorRecorder errors = ErrorRecorder.on(loop);
            loop.runUntilComplete(() -> {
                awaitAFailingTask();
                askAFailingTaskForItsException();
                return null;
            });

            for (int round = 0; round < 5; round++) {
                System.gc();
                LoopDriver.runOnce(loop);
            }

            assertEquals(List.of(), errors.contexts());
        }
    }

    private static void awaitAFailingTask() {
        Task<Void> task = Asyncio.createTask(() -> {
            throw new IOException("awaited");
        });
        assertThrows(IOException.class, task::await);
    }

    private static void askAFailingTaskForItsException() {
        Task<Void> task = Asyncio.createTask(() -> {
            throw new IOException("asked for");
        });
        Asyncio.sleep(0);
        Asyncio.sleep(0);
        assertInstanceOf(IOException.class, task.exception());
    }

    // --- never awaited ---

    @LoopTest
    void aCoroutineNobodyRunsNeverRunsAndNothingIsReported(LoopKind kind) {
        List<String> log = new ArrayList<>();
        try (EventLoop loop = kind.newLoop()) {
            ErrorRecorder errors = ErrorRecorder.on(loop);
            loop.runUntilComplete(() -> {
                Coroutine<Void> forgotten = () -> {
                    log.add("ran");
                    return null;
                };
                assertEquals(List.of(), log, "a coroutine is only a lambda until something runs it");
                Asyncio.sleep(0);
                return null;
            });
            System.gc();
            LoopDriver.runOnce(loop);

            assertEquals(List.of(), log);
            assertEquals(List.of(), errors.contexts());
        }
    }

    @LoopTest
    void callingACoroutineDirectlyRunsItInsideTheCallingTask(LoopKind kind) {
        kind.run(() -> {
            Task<?> caller = Asyncio.currentTask();
            Coroutine<Task<?>> child = () -> {
                Asyncio.sleep(0);
                return Asyncio.currentTask();
            };

            assertSame(caller, child.call(), "no new task: the child's awaits suspend the caller");
            return null;
        });
    }

    @LoopTest
    void aCoroutineCalledFromAPlainCallbackFailsAtItsFirstAwait(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Coroutine<String> child = () -> {
                Asyncio.sleep(0.01);
                return "slept";
            };
            AtomicReference<Throwable> error = new AtomicReference<>();
            loop.callSoon(() -> error.set(LoopLifecycleTest.catchThrowable(child::call)));

            LoopDriver.runOnce(loop);

            assertInstanceOf(IllegalStateException.class, error.get());
            assertTrue(error.get().getMessage().contains("outside a task"), error.get().getMessage());
        }
    }

    @LoopTest
    void aTaskNobodyAwaitsStillRunsToItsEnd(LoopKind kind) {
        List<String> log = new CopyOnWriteArrayList<>();
        kind.run(() -> {
            Asyncio.createTask(() -> {
                Asyncio.sleep(0);
                log.add("finished although nobody awaited it");
                return null;
            });
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            return null;
        });
        assertEquals(List.of("finished although nobody awaited it"), log);
    }

    @LoopTest
    void aFutureReturningCallNotAwaitedLetsTheCallerRunOnAndItsFailureSurfacesOnlyWhenCollected(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            ErrorRecorder errors = ErrorRecorder.on(loop);
            List<String> log = new CopyOnWriteArrayList<>();
            CountDownLatch callerWentOn = new CountDownLatch(1);
            loop.runUntilComplete(() -> {
                startWorkWithoutAwaitingIt(log, callerWentOn);
                log.add("the caller went on");
                callerWentOn.countDown();
                return null;
            });

            LoopDriver.runUntil(loop, 0.01, System::gc, () -> !errors.withMessage(FUTURE_NEVER_RETRIEVED).isEmpty());
            loop.runUntilComplete(loop.shutdownDefaultExecutor(null));

            assertEquals(List.of("the caller went on", "work ran"), log);
            IOException lost = assertInstanceOf(IOException.class,
                    errors.withMessage(FUTURE_NEVER_RETRIEVED).get(0).get("exception"));
            assertEquals("the work failed", lost.getMessage());
        }
    }

    private static void startWorkWithoutAwaitingIt(List<String> log, CountDownLatch callerWentOn) {
        // Should be: ...runInExecutor(...).await();
        Asyncio.getRunningLoop().runInExecutor(null, () -> {
            // The work waits for the caller: had the caller awaited it, this would time out.
            if (callerWentOn.await(10, TimeUnit.SECONDS)) {
                log.add("work ran");
            }
            throw new IOException("the work failed");
        });
    }

    // --- pending at close ---

    @LoopTest
    void aTaskStillPendingWhenItsLoopClosesIsReportedAndItsFinallyNeverRuns(LoopKind kind) {
        List<String> log = new CopyOnWriteArrayList<>();
        AtomicReference<Task<?>> left = new AtomicReference<>();
        ErrorRecorder errors;
        try (EventLoop loop = kind.newLoop()) {
            errors = ErrorRecorder.on(loop);
            loop.runUntilComplete(() -> {
                left.set(startAnEndlessTask(log));
                return null;
            });
        }

        List<Map<String, Object>> reports = errors.withMessage(DESTROYED);
        assertEquals(1, reports.size(), errors.contexts().toString());
        assertSame(left.get(), reports.get(0).get("task"));
        assertEquals(List.of("started"), log, "the task's finally block never ran");
    }

    @LoopTest
    void aRunnerCancelsTheTasksLeftBeforeItClosesItsLoopSoNothingIsReported(LoopKind kind) {
        List<String> log = new CopyOnWriteArrayList<>();
        ErrorRecorder errors;
        try (Runner runner = new Runner(null, kind::newLoop)) {
            errors = runner.run(() -> {
                ErrorRecorder recorder = ErrorRecorder.on(Asyncio.getRunningLoop());
                startAnEndlessTask(log);
                return recorder;
            });
        }

        assertEquals(List.of(), errors.contexts());
        assertEquals(List.of("started", "finally"), log);
    }

    private static Task<Void> startAnEndlessTask(List<String> log) {
        Future<Void> never = Asyncio.getRunningLoop().createFuture();
        Task<Void> task = Asyncio.createTask(() -> {
            log.add("started");
            try {
                return never.await();
            } finally {
                log.add("finally");
            }
        }, "endless");
        Asyncio.sleep(0);
        return task;
    }

    // --- transports never closed ---

    @LoopTest
    void closingTheLoopClosesNoTransportAndReportsNothing(LoopKind kind) throws IOException {
        List<Channel> channels = new ArrayList<>();
        AtomicReference<Transport> client = new AtomicReference<>();
        ErrorRecorder errors;
        try (EventLoop loop = kind.newLoop()) {
            errors = ErrorRecorder.on(loop);
            loop.runUntilComplete(() -> {
                channels.addAll(connectedPairAndServer(client));
                return null;
            });
        }
        try {
            assertEquals(3, channels.size());
            for (Channel channel : channels) {
                assertTrue(channel.isOpen(), channel + " is still open after loop.close()");
            }
            assertEquals(List.of(), errors.contexts(), "nothing says so");
            assertThrows(IllegalStateException.class, client.get()::close, "too late: the transport needs its loop");
            assertTrue(channels.get(0).isOpen());
        } finally {
            for (Channel channel : channels) {
                channel.close();
            }
        }
    }

    @LoopTest
    void closingTransportsAndServerAndWaitingForThemLeavesNoSocketOpen(LoopKind kind) {
        List<Channel> channels = new ArrayList<>();
        kind.run(() -> {
            List<RecordingProtocol> accepted = new ArrayList<>();
            try (Server server = Net.server(() -> record(accepted, new RecordingProtocol()))) {
                Connection<RecordingProtocol> client = Net.echoPair(server);
                channels.add((Channel) client.transport().getExtraInfo("socket"));
                channels.add((Channel) accepted(accepted).getExtraInfo("socket"));
                channels.add((Channel) server.sockets().get(0));

                client.transport().close();
                client.protocol().awaitLost();
                Net.closeAndWait(server);
            }
            return null;
        });
        for (Channel channel : channels) {
            assertFalse(channel.isOpen(), channel + " is closed");
        }
    }

    @LoopTest
    void aTaskThatClosesItsTransportInFinallyLeavesNoSocketOpenWhenTheRunnerCancelsIt(LoopKind kind) {
        List<Channel> channels = new ArrayList<>();
        kind.run(() -> {
            Server server = Net.server(EchoProtocol::new);
            channels.add((Channel) server.sockets().get(0));
            Asyncio.createTask(() -> {
                Connection<RecordingProtocol> client = Net.echoPair(server);
                channels.add((Channel) client.transport().getExtraInfo("socket"));
                try {
                    return client.protocol().lost.await();
                } finally {
                    client.transport().close();
                    server.close();
                }
            }, "client");
            for (int turn = 0; turn < 10_000 && channels.size() < 2; turn++) {
                Asyncio.sleep(0);
            }
            assertEquals(2, channels.size(), "the client task connected");
            return null;
        });
        for (Channel channel : channels) {
            assertFalse(channel.isOpen(), channel + " is closed");
        }
    }

    /** Opens a server and connects a client to it; returns the three sockets, none of them closed. */
    private static List<Channel> connectedPairAndServer(AtomicReference<Transport> clientTransport) {
        List<RecordingProtocol> accepted = new ArrayList<>();
        Server server = Net.server(() -> record(accepted, new RecordingProtocol()));
        Connection<RecordingProtocol> client = Net.echoPair(server);
        clientTransport.set(client.transport());
        return List.of((Channel) client.transport().getExtraInfo("socket"),
                (Channel) accepted(accepted).getExtraInfo("socket"),
                (Channel) server.sockets().get(0));
    }

    private static RecordingProtocol record(List<RecordingProtocol> accepted, RecordingProtocol protocol) {
        accepted.add(protocol);
        return protocol;
    }

    private static Transport accepted(List<RecordingProtocol> accepted) {
        for (int turn = 0; turn < 10_000 && accepted.isEmpty(); turn++) {
            Asyncio.sleep(0);
        }
        return accepted.get(0).made.await();
    }
}
