package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.Coroutine;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.Task;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.ExtendWith;

/** Tasks as objects: names, coroutine, stack, current and all tasks, and the reports of lost tasks. */
@ExtendWith(NoDescriptorLeaks.class)
class TaskTest {

    @LoopTest
    void taskHasTheGivenNameAndCanBeRenamed(LoopKind kind) {
        kind.run(() -> {
            Task<Void> task = Asyncio.createTask(() -> null, "worker");
            assertEquals("worker", task.getName());
            task.setName("renamed");
            assertEquals("renamed", task.getName());
            assertTrue(task.toString().contains("renamed"), task.toString());
            task.await();
            return null;
        });
    }

    @LoopTest
    void unnamedTasksGetDistinctGeneratedNames(LoopKind kind) {
        kind.run(() -> {
            Task<Void> first = Asyncio.createTask(() -> null);
            Task<Void> second = Asyncio.createTask(() -> null);
            assertTrue(first.getName().matches("Task-\\d+"), first.getName());
            assertTrue(second.getName().matches("Task-\\d+"), second.getName());
            assertFalse(first.getName().equals(second.getName()));
            first.await();
            second.await();
            return null;
        });
    }

    @LoopTest
    void getCoroReturnsTheCoroutine(LoopKind kind) {
        kind.run(() -> {
            Coroutine<Integer> coro = () -> 5;
            Task<Integer> task = Asyncio.createTask(coro);
            assertSame(coro, task.getCoro());
            assertEquals(5, task.await());
            return null;
        });
    }

    @LoopTest
    void setResultAndSetExceptionAreRefused(LoopKind kind) {
        kind.run(() -> {
            Task<Integer> task = Asyncio.createTask(() -> 1);
            assertThrows(IllegalStateException.class, () -> task.setResult(2));
            assertThrows(IllegalStateException.class, () -> task.setException(new IOException()));
            assertEquals(1, task.await());
            return null;
        });
    }

    @LoopTest
    void taskToStringShowsItsState(LoopKind kind) {
        kind.run(() -> {
            Future<Integer> gate = Asyncio.getRunningLoop().createFuture();
            Task<Integer> task = Asyncio.createTask(() -> gate.await(), "shown");
            Asyncio.sleep(0);
            assertTrue(task.toString().contains("pending"), task.toString());
            gate.setResult(3);
            task.await();
            assertTrue(task.toString().contains("result=3"), task.toString());
            return null;
        });
    }

    @LoopTest
    void getStackOfASuspendedTaskShowsTheCoroutineFrames(LoopKind kind) {
        kind.run(() -> {
            Future<Integer> gate = Asyncio.getRunningLoop().createFuture();
            Task<Integer> task = Asyncio.createTask(() -> parkedInHelper(gate), "parked");
            Asyncio.sleep(0);
            List<StackTraceElement> stack = task.getStack(0);
            assertTrue(stack.stream().anyMatch(frame -> frame.getMethodName().equals("parkedInHelper")), stack.toString());
            assertTrue(stack.stream().noneMatch(frame -> frame.getClassName().startsWith("asyncio.api.internal")
                    || frame.getClassName().startsWith("java.")), "no carrier frames: " + stack);
            assertEquals(TaskTest.class.getName(), stack.get(0).getClassName(),
                    "as in asyncio, the task's own coroutine comes first: " + stack);
            assertTrue(stack.get(0).getMethodName().startsWith("lambda$"), stack.toString());
            assertEquals(List.of(stack.get(0)), task.getStack(1), "a limit keeps the task's own coroutine");
            assertTrue(stack.indexOf(stack.stream().filter(frame -> frame.getMethodName().equals("parkedInHelper"))
                    .findFirst().orElseThrow()) > 0, "the innermost calls come last: " + stack);

            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            task.printStack(new PrintStream(printed, true, StandardCharsets.UTF_8));
            String text = printed.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("parked"), text);
            assertTrue(text.contains("parkedInHelper"), text);

            gate.setResult(1);
            return task.await();
        });
    }

    @LoopTest
    void printStackWithALimitPrintsTheOldestFramesOnly(LoopKind kind) {
        kind.run(() -> {
            Future<Integer> gate = Asyncio.getRunningLoop().createFuture();
            Task<Integer> task = Asyncio.createTask(() -> parkedInHelper(gate), "parked");
            Asyncio.sleep(0);
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            task.printStack(1, new PrintStream(printed, true, StandardCharsets.UTF_8));
            List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
            assertEquals(2, lines.size(), "the heading and one frame: " + lines);
            assertTrue(lines.get(0).startsWith("Stack for") && lines.get(0).contains("parked"), lines.toString());
            assertEquals("\tat " + task.getStack(1).get(0), lines.get(1), "the task's own coroutine, as asyncio's limit keeps");
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            task.printStack(0, new PrintStream(all, true, StandardCharsets.UTF_8));
            assertEquals(task.getStack(0).size() + 1, all.toString(StandardCharsets.UTF_8).lines().count());
            gate.setResult(1);
            return task.await();
        });
    }

    private static int parkedInHelper(Future<Integer> gate) {
        return gate.await();
    }

    @LoopTest
    void getStackOfTheRunningTaskShowsTheCaller(LoopKind kind) {
        List<StackTraceElement> stack = kind.run(TaskTest::stackOfCurrentTask);
        assertTrue(stack.stream().anyMatch(frame -> frame.getMethodName().equals("stackOfCurrentTask")), stack.toString());
    }

    private static List<StackTraceElement> stackOfCurrentTask() {
        return Asyncio.currentTask().getStack(0);
    }

    @LoopTest
    void getStackOfAFailedTaskShowsWhereItFailed(LoopKind kind) {
        kind.run(() -> {
            Task<Integer> task = Asyncio.createTask(() -> failingCoroutine());
            assertThrows(IllegalStateException.class, task::await);
            List<StackTraceElement> stack = task.getStack(0);
            assertEquals("failingCoroutine", stack.get(stack.size() - 1).getMethodName(),
                    "as in asyncio's traceback, where it failed comes last: " + stack);
            assertTrue(stack.get(0).getMethodName().startsWith("lambda$"), stack.toString());
            assertEquals(List.of(stack.get(0)), task.getStack(1),
                    "a limit keeps the oldest frames of an exception, as asyncio keeps a traceback's oldest");
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            task.printStack(new PrintStream(printed, true, StandardCharsets.UTF_8));
            String text = printed.toString(StandardCharsets.UTF_8);
            assertTrue(text.startsWith("Traceback for"), text);
            assertTrue(text.contains("failingCoroutine") && text.contains("java.lang.IllegalStateException: failed"), text);

            Task<Integer> fine = Asyncio.createTask(() -> 1);
            fine.await();
            assertTrue(fine.getStack(0).isEmpty());
            ByteArrayOutputStream none = new ByteArrayOutputStream();
            fine.printStack(new PrintStream(none, true, StandardCharsets.UTF_8));
            assertTrue(none.toString(StandardCharsets.UTF_8).startsWith("No stack for"), none.toString(StandardCharsets.UTF_8));
            return null;
        });
    }

    private static int failingCoroutine() {
        throw new IllegalStateException("failed");
    }

    @LoopTest
    void currentTaskIsTheRunningTaskInsideAndNullInAPlainCallback(LoopKind kind) {
        kind.run(() -> {
            Task<?> main = Asyncio.currentTask();
            assertNotNull(main);
            AtomicReference<Task<?>> seenInside = new AtomicReference<>();
            Task<Void> child = Asyncio.createTask(() -> {
                seenInside.set(Asyncio.currentTask());
                Asyncio.sleep(0);
                assertSame(seenInside.get(), Asyncio.currentTask());
                return null;
            });
            child.await();
            assertSame(child, seenInside.get());
            assertSame(main, Asyncio.currentTask());

            AtomicReference<Object> inCallback = new AtomicReference<>("unset");
            Future<Void> ran = Asyncio.getRunningLoop().createFuture();
            Asyncio.getRunningLoop().callSoon(() -> {
                inCallback.set(Asyncio.currentTask());
                ran.setResult(null);
            });
            ran.await();
            assertNull(inCallback.get(), "a plain callback runs outside any task");
            return null;
        });
    }

    @LoopTest
    void currentTaskWithNoRunningLoopRaises(LoopKind kind) {
        IllegalStateException before = assertThrows(IllegalStateException.class, Asyncio::currentTask);
        assertEquals("no running event loop", before.getMessage());
        kind.run(() -> Asyncio.currentTask().getName());
        assertThrows(IllegalStateException.class, Asyncio::currentTask);
    }

    @LoopTest
    void allTasksHoldsThePendingTasksOfTheLoop(LoopKind kind) {
        kind.run(() -> {
            Future<Void> gate = Asyncio.getRunningLoop().createFuture();
            Task<Void> waiting = Asyncio.createTask(() -> gate.await());
            Task<Void> quick = Asyncio.createTask(() -> null);
            quick.await();
            List<Task<?>> all = Asyncio.allTasks();
            assertTrue(all.contains(waiting));
            assertTrue(all.contains(Asyncio.currentTask()));
            assertFalse(all.contains(quick));
            gate.setResult(null);
            waiting.await();
            assertEquals(List.of(Asyncio.currentTask()), Asyncio.allTasks());
            return null;
        });
    }

    @LoopTest
    void allTasksOutsideARunningLoopRaises(LoopKind kind) {
        assertThrows(IllegalStateException.class, Asyncio::allTasks);
    }

    @LoopTest
    void tasksNobodyKeepsStillRunToTheirEnd(LoopKind kind) {
        List<String> events = kind.run(() -> {
            List<String> log = new java.util.ArrayList<>();
            Asyncio.createTask(() -> {
                Asyncio.sleep(0);
                System.gc();
                Asyncio.sleep(0);
                log.add("finished");
                return null;
            });
            for (int i = 0; i < 5; i++) {
                Asyncio.sleep(0);
            }
            return log;
        });
        assertEquals(List.of("finished"), events);
    }

    @LoopTest
    void pendingTaskOfAClosedLoopIsReportedAsDestroyed(LoopKind kind) {
        AtomicReference<Task<?>> leftBehind = new AtomicReference<>();
        ErrorRecorder errors;
        try (EventLoop loop = kind.newLoop()) {
            errors = ErrorRecorder.on(loop);
            loop.runUntilComplete(() -> {
                Future<Void> never = Asyncio.getRunningLoop().createFuture();
                leftBehind.set(Asyncio.createTask(() -> never.await(), "forgotten"));
                Asyncio.sleep(0);
                return null;
            });
        }
        List<Map<String, Object>> reports = errors.withMessage("Task was destroyed but it is pending!");
        assertEquals(1, reports.size(), errors.contexts().toString());
        assertSame(leftBehind.get(), reports.get(0).get("task"));
    }

    @LoopTest
    void taskExceptionNeverRetrievedIsReported(LoopKind kind) {
        List<Map<String, Object>> reports = kind.run(() -> {
            ErrorRecorder errors = ErrorRecorder.on(Asyncio.getRunningLoop());
            startFailingTaskAndForgetIt();
            for (int attempt = 0; attempt < 200 && errors.withMessage("Task exception was never retrieved").isEmpty(); attempt++) {
                System.gc();
                Asyncio.sleep(0.005);
            }
            return errors.withMessage("Task exception was never retrieved");
        });
        assertEquals(1, reports.size());
        assertTrue(reports.get(0).get("exception") instanceof IOException);
        assertEquals("nobody looks", ((Throwable) reports.get(0).get("exception")).getMessage());
    }

    private static void startFailingTaskAndForgetIt() {
        Asyncio.createTask(() -> {
            throw new IOException("nobody looks");
        });
        Asyncio.sleep(0);
        Asyncio.sleep(0);
    }

    @LoopTest
    void retrievedTaskExceptionIsNotReported(LoopKind kind) {
        List<Map<String, Object>> reports = kind.run(() -> {
            ErrorRecorder errors = ErrorRecorder.on(Asyncio.getRunningLoop());
            startFailingTaskAndRetrieveIt();
            for (int attempt = 0; attempt < 5; attempt++) {
                System.gc();
                Asyncio.sleep(0.005);
            }
            return errors.withMessage("Task exception was never retrieved");
        });
        assertTrue(reports.isEmpty(), reports.toString());
    }

    private static void startFailingTaskAndRetrieveIt() {
        Task<Void> task = Asyncio.createTask(() -> {
            throw new IOException("looked at");
        });
        assertThrows(IOException.class, task::await);
    }

    @LoopTest
    void createTaskOnAClosedLoopRaises(LoopKind kind) {
        EventLoop loop = kind.newLoop();
        loop.close();
        assertThrows(IllegalStateException.class, () -> loop.createTask(() -> 1));
        assertThrows(IllegalStateException.class, () -> new Task<>(() -> 1, loop, "late"));
    }

    @LoopTest
    void taskCreatedBeforeTheLoopRunsStartsWhenItRuns(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Task<String> task = loop.createTask(() -> "ran", "early");
            assertFalse(task.done());
            assertEquals("ran", loop.runUntilComplete(task));
        }
    }

    @LoopTest
    void cancelOnAFailedTaskMarksItsExceptionRetrieved(LoopKind kind) {
        List<Map<String, Object>> reports = kind.run(() -> {
            ErrorRecorder errors = ErrorRecorder.on(Asyncio.getRunningLoop());
            startFailingTaskCancelItAndForgetIt();
            // A second task nobody looks at shows when the collector has been through.
            startFailingTaskAndForgetIt();
            for (int attempt = 0; attempt < 200 && errors.withMessage("Task exception was never retrieved").isEmpty(); attempt++) {
                System.gc();
                Asyncio.sleep(0.005);
            }
            // One more round, in case the cancelled task's report comes a little later.
            System.gc();
            Asyncio.sleep(0.005);
            return errors.withMessage("Task exception was never retrieved");
        });
        assertEquals(1, reports.size(), reports.toString());
        assertEquals("nobody looks", ((Throwable) reports.get(0).get("exception")).getMessage());
    }

    private static void startFailingTaskCancelItAndForgetIt() {
        Task<Void> task = Asyncio.createTask(() -> {
            throw new IOException("cancelled after it failed");
        });
        Asyncio.sleep(0);
        Asyncio.sleep(0);
        assertTrue(task.done());
        assertFalse(task.cancel(), "a done task is not cancelled");
    }

    @LoopTest
    void ensureFutureUsesTheCurrentLoopWhenNoneRuns(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Asyncio.setEventLoop(loop);
            try {
                Future<Integer> future = Asyncio.ensureFuture(() -> 7);
                assertSame(loop, future.getLoop());
                assertEquals(7, loop.runUntilComplete(future));
            } finally {
                Asyncio.setEventLoop(null);
            }
        }
        IllegalStateException none = assertThrows(IllegalStateException.class, () -> Asyncio.ensureFuture(() -> 1));
        assertTrue(none.getMessage().contains("no current event loop"), none.getMessage());
    }

    @LoopTest
    void toStringOfATaskWhoseResultHoldsTheTaskDoesNotRecurse(LoopKind kind) {
        kind.run(() -> {
            Task<List<Object>> task = Asyncio.createTask(() -> List.of("self", Asyncio.currentTask()), "selfish");
            task.await();
            String text = task.toString();
            assertTrue(text.startsWith("<Task finished"), text);
            assertTrue(text.contains("[self, ...]"), text);

            Future<Object> future = Asyncio.getRunningLoop().createFuture();
            future.setResult(List.of(future));
            assertEquals("<Future finished result=[...]>", future.toString());
            return null;
        });
    }

    @LoopTest
    void toStringOfATaskBeingCancelledShowsCancelling(LoopKind kind) {
        kind.run(() -> {
            Task<Void> task = Asyncio.createTask(() -> Asyncio.sleep(3600, null), "victim");
            Asyncio.sleep(0);
            assertTrue(task.toString().startsWith("<Task pending name='victim'"), task.toString());
            task.cancel();
            assertTrue(task.toString().startsWith("<Task cancelling name='victim'"), task.toString());
            assertThrows(CancelledError.class, task::await);
            assertTrue(task.toString().startsWith("<Task cancelled name='victim'"), task.toString());
            return null;
        });
    }
}
