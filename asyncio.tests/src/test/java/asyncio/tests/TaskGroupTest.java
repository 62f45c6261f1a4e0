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
import asyncio.api.TaskGroup;
import asyncio.api.TaskGroupException;
import asyncio.api.TimeoutError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code asyncio.TaskGroup}: structured concurrency, with failures reported together. */
@ExtendWith(NoDescriptorLeaks.class)
class TaskGroupTest {

    private static Future<Void> never() {
        return Asyncio.getRunningLoop().createFuture();
    }

    @LoopTest
    void runWaitsForEveryTaskAndReturnsTheBlocksValue(LoopKind kind) {
        kind.run(() -> {
            List<Task<Integer>> tasks = new ArrayList<>();
            String value = TaskGroup.run(group -> {
                tasks.add(group.createTask(() -> Asyncio.sleep(0.02, 1)));
                tasks.add(group.createTask(() -> Asyncio.sleep(0, 2)));
                tasks.add(group.createTask(() -> 3, "named"));
                return "block value";
            });
            assertEquals("block value", value);
            for (Task<Integer> task : tasks) {
                assertTrue(task.done());
            }
            assertEquals(List.of(1, 2, 3), List.of(tasks.get(0).result(), tasks.get(1).result(), tasks.get(2).result()));
            assertEquals("named", tasks.get(2).getName());
            return null;
        });
    }

    @LoopTest
    void firstFailureCancelsTheSiblingsAndTheBlocksAwait(LoopKind kind) {
        IOException error = new IOException("child failed");
        kind.run(() -> {
            List<String> events = new ArrayList<>();
            AtomicReference<Task<Void>> sibling = new AtomicReference<>();
            TaskGroupException group = assertThrows(TaskGroupException.class, () -> TaskGroup.run(g -> {
                sibling.set(g.createTask(() -> {
                    try {
                        Asyncio.sleep(3600);
                    } catch (CancelledError cancelled) {
                        events.add("sibling cancelled");
                        throw cancelled;
                    }
                    return null;
                }));
                g.createTask(() -> {
                    Asyncio.sleep(0.01);
                    throw error;
                });
                try {
                    never().await();
                } catch (CancelledError cancelled) {
                    events.add("block cancelled");
                    throw cancelled;
                }
                events.add("block went on");
                return null;
            }));
            assertEquals(List.of(error), group.exceptions());
            assertTrue(sibling.get().cancelled());
            assertTrue(events.containsAll(List.of("sibling cancelled", "block cancelled")), events.toString());
            assertFalse(events.contains("block went on"));
            assertEquals(0, Asyncio.currentTask().cancelling(), "the group withdrew its cancellation of the parent");
            assertEquals("parent goes on", Asyncio.sleep(0.001, "parent goes on"));
            return null;
        });
    }

    @LoopTest
    void everyFailureIsReportedInOrder(LoopKind kind) {
        IOException first = new IOException("first");
        IllegalStateException second = new IllegalStateException("second, while cancelled");
        TaskGroupException group = kind.run(() -> assertThrows(TaskGroupException.class, () -> TaskGroup.run(g -> {
            g.createTask(() -> {
                try {
                    Asyncio.sleep(3600);
                } catch (CancelledError cancelled) {
                    throw second;
                }
                return null;
            });
            g.createTask(() -> {
                Asyncio.sleep(0.001);
                throw first;
            });
            return null;
        })));
        assertEquals(List.of(first, second), group.exceptions());
        assertEquals(List.of(first, second), List.of(group.getSuppressed()));
        assertTrue(group.getMessage().contains("unhandled errors in a TaskGroup"), group.getMessage());
    }

    @LoopTest
    void failuresAfterTheBlockEndedAreReportedToo(LoopKind kind) {
        IOException error = new IOException("late failure");
        TaskGroupException group = kind.run(() -> assertThrows(TaskGroupException.class, () -> TaskGroup.run(g -> {
            g.createTask(() -> {
                Asyncio.sleep(0.01);
                throw error;
            });
            return "block done";
        })));
        assertEquals(List.of(error), group.exceptions());
    }

    @LoopTest
    void parentCancelledFromOutsideCancelsTheChildrenAndRaisesCancelledError(LoopKind kind) {
        kind.run(() -> {
            List<Task<Void>> children = new ArrayList<>();
            Task<Void> parent = Asyncio.createTask(() -> TaskGroup.run(g -> {
                children.add(g.createTask(() -> Asyncio.sleep(3600, null)));
                children.add(g.createTask(() -> Asyncio.sleep(3600, null)));
                return null;
            }));
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            parent.cancel();
            assertThrows(CancelledError.class, parent::await);
            assertTrue(parent.cancelled());
            assertEquals(2, children.size());
            for (Task<Void> child : children) {
                assertTrue(child.cancelled());
            }
            return null;
        });
    }

    @LoopTest
    void parentCancelledWhileTheBlockAwaitsRaisesCancelledError(LoopKind kind) {
        kind.run(() -> {
            List<Task<Void>> children = new ArrayList<>();
            Task<Void> parent = Asyncio.createTask(() -> TaskGroup.run(g -> {
                children.add(g.createTask(() -> Asyncio.sleep(3600, null)));
                return never().await();
            }));
            Asyncio.sleep(0);
            parent.cancel("outside");
            CancelledError error = assertThrows(CancelledError.class, parent::await);
            assertEquals("outside", error.getMessage());
            assertTrue(children.get(0).cancelled());
            return null;
        });
    }

    @LoopTest
    void outsideCancellationAndAChildFailureGiveTheGroupAndKeepTheCount(LoopKind kind) {
        IOException error = new IOException("failed on cancel");
        kind.run(() -> {
            AtomicReference<Throwable> fromGroup = new AtomicReference<>();
            AtomicReference<Integer> cancellingAfter = new AtomicReference<>();
            Task<Void> parent = Asyncio.createTask(() -> {
                try {
                    TaskGroup.run(g -> {
                        g.createTask(() -> {
                            try {
                                Asyncio.sleep(3600);
                            } catch (CancelledError cancelled) {
                                throw error;
                            }
                            return null;
                        });
                        return never().await();
                    });
                } catch (TaskGroupException group) {
                    fromGroup.set(group);
                    cancellingAfter.set(Asyncio.currentTask().cancelling());
                }
                return null;
            });
            Asyncio.sleep(0);
            parent.cancel();
            // The parent is still being cancelled: its next await raises.
            assertThrows(CancelledError.class, parent::await);
            assertTrue(fromGroup.get() instanceof TaskGroupException);
            assertEquals(List.of(error), ((TaskGroupException) fromGroup.get()).exceptions());
            assertEquals(1, cancellingAfter.get());
            return null;
        });
    }

    @LoopTest
    void blockRaisingAnExceptionCancelsTheChildrenAndIsReported(LoopKind kind) {
        IOException error = new IOException("block failed");
        kind.run(() -> {
            List<Task<Void>> children = new ArrayList<>();
            TaskGroupException group = assertThrows(TaskGroupException.class, () -> TaskGroup.run(g -> {
                children.add(g.createTask(() -> Asyncio.sleep(3600, null)));
                Asyncio.sleep(0);
                throw error;
            }));
            assertEquals(List.of(error), group.exceptions());
            assertTrue(children.get(0).cancelled());
            return null;
        });
    }

    @LoopTest
    void blockFailureComesAfterTheChildFailures(LoopKind kind) {
        IOException childError = new IOException("child");
        IllegalStateException blockError = new IllegalStateException("block");
        TaskGroupException group = kind.run(() -> assertThrows(TaskGroupException.class, () -> TaskGroup.run(g -> {
            g.createTask(() -> {
                try {
                    Asyncio.sleep(3600);
                } catch (CancelledError cancelled) {
                    throw childError;
                }
                return null;
            });
            Asyncio.sleep(0);
            throw blockError;
        })));
        assertEquals(List.of(childError, blockError), group.exceptions());
    }

    @LoopTest
    void createTaskAfterTheGroupFinishedRaises(LoopKind kind) {
        kind.run(() -> {
            AtomicReference<TaskGroup> kept = new AtomicReference<>();
            TaskGroup.run(g -> {
                kept.set(g);
                return g.createTask(() -> 1);
            });
            IllegalStateException error = assertThrows(IllegalStateException.class, () -> kept.get().createTask(() -> 2));
            assertTrue(error.getMessage().contains("is finished"), error.getMessage());
            return null;
        });
    }

    @LoopTest
    void createTaskWhileTheGroupShutsDownRaises(LoopKind kind) {
        kind.run(() -> {
            AtomicReference<Throwable> refused = new AtomicReference<>();
            assertThrows(TaskGroupException.class, () -> TaskGroup.run(g -> {
                g.createTask(() -> {
                    throw new IOException("fail fast");
                });
                try {
                    never().await();
                } catch (CancelledError cancelled) {
                    try {
                        g.createTask(() -> 1);
                    } catch (IllegalStateException error) {
                        refused.set(error);
                    }
                    throw cancelled;
                }
                return null;
            }));
            assertTrue(refused.get() instanceof IllegalStateException);
            assertTrue(refused.get().getMessage().contains("shutting down"), refused.get().getMessage());
            return null;
        });
    }

    @LoopTest
    void tasksCanBeAddedWhileTheGroupWaitsForTheOthers(LoopKind kind) {
        List<String> events = kind.run(() -> {
            List<String> log = new ArrayList<>();
            TaskGroup.run(g -> {
                g.createTask(() -> {
                    Asyncio.sleep(0.005);
                    g.createTask(() -> {
                        Asyncio.sleep(0.005);
                        log.add("late child");
                        return null;
                    });
                    log.add("first child");
                    return null;
                });
                return null;
            });
            log.add("group done");
            return log;
        });
        assertEquals(List.of("first child", "late child", "group done"), events);
    }

    @LoopTest
    void nestedGroupFailureReachesTheOuterGroup(LoopKind kind) {
        IOException error = new IOException("deep");
        TaskGroupException outer = kind.run(() -> assertThrows(TaskGroupException.class, () -> TaskGroup.run(g -> {
            Task<Void> sibling = g.createTask(() -> Asyncio.sleep(3600, null));
            g.createTask(() -> TaskGroup.run(inner -> {
                inner.createTask(() -> {
                    Asyncio.sleep(0.001);
                    throw error;
                });
                return null;
            }));
            return sibling;
        })));
        assertEquals(1, outer.exceptions().size());
        TaskGroupException inner = (TaskGroupException) outer.exceptions().get(0);
        assertEquals(List.of(error), inner.exceptions());
    }

    @LoopTest
    void nestedGroupInTheBlockIsCancelledWhenAnOuterChildFails(LoopKind kind) {
        IOException error = new IOException("outer child");
        kind.run(() -> {
            List<Task<Void>> innerChildren = new ArrayList<>();
            TaskGroupException outer = assertThrows(TaskGroupException.class, () -> TaskGroup.run(g -> {
                g.createTask(() -> {
                    Asyncio.sleep(0.005);
                    throw error;
                });
                return TaskGroup.run(inner -> {
                    innerChildren.add(inner.createTask(() -> Asyncio.sleep(3600, null)));
                    return null;
                });
            }));
            assertEquals(List.of(error), outer.exceptions());
            assertTrue(innerChildren.get(0).cancelled());
            return null;
        });
    }

    @LoopTest
    void cancelledChildIsNotAFailure(LoopKind kind) {
        String value = kind.run(() -> TaskGroup.run(g -> {
            Task<Void> victim = g.createTask(() -> Asyncio.sleep(3600, null));
            g.createTask(() -> {
                Asyncio.sleep(0);
                victim.cancel();
                return null;
            });
            return "no failure";
        }));
        assertEquals("no failure", value);
    }

    @LoopTest
    void runOutsideATaskRaises(LoopKind kind) {
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> TaskGroup.run(g -> null));
        assertTrue(error.getMessage().contains("task"), error.getMessage());
    }

    @LoopTest
    void timeoutAroundAGroupConvertsToTimeoutError(LoopKind kind) {
        kind.run(() -> {
            List<Task<Void>> children = new ArrayList<>();
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(0.01, timeout -> TaskGroup.run(g -> {
                children.add(g.createTask(() -> Asyncio.sleep(3600, null)));
                return null;
            })));
            assertTrue(children.get(0).cancelled());
            assertEquals(0, Asyncio.currentTask().cancelling());
            return null;
        });
    }

    @LoopTest
    void childFailingWhileTheParentWaitsInAnInnerTimeoutGivesTheGroup(LoopKind kind) {
        IOException error = new IOException("child");
        TaskGroupException group = kind.run(() -> assertThrows(TaskGroupException.class, () -> TaskGroup.run(g -> {
            g.createTask(() -> {
                Asyncio.sleep(0.001);
                throw error;
            });
            return Asyncio.timeout(10.0, timeout -> never().await());
        })));
        assertEquals(List.of(error), group.exceptions());
    }

    @LoopTest
    void childResultsAreAvailableInTheBlockByAwaitingThem(LoopKind kind) {
        int sum = kind.run(() -> TaskGroup.run(g -> {
            Task<Integer> a = g.createTask(() -> Asyncio.sleep(0.001, 1));
            Task<Integer> b = g.createTask(() -> Asyncio.sleep(0, 2));
            return a.await() + b.await();
        }));
        assertEquals(3, sum);
    }

    @LoopTest
    void childErrorObjectsAreKeptUnchanged(LoopKind kind) {
        IOException error = new IOException("same object");
        TaskGroupException group = kind.run(() -> assertThrows(TaskGroupException.class, () -> TaskGroup.run(g -> {
            g.createTask(() -> {
                throw error;
            });
            return null;
        })));
        assertSame(error, group.exceptions().get(0));
    }

    @LoopTest
    void tasksMultiplyingDuringTheGroupStopCleanlyAtTheFirstFailure(LoopKind kind) {
        int[] heads = {0};
        TaskGroupException group = kind.run(() -> assertThrows(TaskGroupException.class, () -> TaskGroup.run(g -> {
            g.createTask(() -> hydra(g, heads));
            g.createTask(() -> {
                while (heads[0] < 10) {
                    Asyncio.sleep(0.0015);
                }
                throw new ArithmeticException("hercules");
            });
            return null;
        })));
        assertEquals(1, group.exceptions().size(), group.exceptions().toString());
        assertTrue(group.exceptions().get(0) instanceof ArithmeticException);
        assertTrue(heads[0] >= 10);
    }

    private static Void hydra(TaskGroup group, int[] heads) {
        heads[0]++;
        Asyncio.sleep(0.001);
        group.createTask(() -> hydra(group, heads));
        group.createTask(() -> hydra(group, heads));
        return null;
    }

    @LoopTest
    void cancellationMessageOfTheParentSurvivesTheGroup(LoopKind kind) {
        kind.run(() -> {
            Task<Void> runner = Asyncio.createTask(() -> TaskGroup.run(g -> {
                for (int i = 0; i < 5; i++) {
                    g.createTask(() -> Asyncio.sleep(5, null));
                }
                return null;
            }));
            Asyncio.sleep(0.01);
            assertFalse(runner.done());
            runner.cancel("test");
            assertEquals("test", assertThrows(CancelledError.class, runner::await).getMessage());
            return null;
        });
    }

    @LoopTest
    void blockRaisingInsteadOfCancellingIsReportedInTheGroup(LoopKind kind) {
        IllegalStateException error = new IllegalStateException("raised instead of CancelledError");
        kind.run(() -> {
            Task<Void> runner = Asyncio.createTask(() -> TaskGroup.run(g -> {
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError cancelled) {
                    throw error;
                }
                return null;
            }));
            Asyncio.sleep(0);
            runner.cancel();
            TaskGroupException group = assertThrows(TaskGroupException.class, runner::await);
            assertEquals(List.of(error), group.exceptions());
            return null;
        });
    }
}
