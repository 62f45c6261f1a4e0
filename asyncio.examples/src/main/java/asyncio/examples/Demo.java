package asyncio.examples;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.EventLoopPolicy;
import asyncio.api.Future;
import asyncio.api.Handle;
import asyncio.api.Task;
import asyncio.api.TaskGroup;
import asyncio.api.TaskGroupException;
import asyncio.api.TimeoutError;
import asyncio.api.TimerHandle;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.Connection;
import asyncio.api.transports.Protocol;
import asyncio.api.transports.Server;
import asyncio.api.transports.ServerOptions;
import asyncio.api.transports.Transport;
import asyncio.api.streams.StreamConnection;
import asyncio.api.streams.StreamReader;
import asyncio.api.streams.Streams;
import asyncio.api.subprocess.SubprocessOptions;
import asyncio.api.subprocess.Subprocesses;
import asyncio.api.transports.ConnectionOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import java.lang.reflect.InvocationTargetException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A tour in a few seconds: which loop and coroutine carrier run and why, then callbacks,
 * timers, futures and tasks, and an echo server under a burst of concurrent clients.
 */
public final class Demo {
    private static final int CLIENTS = 50;
    private static final int REQUESTS_PER_CLIENT = 200;
    private static final int REQUEST_SIZE = 64;

    private Demo() {
    }

    /** Runs the demo. */
    public static void main(String[] args) {
        System.out.println("asyncio for Java - demo");
        System.out.println();
        System.out.println(loopChoice());
        System.out.println("coroutines: " + Asyncio.coroutineCarrier());
        System.out.println();
        Asyncio.run(() -> {
            callbacks();
            timers();
            futures();
            tasks();
            echo();
            tls();
            subprocess();
            return null;
        });
    }

    /**
     * The policy's own account of its choice, with every provider it probed. The examples compile
     * against asyncio.api only (the policy and the loops are services bound at run time), so the
     * report of the default policy (asyncio.spi.DefaultEventLoopPolicy.selection().describe())
     * is reached by name.
     */
    private static String loopChoice() {
        EventLoopPolicy policy = Asyncio.getEventLoopPolicy();
        try {
            Object selection = policy.getClass().getMethod("selection").invoke(policy);
            return selection.getClass().getMethod("describe").invoke(selection).toString();
        } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException notTheDefault) {
            return "loop: chosen by " + policy.getClass().getName();
        }
    }

    private static void callbacks() throws InterruptedException {
        EventLoop loop = Asyncio.getRunningLoop();
        List<String> order = new ArrayList<>();
        Future<Void> done = loop.createFuture();
        loop.callSoon(() -> order.add("first"));
        Handle cancelled = loop.callSoon(() -> order.add("cancelled"));
        loop.callSoon(() -> order.add("second"));
        cancelled.cancel();
        Thread other = Thread.ofPlatform().start(() -> loop.callSoonThreadsafe(() -> {
            order.add("from another thread");
            done.setResult(null);
        }));
        done.await();
        other.join();
        line("callbacks", "callSoon runs in FIFO order, a cancelled handle never: " + order);
    }

    private static void timers() {
        EventLoop loop = Asyncio.getRunningLoop();
        List<String> fired = new ArrayList<>();
        Future<Void> last = loop.createFuture();
        double start = loop.time();
        // Scheduled out of order, against one start time: they fire in time order.
        loop.callAt(start + 0.03, () -> {
            fired.add("30 ms");
            last.setResult(null);
        });
        loop.callAt(start + 0.01, () -> fired.add("10 ms"));
        loop.callAt(start + 0.02, () -> fired.add("20 ms"));
        TimerHandle never = loop.callLater(0.015, () -> fired.add("cancelled"));
        never.cancel();
        last.await();
        line("timers", "callAt/callLater fired in time order " + fired + ", the last after "
                + millis(loop.time() - start) + "; a cancelled timer never");
    }

    private static void futures() {
        EventLoop loop = Asyncio.getRunningLoop();
        Future<String> future = loop.createFuture();
        List<String> callbacks = new ArrayList<>();
        future.addDoneCallback(done -> callbacks.add("done callback saw " + done.result()));
        loop.callLater(0.01, () -> future.setResult("'ready'"));
        String value = future.await();
        String thread = Asyncio.toThread(() -> Thread.currentThread().getName()).await();
        Asyncio.sleep(0); // let the done callback run
        line("futures", "await gave " + value + ", " + callbacks.get(0) + "; toThread ran on '" + thread + "'");
    }

    private static void tasks() {
        EventLoop loop = Asyncio.getRunningLoop();
        double start = loop.time();
        List<Object> results = Asyncio.gather(
                Asyncio.createTask(() -> Asyncio.sleep(0.05, "a")),
                Asyncio.createTask(() -> Asyncio.sleep(0.05, "b")),
                Asyncio.createTask(() -> Asyncio.sleep(0.05, "c"))).await();
        line("gather", "3 tasks sleeping 50 ms each gave " + results + " in " + millis(loop.time() - start));

        start = loop.time();
        try {
            Asyncio.timeout(0.05, scope -> {
                Asyncio.sleep(10);
                return null;
            });
        } catch (TimeoutError expected) {
            line("timeout", "sleep(10) inside Asyncio.timeout(0.05) raised TimeoutError after "
                    + millis(loop.time() - start));
        }

        List<Task<?>> children = new ArrayList<>();
        try {
            TaskGroup.run(group -> {
                children.add(group.createTask(() -> Asyncio.sleep(0.01, "fine")));
                children.add(group.createTask(() -> {
                    Asyncio.sleep(0.02);
                    throw new IllegalStateException("boom");
                }));
                children.add(group.createTask(() -> Asyncio.sleep(10, "too slow")));
                return null;
            });
        } catch (TaskGroupException failed) {
            line("TaskGroup", "a child failed with " + failed.exceptions() + "; the others: "
                    + state(children.get(0)) + ", " + state(children.get(2)));
        }
    }

    private static void echo() throws IOException {
        EventLoop loop = Asyncio.getRunningLoop();
        Server server = loop.createServer(EchoProtocol::new, "127.0.0.1", 0,
                new ServerOptions().backlog(CLIENTS)).await();
        int port = ((InetSocketAddress) server.sockets().get(0).localAddress()).getPort();

        double start = loop.time();
        List<Future<Connection<EchoClient>>> connections = new ArrayList<>();
        List<Future<Integer>> answered = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            Future<Integer> done = loop.createFuture();
            answered.add(done);
            connections.add(loop.createConnection(() -> new EchoClient(done), "127.0.0.1", port));
        }
        Asyncio.gatherAll(connections).await();
        double connected = loop.time();
        int requests = Asyncio.gatherAll(answered).await().stream().mapToInt(Integer::intValue).sum();
        double elapsed = loop.time() - start;
        server.close();
        server.waitClosed().await();

        line("echo", CLIENTS + " TCP clients connected to 127.0.0.1:" + port + " in " + millis(connected - start)
                + ", each sent " + REQUESTS_PER_CLIENT + " requests of " + REQUEST_SIZE + " bytes and awaited the echo");
        line("summary", String.format(Locale.ROOT, "%,d requests in %.3f s = %,.0f requests/s", requests, elapsed,
                requests / elapsed));
    }

    /** A TLS round trip through streams, with a throw-away certificate made by the JDK's keytool. */
    private static void tls() throws Exception {
        SSLContext[] contexts = DemoCertificates.serverAndClient();
        Server server = Streams.startServer((reader, writer) -> {
            writer.write(reader.readline());
            writer.drain();
            writer.close();
        }, "127.0.0.1", 0, StreamReader.DEFAULT_LIMIT, new ServerOptions().ssl(contexts[0])).await();
        int port = ((InetSocketAddress) server.sockets().get(0).localAddress()).getPort();
        StreamConnection client = Streams.openConnection("localhost", port, StreamReader.DEFAULT_LIMIT,
                new ConnectionOptions().ssl(contexts[1])).await();
        client.writer().write("hello over TLS\n");
        String answer = new String(client.reader().readline(), StandardCharsets.UTF_8).trim();
        Object session = client.writer().getExtraInfo("ssl_session");
        String protocol = session instanceof javax.net.ssl.SSLSession tlsSession ? tlsSession.getProtocol() : "?";
        client.writer().close();
        server.close();
        server.waitClosed().await();
        line("TLS", "echoed '" + answer + "' over " + protocol + " with "
                + (client.writer().getExtraInfo("cipher") instanceof asyncio.api.transports.Cipher cipher ? cipher.name() : "?")
                + ", certificate checked for localhost");
    }

    /** A child process through pipes: its output read as a stream, its exit status awaited. */
    private static void subprocess() {
        asyncio.api.subprocess.Process child = Subprocesses.createSubprocessShell(
                "echo hello from pid $$; exit 7", SubprocessOptions.pipes()).await();
        String output = new String(child.communicate(null).stdout(), StandardCharsets.UTF_8).trim();
        line("subprocess", "'" + output + "', exit status " + child.returncode());
    }

    private static String state(Future<?> task) {
        return task.cancelled() ? "cancelled" : "finished with " + task.result();
    }

    private static String millis(double seconds) {
        return String.format(Locale.ROOT, "%.0f ms", seconds * 1000);
    }

    private static void line(String topic, String text) {
        System.out.printf(Locale.ROOT, "%-11s %s%n", topic, text);
    }

    /** Sends every byte back. */
    private static final class EchoProtocol implements Protocol {
        private Transport transport;

        @Override
        public void connectionMade(BaseTransport transport) {
            this.transport = (Transport) transport;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            transport.write(data);
        }
    }

    /** Sends a request, waits for all of its echo, and repeats; then closes. */
    private static final class EchoClient implements Protocol {
        private final ByteBuffer request = ByteBuffer.allocate(REQUEST_SIZE);
        private final Future<Integer> done;
        private Transport transport;
        private int answered;
        private int pendingBytes;

        EchoClient(Future<Integer> done) {
            this.done = done;
        }

        @Override
        public void connectionMade(BaseTransport transport) {
            this.transport = (Transport) transport;
            send();
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            pendingBytes -= data.remaining();
            if (pendingBytes > 0) {
                return;
            }
            answered++;
            if (answered < REQUESTS_PER_CLIENT) {
                send();
            } else {
                transport.close();
            }
        }

        @Override
        public void connectionLost(Throwable error) {
            if (error != null) {
                done.setException(error);
            } else if (answered < REQUESTS_PER_CLIENT) {
                done.setException(new IOException("connection closed after " + answered + " answers"));
            } else {
                done.setResult(answered);
            }
        }

        private void send() {
            pendingBytes = REQUEST_SIZE;
            // write() consumes the buffer it is given: hand it a fresh view each time.
            transport.write(request.duplicate());
        }
    }
}
