package asyncio.examples;

import asyncio.api.Asyncio;
import java.util.List;

/**
 * The asyncio docs' "parallel execution of tasks": three factorials computed by three tasks at
 * once, each sleeping between steps; {@link Asyncio#gather} returns their results in order.
 */
public final class ParallelTasksGather {
    private ParallelTasksGather() {
    }

    /** Runs the example. */
    public static void main(String[] args) {
        Asyncio.run(() -> gatherFactorials(1.0));
    }

    /** The main coroutine: steps of the tasks are {@code seconds} apart. */
    public static List<Object> gatherFactorials(double seconds) {
        List<Object> results = Asyncio.gather(
                Asyncio.createTask(() -> factorial("A", 2, seconds)),
                Asyncio.createTask(() -> factorial("B", 3, seconds)),
                Asyncio.createTask(() -> factorial("C", 4, seconds))).await();
        System.out.println(results);
        return results;
    }

    private static long factorial(String name, int number, double seconds) {
        long f = 1;
        for (int i = 2; i <= number; i++) {
            System.out.println("Task " + name + ": Compute factorial(" + number + "), currently i=" + i + "...");
            Asyncio.sleep(seconds);
            f *= i;
        }
        System.out.println("Task " + name + ": factorial(" + number + ") = " + f);
        return f;
    }
}
