package asyncio.examples;

import asyncio.api.Asyncio;
import asyncio.api.Future;
import asyncio.api.TaskGroup;

/**
 * The asyncio docs' call-graph example (Python 3.14): a task of a TaskGroup prints its own call
 * graph, which shows it awaited by the main task. With {@code --wait} the program then keeps
 * three tasks suspended until its standard input closes (press Ctrl-D), so that
 * {@code asyncio-ps PID} and {@code asyncio-pstree PID} can look at it from outside; run it with
 * {@code -Dasyncio.jmx=true} for that.
 */
public final class PrintCallGraph {
    private PrintCallGraph() {
    }

    /** Prints the graph; {@code --wait} then waits for the end of standard input. */
    public static void main(String[] args) {
        run(args.length > 0 && args[0].equals("--wait"));
    }

    /** Runs the example; with {@code waitForInput} it also keeps nested tasks alive until stdin closes. */
    public static void run(boolean waitForInput) {
        Asyncio.run(() -> TaskGroup.run(group -> {
            group.createTask(PrintCallGraph::test, "test");
            if (waitForInput) {
                Future<Void> stop = Asyncio.getRunningLoop().createFuture();
                group.createTask(() -> TaskGroup.run(inner -> {
                    inner.createTask(() -> idle(stop), "idle-1");
                    inner.createTask(() -> idle(stop), "idle-2");
                    return null;
                }), "holder");
                System.out.println("pid " + ProcessHandle.current().pid() + ": try asyncio-pstree on it, then press Ctrl-D");
                Asyncio.toThread(() -> System.in.transferTo(java.io.OutputStream.nullOutputStream())).await();
                stop.setResult(null);
            }
            return null;
        }));
    }

    private static Void test() {
        Asyncio.printCallGraph(null);
        return null;
    }

    private static Void idle(Future<Void> stop) {
        return stop.await();
    }
}
