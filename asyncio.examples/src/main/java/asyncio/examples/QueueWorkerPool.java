package asyncio.examples;

import asyncio.api.Asyncio;
import asyncio.api.Task;
import asyncio.api.queues.Queue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The asyncio docs' queue example: twenty random sleeps are queued, three worker tasks take
 * them in turn, {@link Queue#join} waits until every item was marked done with
 * {@link Queue#taskDone}, and then the workers, which loop forever, are cancelled.
 */
public final class QueueWorkerPool {
    /** Number of work items. */
    static final int ITEMS = 20;
    /** Number of worker tasks. */
    static final int WORKERS = 3;

    private QueueWorkerPool() {
    }

    /** Runs the example. */
    public static void main(String[] args) {
        Asyncio.run(() -> runPool(new Random(), 1.0));
    }

    /** The result of a run: the wall time the pool took and the sum of the sleeps it served, in seconds. */
    public record Times(double parallel, double total) {
    }

    /**
     * The main coroutine: sleeps between 0.05 and 1 second each, times {@code scale}, drawn from
     * {@code random}.
     */
    public static Times runPool(Random random, double scale) {
        Queue<Double> queue = new Queue<>();
        double totalSleepTime = 0;
        for (int i = 0; i < ITEMS; i++) {
            double sleepFor = (0.05 + random.nextDouble() * 0.95) * scale;
            totalSleepTime += sleepFor;
            queue.putNowait(sleepFor);
        }
        List<Task<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            String name = "worker-" + i;
            tasks.add(Asyncio.createTask(() -> worker(name, queue)));
        }
        double startedAt = Asyncio.getRunningLoop().time();
        // join() returns once taskDone() was called for every item put.
        queue.join();
        double totalSleptFor = Asyncio.getRunningLoop().time() - startedAt;
        // The workers wait on an empty queue forever: cancel them, and wait until they have ended.
        for (Task<Void> task : tasks) {
            task.cancel();
        }
        Asyncio.gather(true, tasks.toArray(Task<?>[]::new)).await();
        System.out.println("====");
        System.out.println(String.format(Locale.ROOT, "%d workers slept in parallel for %.2f seconds", WORKERS, totalSleptFor));
        System.out.println(String.format(Locale.ROOT, "total expected sleep time: %.2f seconds", totalSleepTime));
        return new Times(totalSleptFor, totalSleepTime);
    }

    private static Void worker(String name, Queue<Double> queue) {
        while (true) {
            double sleepFor = queue.get();
            Asyncio.sleep(sleepFor);
            // One item processed: join() counts these.
            queue.taskDone();
            System.out.println(String.format(Locale.ROOT, "%s has slept for %.2f seconds", name, sleepFor));
        }
    }
}
