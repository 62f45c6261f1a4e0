package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.Task;
import asyncio.api.TaskGroup;
import asyncio.api.streams.StreamConnection;
import asyncio.api.streams.Streams;
import asyncio.api.transports.Server;
import asyncio.spi.EventLoopMonitor;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The loop's MXBean ({@code asyncio:type=EventLoop,name=...}), read as JConsole reads it: through
 * the platform MBean server, as open types, from a thread other than the loop's.
 */
@ExtendWith(NoDescriptorLeaks.class)
class EventLoopMXBeanTest {
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    @LoopTest
    void aLoopIsNotPublishedUnlessAsked(LoopKind kind) throws Exception {
        EventLoop loop = kind.newLoop();
        try {
            String id = Integer.toHexString(System.identityHashCode(loop));
            assertTrue(SERVER.queryNames(new ObjectName("asyncio:type=EventLoop,*"), null).stream()
                    .noneMatch(name -> name.getKeyProperty("name").endsWith("-" + id)));
        } finally {
            loop.close();
        }
    }

    @LoopTest
    void aRegisteredLoopShowsItsTasksTheirFramesAndWhoAwaitsThem(LoopKind kind) throws Exception {
        ObjectName[] registered = new ObjectName[1];
        kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            ObjectName name = EventLoopMonitor.register(loop);
            registered[0] = name;
            assertEquals(name, EventLoopMonitor.register(loop), "registering twice keeps one MXBean");
            Future<Void> gate = loop.createFuture();
            Task<Object> parent = Asyncio.createTask(() -> TaskGroup.run(group -> {
                group.createTask(() -> parkedIn(gate), "child");
                return null;
            }), "parent");
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            Object[] read = Asyncio.toThread(() -> new Object[] {
                    SERVER.getAttribute(name, "Tasks"), SERVER.getAttribute(name, "LoopClass"),
                    SERVER.getAttribute(name, "ThreadName"), SERVER.getAttribute(name, "LoopLagMillis"),
                    SERVER.getAttribute(name, "ReadyQueueLength"), SERVER.getAttribute(name, "TimerCount")}).await();
            List<CompositeData> tasks = Arrays.asList((CompositeData[]) read[0]);
            CompositeData child = byName(tasks, "child");
            CompositeData parentRow = byName(tasks, "parent");
            assertEquals(List.of(parentRow.get("id")), Arrays.asList((String[]) child.get("awaitedBy")),
                    "the TaskGroup's task awaits its child");
            assertTrue(((String[]) child.get("stack"))[0].startsWith(EventLoopMXBeanTest.class.getName() + ".parkedIn "),
                    Arrays.toString((String[]) child.get("stack")));
            assertEquals("pending", child.get("state"));
            assertEquals(loop.getClass().getName(), read[1]);
            Future<String> loopThread = loop.createFuture();
            loop.callSoon(() -> loopThread.setResult(Thread.currentThread().getName()));
            assertEquals(loopThread.await(), read[2], "the loop's thread, not a task's (a virtual thread on that carrier)");
            assertTrue((Double) read[3] >= 0, "the loop answered: lag " + read[3]);
            assertTrue((Integer) read[4] >= 0 && (Integer) read[5] >= 0);
            gate.setResult(null);
            parent.await();
            return null;
        });
        assertFalse(SERVER.isRegistered(registered[0]), "closing the loop unregisters its MXBean");
    }

    @LoopTest
    void aRegisteredLoopShowsItsOpenTransportsWithTheirBytes(LoopKind kind) throws Exception {
        kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            ObjectName name = EventLoopMonitor.register(loop);
            Server server = Streams.startServer((reader, writer) -> {
                writer.write(reader.readexactly(10));
                writer.drain();
                reader.read(-1);
                writer.close();
            }, "127.0.0.1", 0).await();
            try {
                String serverAddress = String.valueOf(server.sockets().get(0).localAddress());
                StreamConnection connection = Streams.openConnection("127.0.0.1", StreamsTest.port(server)).await();
                connection.writer().write(new byte[10]);
                assertEquals(10, connection.reader().readexactly(10).length);
                List<CompositeData> open = transports(name);
                CompositeData client = open.stream().filter(row -> serverAddress.equals(row.get("peername"))).findFirst()
                        .orElseThrow(() -> new AssertionError("no client transport in " + open));
                assertEquals("stream", client.get("kind"));
                assertEquals(10L, client.get("bytesSent"));
                assertEquals(10L, client.get("bytesReceived"));
                assertEquals(false, client.get("closing"));
                assertTrue(((String) client.get("protocol")).startsWith("asyncio."), (String) client.get("protocol"));
                String clientAddress = String.valueOf(connection.writer().getExtraInfo("sockname"));
                assertTrue(open.stream().anyMatch(row -> clientAddress.equals(row.get("peername"))),
                        "the server's side of the connection: " + open);
                connection.writer().close();
                connection.writer().waitClosed().await();
                Asyncio.sleep(0.2); // the monitor reuses a reading for 200 ms: this one must be new
                assertTrue(transports(name).stream().noneMatch(row -> client.get("id").equals(row.get("id"))),
                        "a closed transport is no longer listed");
            } finally {
                server.close();
                server.waitClosed().await();
            }
            return null;
        });
    }

    private static List<CompositeData> transports(ObjectName name) {
        return Arrays.asList((CompositeData[]) Asyncio.toThread(() -> SERVER.getAttribute(name, "Transports")).await());
    }

    private static CompositeData byName(List<CompositeData> tasks, String name) {
        return tasks.stream().filter(task -> name.equals(task.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no task " + name + " in " + tasks));
    }

    private static Void parkedIn(Future<Void> gate) {
        return gate.await();
    }
}
