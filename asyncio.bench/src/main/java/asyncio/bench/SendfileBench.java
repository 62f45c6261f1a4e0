package asyncio.bench;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.BufferedProtocol;
import asyncio.api.transports.Connection;
import asyncio.api.transports.Protocol;
import asyncio.api.transports.Server;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Times {@code loop.sendfile} of one file over loopback TCP on one loop: a client transport sends
 * it, a {@link BufferedProtocol} server on the same loop receives and drops it. Prints, per run,
 * the wall time from the call until the last byte arrived and the CPU time of the whole JVM
 * (sender and receiver together) meanwhile. Not a test, not JMH: a transfer of 100 MiB is long
 * enough to time with the clock.
 *
 * <pre>java ... -cp benchmarks.jar asyncio.bench.SendfileBench [MiB [runs]]</pre>
 *
 * On the epoll loop, {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED} gives sendfile(2) from the
 * file's descriptor; without it (with {@code --add-exports} only) the JDK copies the file through
 * user space, the loop's path before zero-copy sendfile.
 */
public final class SendfileBench {
    private SendfileBench() {
    }

    /** Receives into one direct buffer and drops the bytes; completes {@link #done} after {@code expected} bytes. */
    static final class Sink implements BufferedProtocol {
        Future<Void> done;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
        private long expected;
        private long received;

        /** Starts counting afresh: {@link #done} completes once {@code bytes} more arrived. */
        void expect(long bytes) {
            expected = bytes;
            received = 0;
            done = Asyncio.getRunningLoop().createFuture();
        }

        @Override
        public void connectionMade(BaseTransport transport) {
        }

        @Override
        public ByteBuffer getBuffer(int sizeHint) {
            return buffer.clear();
        }

        @Override
        public void bufferUpdated(int bytes) {
            received += bytes;
            if (received == expected && done != null && !done.done()) {
                done.setResult(null);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path path = Files.createTempFile("sendfile-bench", ".bin");
        try {
            byte[] block = new byte[1024 * 1024];
            new java.util.Random(1).nextBytes(block);
            try (FileChannel out = FileChannel.open(path, java.nio.file.StandardOpenOption.WRITE)) {
                for (int i = 0; i < mib; i++) {
                    out.write(ByteBuffer.wrap(block));
                }
            }
            Asyncio.run(() -> {
                run(path, (long) mib << 20, runs);
                return null;
            });
        } finally {
            Files.deleteIfExists(path);
        }
    }

    private static void run(Path path, long size, int runs) throws Exception {
        EventLoop loop = Asyncio.getRunningLoop();
        Future<Sink> accepted = loop.createFuture();
        Server server = loop.createServer(() -> {
            Sink sink = new Sink();
            accepted.setResult(sink);
            return sink;
        }, "127.0.0.1", 0).await();
        int port = ((InetSocketAddress) server.sockets().get(0).localAddress()).getPort();
        Connection<Protocol> client = loop.<Protocol>createConnection(() -> new Protocol() { }, "127.0.0.1", port).await();
        Sink sink = accepted.await();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.printf("sendfile of %d MiB over loopback, loop %s, %d runs (the first warms up)%n",
                size >> 20, loop.getClass().getSimpleName(), runs + 1);
        try (FileChannel file = FileChannel.open(path)) {
            for (int run = 0; run <= runs; run++) {
                sink.expect(size);
                Future<Void> arrived = sink.done;
                long cpu0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                long sent = loop.sendfile(client.transport(), file, 0, null, false).await();
                arrived.await();
                long wall = System.nanoTime() - t0;
                long cpu = os.getProcessCpuTime() - cpu0;
                if (sent != size) {
                    throw new IllegalStateException("sent " + sent + " of " + size);
                }
                System.out.printf(Locale.ROOT, "RESULT run=%d bytes=%d wall_ms=%.1f cpu_ms=%.1f mib_per_s=%.0f%s%n", run, sent,
                        wall / 1e6, cpu / 1e6, (size / 1048576.0) / (wall / 1e9), run == 0 ? " warmup" : "");
            }
        } finally {
            client.transport().close();
            server.close();
            server.waitClosed().await();
        }
    }
}
