package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import asyncio.api.TaskFactory;
import asyncio.api.TaskGroup;
import asyncio.api.TaskGroupException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code loop.set_task_factory} and {@code asyncio.eager_task_factory}. */
@ExtendWith(NoDescriptorLeaks.class)
class EagerTaskFactoryTest {

    @LoopTest
    void eagerTaskRunsSynchronouslyUntilItsFirstSuspension(LoopKind kind) {
        List<String> events = kind.run(() -> {
            Asyncio.getRunningLoop().setTaskFactory(Task.EAGER_TASK_FACTORY);
            List<String> log = new ArrayList<>();
            Task<?> creator = Asyncio.currentTask();
            Task<String> eager = Asyncio.createTask(() -> {
                log.add("eager part, current is itself: " + (Asyncio.currentTask() != creator));
                Asyncio.sleep(0);
                log.add("resumed by the loop");
                return "done";
            }, "eager");
            log.add("createTask returned, current is creator: " + (Asyncio.currentTask() == creator));
            assertFalse(eager.done());
            assertEquals("done", eager.await());
            return log;
        });
        assertEquals(List.of("eager part, current is itself: true", "createTask returned, current is creator: true",
                "resumed by the loop"), events);
    }

    @LoopTest
    void eagerTaskThatFinishesAtOnceIsDoneBeforeCreateTaskReturns(LoopKind kind) {
        kind.run(() -> {
            Asyncio.getRunningLoop().setTaskFactory(Task.EAGER_TASK_FACTORY);
            List<String> order = new ArrayList<>();
            Asyncio.getRunningLoop().callSoon(() -> order.add("earlier callback"));
            Task<Integer> task = Asyncio.createTask(() -> {
                order.add("eager body");
                return 7;
            });
            assertTrue(task.done());
            assertEquals(7, task.result());
            assertFalse(Asyncio.allTasks().contains(task), "an eagerly finished task is never registered as pending");
            Asyncio.sleep(0);
            assertEquals(List.of("eager body", "earlier callback"), order);
            return null;
        });
    }

    @LoopTest
    void eagerTaskThatFinishesAtOnceNeverRunsAgain(LoopKind kind) {
        kind.run(() -> {
            Asyncio.getRunningLoop().setTaskFactory(Task.EAGER_TASK_FACTORY);
            int[] runs = {0};
            Task<Integer> task = Asyncio.createTask(() -> ++runs[0]);
            for (int i = 0; i < 3; i++) {
                Asyncio.sleep(0);
            }
            assertEquals(1, runs[0]);
            assertEquals(1, task.result());
            return null;
        });
    }

    @LoopTest
    void eagerTaskThatFailsAtOnceIsDoneWithTheException(LoopKind kind) {
        IOException error = new IOException("eager failure");
        kind.run(() -> {
            Asyncio.getRunningLoop().setTaskFactory(Task.EAGER_TASK_FACTORY);
            Task<Void> task = Asyncio.createTask(() -> {
                throw error;
            });
            assertTrue(task.done());
            assertSame(error, task.exception());
            return null;
        });
    }

    @LoopTest
    void eagerTaskCanBeCancelledAfterItSuspends(LoopKind kind) {
        kind.run(() -> {
            Asyncio.getRunningLoop().setTaskFactory(Task.EAGER_TASK_FACTORY);
            Future<Void> never = Asyncio.getRunningLoop().createFuture();
            Task<Void> task = Asyncio.createTask(() -> never.await());
            assertFalse(task.done());
            task.cancel();
            assertThrows(CancelledError.class, task::await);
            assertTrue(never.cancelled());
            return null;
        });
    }

    @LoopTest
    void eagerTaskCreatedBeforeTheLoopRunsStartsLikeAnyTask(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            loop.setTaskFactory(Task.EAGER_TASK_FACTORY);
            List<String> log = new ArrayList<>();
            Task<Void> task = loop.createTask(() -> {
                log.add("ran");
                return null;
            });
            assertTrue(log.isEmpty(), "without a running loop there is nothing to run eagerly on");
            assertFalse(task.done());
            loop.runUntilComplete(task);
            assertEquals(List.of("ran"), log);
        }
    }

    @LoopTest
    void eagerStartConstructorArgumentRunsTheFirstStepAtOnce(LoopKind kind) {
        kind.run(() -> {
            Task<String> task = new Task<>(() -> "now", Asyncio.getRunningLoop(), "direct", true);
            assertTrue(task.done());
            assertEquals("now", task.result());
            assertEquals("direct", task.getName());
            return null;
        });
    }

    @LoopTest
    void eagerTasksNestAndEachSeesItselfAsCurrent(LoopKind kind) {
        List<String> events = kind.run(() -> {
            Asyncio.getRunningLoop().setTaskFactory(Task.EAGER_TASK_FACTORY);
            List<String> log = new ArrayList<>();
            Task<Void> outer = Asyncio.createTask(() -> {
                log.add("outer " + Asyncio.currentTask().getName());
                Task<Void> inner = Asyncio.createTask(() -> {
                    log.add("inner " + Asyncio.currentTask().getName());
                    Asyncio.sleep(0);
                    log.add("inner resumed " + Asyncio.currentTask().getName());
                    return null;
                }, "inner");
                log.add("outer again " + Asyncio.currentTask().getName());
                inner.await();
                log.add("outer resumed " + Asyncio.currentTask().getName());
                return null;
            }, "outer");
            outer.await();
            return log;
        });
        assertEquals(List.of("outer outer", "inner inner", "outer again outer", "inner resumed inner",
                "outer resumed outer"), events);
    }

    @LoopTest
    void eagerChildFailingAtOnceStillFailsItsTaskGroup(LoopKind kind) {
        IOException error = new IOException("at once");
        TaskGroupException group = kind.run(() -> {
            Asyncio.getRunningLoop().setTaskFactory(Task.EAGER_TASK_FACTORY);
            return assertThrows(TaskGroupException.class, () -> TaskGroup.run(g -> {
                g.createTask(() -> {
                    throw error;
                });
                return null;
            }));
        });
        assertEquals(List.of(error), group.exceptions());
    }

    @LoopTest
    void taskFactoryIsUsedByCreateTaskAndCanBeReset(LoopKind kind) {
        kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            assertNull(loop.getTaskFactory());
            List<String> made = new ArrayList<>();
            TaskFactory recording = new TaskFactory() {
                @Override
                public <T> Task<T> createTask(EventLoop on, Coroutine<T> coro, String name) {
                    made.add(String.valueOf(name));
                    return new Task<>(coro, on, "made-" + name);
                }
            };
            loop.setTaskFactory(recording);
            assertSame(recording, loop.getTaskFactory());
            Task<Integer> task = Asyncio.createTask(() -> 3, "x");
            assertEquals("made-x", task.getName());
            assertEquals(3, task.await());
            loop.setTaskFactory(null);
            assertNull(loop.getTaskFactory());
            Task<Integer> plain = Asyncio.createTask(() -> 4, "y");
            assertEquals("y", plain.getName());
            assertEquals(4, plain.await());
            assertEquals(List.of("x"), made);
            return null;
        });
    }

    @LoopTest
    void eagerFactoryLeavesTheCreatorsCurrentTaskInPlaceWhenTheChildFails(LoopKind kind) {
        AtomicReference<Task<?>> after = new AtomicReference<>();
        kind.run(() -> {
            Asyncio.getRunningLoop().setTaskFactory(Task.EAGER_TASK_FACTORY);
            Task<?> main = Asyncio.currentTask();
            Task<Void> failed = Asyncio.createTask(() -> {
                throw new IllegalStateException("boom");
            });
            after.set(Asyncio.currentTask());
            assertSame(main, after.get());
            assertThrows(IllegalStateException.class, failed::await);
            return null;
        });
    }

    @LoopTest
    void eagerlyCompletedTaskLetsItsCoroutineGo(LoopKind kind) {
        kind.run(() -> {
            Asyncio.getRunningLoop().setTaskFactory(Task.EAGER_TASK_FACTORY);
            Task<Integer> finished = Asyncio.createTask(() -> 1);
            assertNull(finished.getCoro());
            Coroutine<Integer> suspending = () -> Asyncio.sleep(0, 2);
            Task<Integer> suspended = Asyncio.createTask(suspending);
            assertSame(suspending, suspended.getCoro());
            assertEquals(2, suspended.await());
            return null;
        });
    }

    @LoopTest
    void eagerTaskIsAmongAllTasksDuringItsEagerStepOnly(LoopKind kind) {
        kind.run(() -> {
            Asyncio.getRunningLoop().setTaskFactory(Task.EAGER_TASK_FACTORY);
            AtomicReference<List<Task<?>>> duringStep = new AtomicReference<>();
            Task<Void> task = Asyncio.createTask(() -> {
                duringStep.set(Asyncio.allTasks());
                return null;
            });
            assertTrue(duringStep.get().contains(task));
            assertFalse(Asyncio.allTasks().contains(task));
            return null;
        });
    }

    @LoopTest
    void cancelAfterEagerCompletionReturnsFalseAndKeepsTheResult(LoopKind kind) {
        kind.run(() -> {
            Asyncio.getRunningLoop().setTaskFactory(Task.EAGER_TASK_FACTORY);
            Task<String> task = Asyncio.createTask(() -> "finished without blocking");
            assertFalse(task.cancel());
            assertEquals("finished without blocking", task.await());
            assertFalse(task.cancelled());
            return null;
        });
    }

    @LoopTest
    void cancelAfterAnEagerStepThatBlockedCarriesTheMessage(LoopKind kind) {
        kind.run(() -> {
            Asyncio.getRunningLoop().setTaskFactory(Task.EAGER_TASK_FACTORY);
            Task<Void> task = Asyncio.createTask(() -> Asyncio.sleep(0.1, null));
            assertTrue(task.cancel("cancellation message"));
            assertEquals(1, task.cancelling());
            assertEquals("cancellation message", assertThrows(CancelledError.class, task::await).getMessage());
            return null;
        });
    }

    @LoopTest
    void eagerStepCompletingAFutureLetsTheCreatorAwaitItAtOnce(LoopKind kind) {
        assertEquals("my message", kind.run(() -> {
            Asyncio.getRunningLoop().setTaskFactory(Task.EAGER_TASK_FACTORY);
            Future<String> future = Asyncio.getRunningLoop().createFuture();
            Task<Void> task = Asyncio.createTask(() -> {
                future.setResult("my message");
                return null;
            });
            assertTrue(task.done());
            return future.await();
        }));
    }
}
