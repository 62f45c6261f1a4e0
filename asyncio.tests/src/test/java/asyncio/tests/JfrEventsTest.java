package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.Task;
import asyncio.api.streams.StreamConnection;
import asyncio.api.streams.StreamReader;
import asyncio.api.streams.Streams;
import asyncio.api.transports.ConnectionOptions;
import asyncio.api.transports.Server;
import asyncio.api.transports.ServerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop's JFR events, read back from a recording file as JDK Mission Control reads them (or
 * from a live stream for the periodic lag sample). Other test classes may run loops at the same
 * time, so each test picks its own events by task name, address or loop.
 */
@ExtendWith({JdkNioWarmUp.class, NoDescriptorLeaks.class})
class JfrEventsTest {
    private static final String HOST = "127.0.0.1";

    @TempDir
    static Path directory;
    private static TlsCerts certs;

    /** The test certificates, made once (openssl takes seconds); skips the test without openssl. */
    private static synchronized TlsCerts certs() {
        if (certs == null) {
            certs = TlsCerts.make(directory);
        }
        return certs;
    }

    @LoopTest
    void aSlowTaskStepIsRecordedWithTheTasksNameWithoutDebugMode(LoopKind kind) throws Exception {
        Path file = Files.createTempFile("asyncio-jfr", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("asyncio.SlowCallback").withThreshold(Duration.ofMillis(20));
            recording.start();
            kind.run(() -> Asyncio.createTask(() -> {
                busy(Duration.ofMillis(60));
                return null;
            }, "slowpoke").await());
            recording.stop();
            recording.dump(file);
            List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                    .filter(event -> event.getEventType().getName().equals("asyncio.SlowCallback"))
                    // A cold JVM's first steps can be slow too: only the busy task's step is the point.
                    .filter(event -> event.getString("callback").replaceAll(" wait_for=.*", "").contains("name='slowpoke'"))
                    .toList();
            assertEquals(1, events.size(), "the busy step, once: " + events);
            RecordedEvent event = events.get(0);
            assertTrue(event.getString("callback").contains("name='slowpoke'"), event.getString("callback"));
            assertTrue(event.getDuration().toMillis() >= 60, event.getDuration().toString());
            assertTrue(event.getString("loop").matches("\\w+-[0-9a-f]+"), event.getString("loop"));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @LoopTest
    void tasksAreRecordedWhenCreatedAskedToCancelAndDone(LoopKind kind) throws Exception {
        List<RecordedEvent> events = recorded(List.of("asyncio.TaskCreated", "asyncio.TaskCancelled", "asyncio.TaskDone"),
                () -> kind.run(() -> {
                    Task<String> fine = Asyncio.createTask(() -> "result", "jfr-fine");
                    Task<Void> broken = Asyncio.createTask(() -> {
                        throw new IllegalArgumentException("broken on purpose");
                    }, "jfr-broken");
                    Future<Void> never = Asyncio.getRunningLoop().createFuture();
                    Task<Void> victim = Asyncio.createTask(() -> never.await(), "jfr-victim");
                    Asyncio.sleep(0);
                    victim.cancel("enough");
                    Asyncio.gather(true, fine, broken, victim).await();
                    return null;
                }));
        List<RecordedEvent> mine = events.stream().filter(event -> event.getString("name").startsWith("jfr-")).toList();
        for (String name : List.of("jfr-fine", "jfr-broken", "jfr-victim")) {
            RecordedEvent created = only(mine, "asyncio.TaskCreated", name);
            RecordedEvent done = only(mine, "asyncio.TaskDone", name);
            assertEquals(created.getString("task"), done.getString("task"), "one id for one task");
            assertTrue(created.getString("task").matches("0x[0-9a-f]+"), created.getString("task"));
            assertTrue(created.getString("loop").matches("\\w+-[0-9a-f]+"), created.getString("loop"));
            assertTrue(createdIn(created, "tasksAreRecordedWhenCreatedAskedToCancelAndDone"),
                    "the creating stack is recorded: " + created.getStackTrace());
        }
        assertEquals("finished", only(mine, "asyncio.TaskDone", "jfr-fine").getString("state"));
        RecordedEvent failed = only(mine, "asyncio.TaskDone", "jfr-broken");
        assertEquals("failed", failed.getString("state"));
        assertEquals(IllegalArgumentException.class.getName(), failed.getString("exception"));
        assertEquals("cancelled", only(mine, "asyncio.TaskDone", "jfr-victim").getString("state"));
        RecordedEvent cancel = only(mine, "asyncio.TaskCancelled", "jfr-victim");
        assertEquals("enough", cancel.getString("message"));
        assertEquals(1, cancel.getInt("cancelling"));
        assertTrue(createdIn(cancel, "lambda$tasksAreRecordedWhenCreatedAskedToCancelAndDone"),
                "the stack of whoever cancelled: " + cancel.getStackTrace());
        assertEquals(0, mine.stream().filter(event -> event.getEventType().getName().equals("asyncio.TaskCancelled")
                && !event.getString("name").equals("jfr-victim")).count(), "only the victim was asked to cancel");
    }

    @LoopTest
    void noTaskEventIsRecordedUnlessARecordingAsksForIt(LoopKind kind) throws Exception {
        // A recording that wants only slow callbacks: the task events are off by default.
        List<RecordedEvent> events = recorded(List.of("asyncio.SlowCallback"),
                () -> kind.run(() -> Asyncio.createTask(() -> null, "jfr-unrecorded").await()));
        assertTrue(events.stream().noneMatch(event -> event.getEventType().getName().startsWith("asyncio.Task")), 
                events.toString());
        // And once that recording stopped, a new recording that wants them sees them again.
        List<RecordedEvent> again = recorded(List.of("asyncio.TaskCreated"),
                () -> kind.run(() -> Asyncio.createTask(() -> null, "jfr-recorded").await()));
        only(again, "asyncio.TaskCreated", "jfr-recorded");
    }

    @LoopTest
    void aTransportIsRecordedOpenedAndClosedWithTheBytesItMoved(LoopKind kind) throws Exception {
        String[] serverAddress = new String[1];
        List<RecordedEvent> events = recorded(List.of("asyncio.TransportOpened", "asyncio.TransportClosed"),
                () -> kind.run(() -> {
                    Server server = Streams.startServer((reader, writer) -> {
                        writer.write(reader.readexactly(1000));
                        writer.drain();
                        writer.close();
                        writer.waitClosed().await();
                    }, HOST, 0).await();
                    try {
                        serverAddress[0] = String.valueOf(server.sockets().get(0).localAddress());
                        StreamConnection connection = Streams.openConnection(HOST, StreamsTest.port(server)).await();
                        connection.writer().write(new byte[1000]);
                        assertEquals(1000, connection.reader().readexactly(1000).length);
                        assertEquals(0, connection.reader().read(-1).length, "the server closed");
                        connection.writer().close();
                        connection.writer().waitClosed().await();
                    } finally {
                        server.close();
                        server.waitClosed().await();
                    }
                    return null;
                }));
        List<RecordedEvent> client = events.stream()
                .filter(event -> serverAddress[0].equals(event.getString("peername"))).toList();
        assertEquals(List.of("asyncio.TransportOpened", "asyncio.TransportClosed"),
                client.stream().map(event -> event.getEventType().getName()).toList(), "the client's transport: " + events);
        RecordedEvent opened = client.get(0);
        RecordedEvent closed = client.get(1);
        assertEquals("stream", opened.getString("kind"));
        assertEquals(opened.getString("transport"), closed.getString("transport"));
        assertEquals(1000, closed.getLong("bytesSent"));
        assertEquals(1000, closed.getLong("bytesReceived"));
        // The server's side of the same connection: its peer is the client's local address.
        String clientAddress = opened.getString("sockname");
        RecordedEvent serverSide = events.stream().filter(event -> event.getEventType().getName().equals("asyncio.TransportClosed")
                && clientAddress.equals(event.getString("peername"))).findFirst().orElseThrow(() -> new AssertionError(events.toString()));
        assertEquals(1000, serverSide.getLong("bytesReceived"));
        assertEquals(1000, serverSide.getLong("bytesSent"));
    }

    @LoopTest
    void aTlsHandshakeIsRecordedWithItsDurationProtocolAndCipher(LoopKind kind) throws Exception {
        SSLContext serverContext = certs().serverContext();
        SSLContext clientContext = certs().clientContext();
        String[] loopName = new String[1];
        List<RecordedEvent> events = recorded(List.of("asyncio.TlsHandshake"), () -> kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            loopName[0] = loop.getClass().getSimpleName() + "-" + Integer.toHexString(System.identityHashCode(loop));
            Server server = Streams.startServer((reader, writer) -> {
                writer.write(reader.readexactly(5));
                writer.close();
                writer.waitClosed().await();
            }, HOST, 0, StreamReader.DEFAULT_LIMIT, new ServerOptions().ssl(serverContext)).await();
            try {
                StreamConnection connection = Streams.openConnection(HOST, StreamsTest.port(server),
                        StreamReader.DEFAULT_LIMIT, new ConnectionOptions().ssl(clientContext).serverHostname("localhost"))
                        .await();
                connection.writer().write("hello");
                assertEquals(5, connection.reader().readexactly(5).length);
                connection.writer().close();
                connection.writer().waitClosed().await();
            } finally {
                server.close();
                server.waitClosed().await();
            }
            return null;
        }));
        List<RecordedEvent> mine = events.stream().filter(event -> loopName[0].equals(event.getString("loop"))).toList();
        assertEquals(List.of("client", "server"), mine.stream().map(event -> event.getString("side")).sorted().toList(),
                mine.toString());
        for (RecordedEvent event : mine) {
            assertTrue(event.getString("protocol").startsWith("TLSv1."), event.getString("protocol"));
            assertTrue(event.getString("cipher").startsWith("TLS_"), event.getString("cipher"));
            assertEquals("", event.getString("failure"));
            assertFalse(event.getDuration().isNegative() || event.getDuration().isZero(), event.getDuration().toString());
        }
        RecordedEvent clientSide = mine.stream().filter(event -> event.getString("side").equals("client")).findFirst().get();
        assertEquals("localhost", clientSide.getString("peerHost"));
    }

    @LoopTest
    void aFailedTlsHandshakeIsRecordedWithWhyItFailed(LoopKind kind) throws Exception {
        SSLContext serverContext = certs().strangerContext();
        SSLContext clientContext = certs().clientContext();
        String[] loopName = new String[1];
        List<RecordedEvent> events = recorded(List.of("asyncio.TlsHandshake"), () -> kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            loopName[0] = loop.getClass().getSimpleName() + "-" + Integer.toHexString(System.identityHashCode(loop));
            loop.setExceptionHandler((ignored, context) -> { });
            Server server = Streams.startServer((reader, writer) -> writer.close(), HOST, 0, StreamReader.DEFAULT_LIMIT,
                    new ServerOptions().ssl(serverContext)).await();
            try {
                Streams.openConnection(HOST, StreamsTest.port(server), StreamReader.DEFAULT_LIMIT,
                        new ConnectionOptions().ssl(clientContext).serverHostname("localhost")).await();
                throw new AssertionError("an untrusted certificate was accepted");
            } catch (IOException | RuntimeException refused) {
                // Expected: the client does not trust the stranger's certificate.
            } finally {
                server.close();
                server.waitClosed().await();
            }
            return null;
        }));
        RecordedEvent client = events.stream().filter(event -> loopName[0].equals(event.getString("loop"))
                && event.getString("side").equals("client")).findFirst().orElseThrow(() -> new AssertionError(events.toString()));
        assertEquals("", client.getString("protocol"));
        assertFalse(client.getString("failure").isEmpty(), "why it failed");
    }

    @LoopTest
    void theLoopsLagIsSampledWhileARecordingWantsIt(LoopKind kind) throws Exception {
        CompletableFuture<RecordedEvent> longSample = new CompletableFuture<>();
        String[] loopName = new String[1];
        try (RecordingStream stream = new RecordingStream()) {
            stream.enable("asyncio.LoopLag").withPeriod(Duration.ofMillis(20));
            stream.onEvent("asyncio.LoopLag", event -> {
                if (event.getString("loop").equals(loopName[0]) && event.getDuration().toMillis() >= 50) {
                    longSample.complete(event);
                }
            });
            stream.startAsync();
            kind.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                loopName[0] = loop.getClass().getSimpleName() + "-" + Integer.toHexString(System.identityHashCode(loop));
                // Each busy step holds the loop for 150 ms: a probe sent meanwhile waits that long.
                for (int round = 0; round < 20 && !longSample.isDone(); round++) {
                    busy(Duration.ofMillis(150));
                    Asyncio.sleep(0.01);
                }
                return Asyncio.waitFor(Asyncio.wrapFuture(longSample), 10.0);
            });
        }
        RecordedEvent sample = longSample.getNow(null);
        assertTrue(sample.getDuration().toMillis() >= 50, sample.toString());
        assertTrue(sample.getInt("readyQueueLength") >= 0, sample.toString());
    }

    /** Runs {@code action} while a recording wants the named events, then reads those events back from its file. */
    private static List<RecordedEvent> recorded(List<String> eventNames, ThrowingAction action) throws Exception {
        Path file = Files.createTempFile(directory, "asyncio-jfr", ".jfr");
        try (Recording recording = new Recording()) {
            for (String name : eventNames) {
                recording.enable(name).withStackTrace();
            }
            recording.start();
            action.run();
            recording.stop();
            recording.dump(file);
            List<RecordedEvent> events = new ArrayList<>();
            for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
                if (eventNames.contains(event.getEventType().getName())) {
                    events.add(event);
                }
            }
            events.sort((a, b) -> a.getStartTime().compareTo(b.getStartTime()));
            return events;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private interface ThrowingAction {
        void run() throws Exception;
    }

    private static RecordedEvent only(List<RecordedEvent> events, String type, String taskName) {
        Predicate<RecordedEvent> wanted = event -> event.getEventType().getName().equals(type)
                && taskName.equals(event.getString("name"));
        List<RecordedEvent> found = events.stream().filter(wanted).toList();
        assertEquals(1, found.size(), type + " for " + taskName + ": " + events);
        return found.get(0);
    }

    private static boolean createdIn(RecordedEvent event, String methodPrefix) {
        return event.getStackTrace() != null && event.getStackTrace().getFrames().stream()
                .map(RecordedFrame::getMethod).anyMatch(method -> method.getName().startsWith(methodPrefix)
                        || method.getName().contains(methodPrefix));
    }

    /** Holds the loop thread as a blocking call would; the recorded duration is the point. */
    private static void busy(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
