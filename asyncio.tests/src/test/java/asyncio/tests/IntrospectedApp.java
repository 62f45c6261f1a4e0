package asyncio.tests;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.TaskGroup;

/**
 * A program with nested tasks for {@code asyncio-ps}/{@code asyncio-pstree} to look at from outside
 * (run with {@code -Dasyncio.jmx=true}): the main task holds a TaskGroup with a task "branch"
 * (holding its own group of "leaf-1" and "leaf-2") and a task "sibling". It prints "ready" once
 * all are suspended and ends when its standard input closes.
 */
public final class IntrospectedApp {
    private IntrospectedApp() {
    }

    public static void main(String[] args) {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<Void> stop = loop.createFuture();
            TaskGroup.run(group -> {
                group.createTask(() -> TaskGroup.run(inner -> {
                    inner.createTask(() -> waitForStop(stop), "leaf-1");
                    inner.createTask(() -> waitForStop(stop), "leaf-2");
                    return null;
                }), "branch");
                group.createTask(() -> waitForStop(stop), "sibling");
                Asyncio.sleep(0);
                Asyncio.sleep(0);
                System.out.println("ready");
                System.out.flush();
                Asyncio.toThread(() -> System.in.read()).await();
                stop.setResult(null);
                return null;
            });
            return null;
        });
    }

    private static Void waitForStop(Future<Void> stop) {
        return stop.await();
    }
}
