package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.FrameCallGraphEntry;
import asyncio.api.Future;
import asyncio.api.FutureCallGraph;
import asyncio.api.Task;
import asyncio.api.TaskGroup;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Python 3.14's call graph ({@code asyncio.capture_call_graph}, {@code format_call_graph},
 * {@code future_add_to_awaited_by}): who awaits a future, transitively, and where each task is
 * suspended. Each test builds the program CPython's test_graph builds in spirit (a task awaited
 * by another, gather, TaskGroup, shield, a future awaited by two tasks) and checks the same shape
 * CPython 3.14 returns for it: the node's future, its frames innermost first (the function that
 * captured, or the function parked in the await, first), and one child per awaiter.
 */
@ExtendWith(NoDescriptorLeaks.class)
class CallGraphTest {

    @LoopTest
    void aTaskAwaitedByAnotherShowsItsFramesAndItsAwaiter(LoopKind kind) {
        kind.run(() -> {
            Task<?> main = Asyncio.currentTask();
            Task<FutureCallGraph> worker = Asyncio.createTask(() -> captureHere(), "worker");
            FutureCallGraph graph = worker.await();
            assertSame(worker, graph.future());
            assertEquals("captureHere", graph.callStack().get(0).frame().getMethodName(),
                    "innermost first: the function that called capture_call_graph");
            assertEquals(1, graph.awaitedBy().size());
            FutureCallGraph awaiter = graph.awaitedBy().get(0);
            assertSame(main, awaiter.future());
            assertTrue(awaiter.awaitedBy().isEmpty());
            assertTrue(methods(awaiter).stream().anyMatch(name -> name.startsWith("lambda$")),
                    "the awaiting task's frames reach its coroutine: " + methods(awaiter));
            return null;
        });
    }

    @LoopTest
    void aSuspendedTaskShowsTheFunctionItIsParkedIn(LoopKind kind) {
        kind.run(() -> {
            Future<Void> gate = Asyncio.getRunningLoop().createFuture();
            Task<Void> parked = Asyncio.createTask(() -> parkedIn(gate), "parked");
            Asyncio.sleep(0);
            FutureCallGraph graph = Asyncio.captureCallGraph(parked);
            assertEquals("parkedIn", graph.callStack().get(0).frame().getMethodName(),
                    "the await plumbing is left out, as asyncio shows the coroutine, not Future.__await__");
            assertTrue(graph.awaitedBy().isEmpty(), "nobody awaits it yet");

            FutureCallGraph gateGraph = Asyncio.captureCallGraph(gate);
            assertSame(gate, gateGraph.future());
            assertTrue(gateGraph.callStack().isEmpty(), "a plain future has no frames");
            assertEquals(List.of(parked), futures(gateGraph.awaitedBy()));
            gate.setResult(null);
            parked.await();
            assertTrue(Asyncio.captureCallGraph(gate).awaitedBy().isEmpty(), "the await is over");
            return null;
        });
    }

    @LoopTest
    void aFutureAwaitedByTwoTasksListsBoth(LoopKind kind) {
        kind.run(() -> {
            Future<Void> shared = Asyncio.getRunningLoop().createFuture();
            Task<Void> first = Asyncio.createTask(() -> parkedIn(shared), "first");
            Task<Void> second = Asyncio.createTask(() -> parkedIn(shared), "second");
            Asyncio.sleep(0);
            FutureCallGraph graph = Asyncio.captureCallGraph(shared);
            assertEquals(List.of(first, second), futures(graph.awaitedBy()));
            for (FutureCallGraph waiter : graph.awaitedBy()) {
                assertEquals("parkedIn", waiter.callStack().get(0).frame().getMethodName());
            }
            shared.setResult(null);
            Asyncio.gather(first, second).await();
            return null;
        });
    }

    @LoopTest
    void gatheredChildrenAreAwaitedByTheTaskThatGathers(LoopKind kind) {
        kind.run(() -> {
            Task<?> main = Asyncio.currentTask();
            Task<FutureCallGraph> a = Asyncio.createTask(() -> captureHere(), "a");
            Task<FutureCallGraph> b = Asyncio.createTask(() -> captureHere(), "b");
            List<Object> graphs = Asyncio.gather(a, b).await();
            for (Object each : graphs) {
                FutureCallGraph graph = (FutureCallGraph) each;
                assertEquals(List.of(main), futures(graph.awaitedBy()),
                        "as in asyncio, the child points at the gathering task, not at the gathering future");
            }
            assertTrue(Asyncio.captureCallGraph(a).awaitedBy().isEmpty(), "gather forgets a child once it is done");
            return null;
        });
    }

    @LoopTest
    void taskGroupTasksAreAwaitedByTheGroupsTaskAndNestedGroupsChain(LoopKind kind) {
        kind.run(() -> {
            Task<?> main = Asyncio.currentTask();
            FutureCallGraph[] captured = new FutureCallGraph[1];
            TaskGroup.run(outer -> {
                outer.createTask(() -> TaskGroup.run(inner -> {
                    inner.createTask(() -> captured[0] = captureHere(), "leaf");
                    return null;
                }), "branch");
                return null;
            });
            FutureCallGraph leaf = captured[0];
            assertEquals("leaf", ((Task<?>) leaf.future()).getName());
            FutureCallGraph branch = leaf.awaitedBy().get(0);
            assertEquals("branch", ((Task<?>) branch.future()).getName());
            assertEquals(List.of(main), futures(branch.awaitedBy()));
            assertEquals(1, leaf.awaitedBy().size());
            return null;
        });
    }

    @LoopTest
    void aShieldedTaskIsAwaitedByTheTaskThatShieldsIt(LoopKind kind) {
        kind.run(() -> {
            Future<Void> gate = Asyncio.getRunningLoop().createFuture();
            Task<Void> inner = Asyncio.createTask(() -> parkedIn(gate), "inner");
            Task<Void> shielding = Asyncio.createTask(() -> Asyncio.shield(inner).await(), "shielding");
            Asyncio.sleep(0);
            assertEquals(List.of(shielding), futures(Asyncio.captureCallGraph(inner).awaitedBy()));
            gate.setResult(null);
            shielding.await();
            assertTrue(Asyncio.captureCallGraph(inner).awaitedBy().isEmpty());
            return null;
        });
    }

    @LoopTest
    void awaitedByCanBeRecordedAndDiscardedByHand(LoopKind kind) {
        kind.run(() -> {
            Future<Void> watched = Asyncio.getRunningLoop().createFuture();
            Task<?> main = Asyncio.currentTask();
            Asyncio.futureAddToAwaitedBy(watched, main);
            Asyncio.futureAddToAwaitedBy(watched, main);
            assertEquals(List.of(main), futures(Asyncio.captureCallGraph(watched).awaitedBy()), "a set: once");
            Asyncio.futureDiscardFromAwaitedBy(watched, main);
            Asyncio.futureDiscardFromAwaitedBy(watched, main);
            assertTrue(Asyncio.captureCallGraph(watched).awaitedBy().isEmpty());
            return null;
        });
    }

    @LoopTest
    void limitKeepsFramesNearestTheCoroutineOrTheInnermost(LoopKind kind) {
        kind.run(() -> {
            Future<Void> gate = Asyncio.getRunningLoop().createFuture();
            Task<Void> parked = Asyncio.createTask(() -> viaOuterFrame(gate), "parked");
            Asyncio.sleep(0);
            List<FrameCallGraphEntry> all = Asyncio.captureCallGraph(parked).callStack();
            assertTrue(all.size() >= 3, "parkedIn, viaOuterFrame, the coroutine lambda: " + all);
            assertTrue(Asyncio.captureCallGraph(parked, 1, 0).callStack().isEmpty());
            assertEquals(all.subList(all.size() - 1, all.size()), Asyncio.captureCallGraph(parked, 1, 1).callStack(),
                    "a positive limit keeps the outermost frames, as asyncio's stack[:limit] before reversing");
            assertEquals(all.subList(0, 1), Asyncio.captureCallGraph(parked, 1, -1).callStack());
            gate.setResult(null);
            parked.await();
            return null;
        });
    }

    @LoopTest
    void depthSkipsFramesOfTheCurrentTask(LoopKind kind) {
        kind.run(() -> {
            FutureCallGraph direct = captureHere();
            FutureCallGraph skipped = captureOneUp();
            assertEquals("captureHere", direct.callStack().get(0).frame().getMethodName());
            assertEquals(direct.callStack().get(1).frame().getMethodName(),
                    skipped.callStack().get(0).frame().getMethodName(), "depth 2 starts at the caller's caller");
            return null;
        });
    }

    @LoopTest
    void formatCallGraphPrintsAsyncioLayout(LoopKind kind) {
        kind.run(() -> {
            Future<Void> gate = Asyncio.getRunningLoop().createFuture();
            Task<Void> parked = Asyncio.createTask(() -> parkedIn(gate), "parked");
            Task<Void> awaiting = Asyncio.createTask(() -> parked.await(), "awaiting");
            Asyncio.sleep(0);
            // CPython 3.14 prints, for the same program:
            //   * Task(name='parked', id=0x7f...)
            //     + Call stack:
            //     |   File '/t.py', line 3, in async parked_in()
            //     + Awaited by:
            //         * Task(name='awaiting', id=0x7f...)
            //           + Call stack:
            //           |   File '/t.py', line 9, in async awaiting()
            String text = Asyncio.formatCallGraph(parked);
            String[] lines = text.split("\n");
            assertTrue(Pattern.matches("\\* Task\\(name='parked', id=0x[0-9a-f]+\\)", lines[0]), lines[0]);
            assertEquals("  + Call stack:", lines[1]);
            assertTrue(Pattern.matches("  \\|   File 'CallGraphTest\\.java', line \\d+, in asyncio\\.tests\\.CallGraphTest\\.parkedIn\\(\\)",
                    lines[2]), lines[2]);
            int awaitedBy = List.of(lines).indexOf("  + Awaited by:");
            assertTrue(awaitedBy > 2, text);
            assertTrue(Pattern.matches("    \\* Task\\(name='awaiting', id=0x[0-9a-f]+\\)", lines[awaitedBy + 1]), text);
            assertEquals("      + Call stack:", lines[awaitedBy + 2]);
            assertTrue(lines[awaitedBy + 3].startsWith("      |   File 'CallGraphTest.java', line "), text);

            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            Asyncio.printCallGraph(gate, new PrintStream(bytes, true, StandardCharsets.UTF_8), 1, null);
            String printed = bytes.toString(StandardCharsets.UTF_8);
            assertTrue(Pattern.matches("(?s)\\* Future\\(id=0x[0-9a-f]+\\)\n  \\+ Awaited by:\n    \\* Task\\(name='parked'.*\n",
                    printed), printed);
            gate.setResult(null);
            awaiting.await();
            return null;
        });
    }

    @LoopTest
    void inACallbackThereIsNoCurrentTaskToCapture(LoopKind kind) {
        kind.run(() -> {
            Future<Object> seen = Asyncio.getRunningLoop().createFuture();
            Asyncio.getRunningLoop().callSoon(
                    () -> seen.setResult(Asyncio.captureCallGraph() + "|" + Asyncio.formatCallGraph(null)));
            assertEquals("null|", seen.await(), "no graph, and format_call_graph gives the empty string");
            return null;
        });
    }

    @Test
    void outsideALoopAFutureIsNeededToCapture() {
        assertThrows(IllegalStateException.class, Asyncio::captureCallGraph);
    }

    private static FutureCallGraph captureHere() {
        return Asyncio.captureCallGraph();
    }

    private static FutureCallGraph captureOneUp() {
        return Asyncio.captureCallGraph(null, 2, null);
    }

    private static Void parkedIn(Future<Void> gate) {
        return gate.await();
    }

    private static Void viaOuterFrame(Future<Void> gate) {
        return parkedIn(gate);
    }

    private static List<Future<?>> futures(List<FutureCallGraph> graphs) {
        return graphs.stream().map(graph -> (Future<?>) graph.future()).collect(java.util.stream.Collectors.toList());
    }

    private static List<String> methods(FutureCallGraph graph) {
        return graph.callStack().stream().map(entry -> entry.frame().getMethodName()).toList();
    }
}
