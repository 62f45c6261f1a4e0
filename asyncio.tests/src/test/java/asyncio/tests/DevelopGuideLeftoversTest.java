package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.Coroutine;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.Runner;
import asyncio.api.Task;
import asyncio.api.subprocess.SubprocessOptions;
import asyncio.api.subprocess.Subprocesses;
import asyncio.api.transports.Connection;
import asyncio.api.transports.Server;
import asyncio.api.transports.Transport;
import asyncio.api.transports.TransportSocket;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    void closingTheLoopClosesTheSocketsOfTransportsAndServersNobodyClosed(LoopKind kind) {
        List<TransportSocket> sockets = new ArrayList<>();
        AtomicReference<Connection<RecordingProtocol>> client = new AtomicReference<>();
        ErrorRecorder errors;
        try (EventLoop loop = kind.newLoop()) {
            errors = ErrorRecorder.on(loop);
            loop.runUntilComplete(() -> {
                sockets.addAll(connectedPairAndServer(client));
                return null;
            });
            assertEquals(3, sockets.size());
            for (TransportSocket socket : sockets) {
                assertTrue(socket.isOpen(), socket + " is open while the loop is");
            }
        }

        for (TransportSocket socket : sockets) {
            assertFalse(socket.isOpen(), "closed with the loop");
        }
        assertEquals(List.of(), errors.contexts(), "a warning says so, not the exception handler");
        assertFalse(client.get().protocol().lost.done(), "the closed loop calls no protocol back");
        client.get().transport().close();
        assertTrue(client.get().transport().isClosing(), "closing it afterwards is a no-op on a closed transport");
    }

    @LoopTest
    @SpawnsChildren
    void closingTheLoopKillsTheChildOfASubprocessTransportNobodyClosed(LoopKind kind) throws Exception {
        AtomicReference<asyncio.api.subprocess.Process> child = new AtomicReference<>();
        try (EventLoop loop = kind.newLoop()) {
            loop.runUntilComplete(() -> {
                child.set(Subprocesses.createSubprocessExec(List.of("sleep", "60"), SubprocessOptions.pipes()).await());
                return null;
            });
            assertTrue(ProcessHandle.of(child.get().pid()).map(ProcessHandle::isAlive).orElse(false), "the child runs");
        }

        // Killed at close; the JDK reaps it a moment later.
        Optional<ProcessHandle> handle = ProcessHandle.of(child.get().pid());
        if (handle.isPresent()) {
            handle.get().onExit().get(10, TimeUnit.SECONDS);
        }
        assertNull(child.get().returncode(), "the closed loop calls no protocol back");
    }

    @LoopTest
    void closingTheLoopWarnsOncePerTransportAndServerNobodyClosed(LoopKind kind) throws Exception {
        String output = runLeftoversApp(kind);

        List<String> warnings = output.lines().filter(line -> line.contains(" WARN ")).toList();
        assertEquals(4, warnings.size(), output);
        assertEquals(1, warnings.stream().filter(line -> line.contains(" WARN asyncio - unclosed transport <ProcessTransport pid=")
                && line.endsWith("> closed with its loop: child killed")).count(), output);
        assertEquals(1, warnings.stream().filter(line -> line.contains(" WARN asyncio - unclosed server <Server sockets=")
                && line.endsWith("> closed with its loop")).count(), output);
        assertEquals(2, warnings.stream().filter(line -> line.matches(".* WARN asyncio - unclosed transport <(Proactor)?SocketTransport open.*")
                && line.endsWith("> closed with its loop")).count(), output);
        assertTrue(output.contains("open after close: 0 of 3"), output);
    }

    /**
     * Leaves a server, a connected pair and a running child open, closes the loop, and says how
     * many sockets stayed open.
     */
    public static final class LeftoversApp {
        private LeftoversApp() {
        }

        public static void main(String[] args) {
            List<TransportSocket> sockets = new ArrayList<>();
            try (EventLoop loop = Asyncio.newEventLoop()) {
                loop.runUntilComplete(() -> {
                    sockets.addAll(connectedPairAndServer(new AtomicReference<>()));
                    Subprocesses.createSubprocessExec(List.of("sleep", "60"), SubprocessOptions.pipes()).await();
                    return null;
                });
            }
            System.out.println("open after close: " + sockets.stream().filter(TransportSocket::isOpen).count()
                    + " of " + sockets.size());
        }
    }

    /**
     * Runs {@link LeftoversApp} on {@code kind}'s loop in a child JVM with slf4j-simple, which
     * shows what the loop logs: the suite itself runs without an SLF4J backend.
     */
    private static String runLeftoversApp(LoopKind kind) throws IOException, InterruptedException {
        String classPath = ChildJvm.testClassPath() + File.pathSeparator + ChildJvm.slf4jSimple();
        List<String> command = new ArrayList<>(List.of(ChildJvm.java(),
                // The flags the build gives the suite (asyncio.test.jvmArgs): continuations, the epoll loop's fds.
                "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
                "--enable-native-access=ALL-UNNAMED", "-Dasyncio.loop=" + kind));
        String carrier = System.getProperty("asyncio.coroutines");
        if (carrier != null) {
            command.add("-Dasyncio.coroutines=" + carrier);
        }
        command.addAll(List.of("-cp", classPath, LeftoversApp.class.getName()));
        return ChildJvm.run(command, null, Map.of());
    }

    @LoopTest
    void closingTransportsAndServerAndWaitingForThemLeavesNoSocketOpen(LoopKind kind) {
        List<TransportSocket> sockets = new ArrayList<>();
        kind.run(() -> {
            List<RecordingProtocol> accepted = new ArrayList<>();
            try (Server server = Net.server(() -> record(accepted, new RecordingProtocol()))) {
                Connection<RecordingProtocol> client = Net.echoPair(server);
                sockets.add((TransportSocket) client.transport().getExtraInfo("socket"));
                sockets.add((TransportSocket) accepted(accepted).getExtraInfo("socket"));
                sockets.add(server.sockets().get(0));

                client.transport().close();
                client.protocol().awaitLost();
                Net.closeAndWait(server);
            }
            return null;
        });
        assertEquals(3, sockets.size());
        for (TransportSocket socket : sockets) {
            assertFalse(socket.isOpen(), "closed by its transport or server");
        }
    }

    @LoopTest
    void aTaskThatClosesItsTransportInFinallyLeavesNoSocketOpenWhenTheRunnerCancelsIt(LoopKind kind) {
        List<TransportSocket> sockets = new ArrayList<>();
        kind.run(() -> {
            Server server = Net.server(EchoProtocol::new);
            sockets.add(server.sockets().get(0));
            Asyncio.createTask(() -> {
                Connection<RecordingProtocol> client = Net.echoPair(server);
                sockets.add((TransportSocket) client.transport().getExtraInfo("socket"));
                try {
                    return client.protocol().lost.await();
                } finally {
                    client.transport().close();
                    server.close();
                }
            }, "client");
            for (int turn = 0; turn < 10_000 && sockets.size() < 2; turn++) {
                Asyncio.sleep(0);
            }
            assertEquals(2, sockets.size(), "the client task connected");
            return null;
        });
        for (TransportSocket socket : sockets) {
            assertFalse(socket.isOpen(), "closed by the task's finally");
        }
    }

    /** Opens a server and connects a client to it; returns the three sockets, none of them closed. */
    private static List<TransportSocket> connectedPairAndServer(AtomicReference<Connection<RecordingProtocol>> clientConnection) {
        List<RecordingProtocol> accepted = new ArrayList<>();
        Server server = Net.server(() -> record(accepted, new RecordingProtocol()));
        Connection<RecordingProtocol> client = Net.echoPair(server);
        clientConnection.set(client);
        return List.of((TransportSocket) client.transport().getExtraInfo("socket"),
                (TransportSocket) accepted(accepted).getExtraInfo("socket"),
                server.sockets().get(0));
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
