package asyncio.examples;

import asyncio.api.Asyncio;
import asyncio.api.Future;
import asyncio.api.Task;
import asyncio.api.TaskGroup;
import asyncio.api.Timeout;
import asyncio.api.TimeoutError;
import asyncio.api.WaitResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Python asyncio lines ported one for one, as a newcomer writes them: timeouts as plain numbers or
 * {@link Duration}s, {@code wait} over tasks of different result types, {@code gather} of
 * coroutines, and {@code timeout}/{@code TaskGroup} blocks without a value. Each Java line says
 * the Python line it stands for.
 */
public final class PortedLines {
    private PortedLines() {
    }

    /** Runs the example. */
    public static void main(String[] args) {
        Asyncio.run(PortedLines::portedLines);
    }

    /** The main coroutine; prints one line per step. */
    public static Void portedLines() {
        Future<String> fut = Asyncio.createTask(() -> fetch("fut"));
        String r = Asyncio.waitFor(fut, 1);                      // r = await asyncio.wait_for(fut, 1)
        Asyncio.waitFor(fut, Duration.ofMillis(250));            // await asyncio.wait_for(fut, 0.25)
        System.out.println("waitFor: " + r);

        Task<byte[]> taskA = Asyncio.createTask(() -> fetch("a").getBytes(StandardCharsets.UTF_8));
        Task<Void> taskB = Asyncio.createTask(() -> {
            Asyncio.sleep(0);
            return null;
        });
        WaitResult<?> w = Asyncio.wait(List.of(taskA, taskB), 1);     // done, pending = await asyncio.wait([a, b], timeout=1)
        System.out.println("wait: " + w.done().size() + " done, " + w.pending().size() + " pending");

        String a = "x";
        String b = "y";
        List<Object> both = Asyncio.gather(() -> fetch(a), () -> fetch(b)).await();   // await asyncio.gather(fetch(a), fetch(b))
        System.out.println("gather: " + both);

        Asyncio.timeout(10, t -> { step1(); step2(); });          // async with asyncio.timeout(10): ...
        TaskGroup.run(tg -> { tg.createTask(() -> work(1)); tg.createTask(() -> work(2)); });  // async with TaskGroup() as tg: ...

        Timeout cm = Asyncio.timeout(0.01);                      // async with asyncio.timeout(0.01) as cm:
        try {
            cm.run(t -> { Asyncio.sleep(10); });                 //     await asyncio.sleep(10)
        } catch (TimeoutError expected) {                         // except TimeoutError:
            System.out.println("timed out");
        }
        System.out.println("expired: " + cm.expired());          // print(cm.expired())
        return null;
    }

    private static String fetch(String what) {
        Asyncio.sleep(0);
        return "fetched " + what;
    }

    private static void step1() {
        Asyncio.sleep(0);
        System.out.println("step1");
    }

    private static void step2() {
        System.out.println("step2");
    }

    private static Integer work(int n) {
        Asyncio.sleep(0);
        System.out.println("work " + n);
        return n;
    }
}
