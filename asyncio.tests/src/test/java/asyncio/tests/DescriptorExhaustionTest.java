package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.transports.Connection;
import asyncio.api.transports.Server;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fault injection: the process runs out of descriptors (EMFILE) while a client waits to be
 * accepted. As asyncio's selector loop does, the server reports {@code socket.accept() out of
 * system resource} to the exception handler, stops accepting for {@code ACCEPT_RETRY_DELAY} (one
 * second) instead of spinning, keeps serving the connections it has, and accepts the waiting
 * client once descriptors are free again.
 *
 * <p>The test lowers the soft {@code RLIMIT_NOFILE} of its own JVM a little above the descriptors
 * open (setrlimit, through jnr-posix), fills the rest with {@code /dev/null}, and gives
 * everything back before it ends.
 */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class, BackToStart.class})
class DescriptorExhaustionTest {
    private static final String OUT_OF_RESOURCES = "socket.accept() out of system resource";
    private static final double ACCEPT_RETRY_DELAY = 1.0;
    private static final int HEADROOM = 16;

    /** The soft RLIMIT_NOFILE of this JVM, lowered for a while and then given back. */
    private record LoweredLimit(long soft, long hard) {
        static LoweredLimit toHighestOpenPlus(int headroom) throws IOException {
            long[] limits = Posix.getrlimit(Posix.RLIMIT_NOFILE);
            long lowered = highestOpenDescriptor() + 1 + headroom;
            Posix.setrlimit(Posix.RLIMIT_NOFILE, lowered, limits[1]);
            return new LoweredLimit(limits[0], limits[1]);
        }

        /** A system call: needs no descriptor (the fillers are closed before it anyway). */
        void restore() {
            Posix.setrlimit(Posix.RLIMIT_NOFILE, soft, hard);
        }

        private static long highestOpenDescriptor() throws IOException {
            try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
                return fds.mapToLong(fd -> Long.parseLong(fd.getFileName().toString())).max().orElse(0);
            }
        }
    }

    /** Opens /dev/null until the process has no descriptor left; bounded by the lowered limit. */
    private static List<FileChannel> exhaustDescriptors() {
        List<FileChannel> fillers = new ArrayList<>();
        Path devNull = Path.of("/dev/null");
        for (int i = 0; i < 100_000; i++) {
            try {
                fillers.add(FileChannel.open(devNull));
            } catch (IOException exhausted) {
                assertTrue(String.valueOf(exhausted.getMessage()).contains("Too many open files"), exhausted.toString());
                return fillers;
            }
        }
        throw new AssertionError("100000 descriptors opened under a lowered limit");
    }

    private static void closeAll(List<FileChannel> fillers) throws IOException {
        for (FileChannel filler : fillers) {
            filler.close();
        }
        fillers.clear();
    }

    /** Reads exactly {@code n} bytes from a blocking channel, on another thread. */
    private static byte[] readExactly(SocketChannel channel, int n) {
        return Asyncio.waitFor(Asyncio.toThread(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(n);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer) < 0) {
                    throw new IOException("EOF after " + buffer.position() + " bytes");
                }
            }
            return buffer.array();
        }), RecordingProtocol.PATIENCE);
    }

    @LoopTest
    void outOfDescriptorsTheServerReportsPausesAcceptingKeepsServingAndRecovers(LoopKind kind) {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs Linux");
        kind.run(() -> {
            ErrorRecorder errors = ErrorRecorder.on(Asyncio.getRunningLoop());
            // The waiting client's descriptor is taken now; it connects once none is left for the server.
            try (Server server = Net.server(EchoProtocol::new); SocketChannel waiting = SocketChannel.open()) {
                Connection<RecordingProtocol> existing = Net.echoPair(server);
                byte[] first = Net.patternBytes(100);
                existing.transport().write(first);
                existing.protocol().awaitReceived(first.length);
                loadClassesUsedWhileExhausted(kind);
                List<FileChannel> fillers;
                double exhaustedAt;
                double releasedAt;
                LoweredLimit lowered = LoweredLimit.toHighestOpenPlus(HEADROOM);
                try {
                    fillers = exhaustDescriptors();
                    try {
                        exhaustedAt = Net.loop().time();
                        waiting.connect(Net.address(server));
                        try {
                            Faults.until(() -> !errors.withMessage(OUT_OF_RESOURCES).isEmpty(), "the accept failure report");
                        } catch (AssertionError missing) {
                            throw new AssertionError(missing.getMessage() + "; reported instead: " + errors.contexts().size()
                                    + " reports, first " + errors.contexts().stream().limit(2).toList());
                        }

                        // The connection served before still works.
                        existing.transport().write(first);
                        existing.protocol().awaitReceived(2 * first.length);
                        // Accepting paused: the loop does not spin on the failing accept.
                        Turns.pass(50);
                    } finally {
                        closeAll(fillers);
                    }
                    releasedAt = Net.loop().time();
                } finally {
                    lowered.restore();
                }
                Map<String, Object> report = errors.withMessage(OUT_OF_RESOURCES).get(0);
                assertInstanceOf(IOException.class, report.get("exception"));
                assertTrue(report.containsKey("socket"), report.toString());
                int reports = errors.withMessage(OUT_OF_RESOURCES).size();
                assertTrue(reports <= 1 + (releasedAt - exhaustedAt) / ACCEPT_RETRY_DELAY + 1,
                        reports + " reports in " + (releasedAt - exhaustedAt) + " s: accepting did not pause");
                assertTrue(errors.contexts().size() == reports, errors.contexts().toString());

                // The waiting client is accepted and served once descriptors are free.
                byte[] hello = Net.patternBytes(1000);
                Net.writeAll(waiting, hello);
                assertArrayEquals(hello, readExactly(waiting, hello.length));
                double servedAfter = Net.loop().time() - releasedAt;
                assertTrue(servedAfter < ACCEPT_RETRY_DELAY + 5, "served " + servedAfter + " s after the release");
                existing.transport().close();
                existing.protocol().awaitLost();
                server.closeClients();
                Net.closeAndWait(server);
            }
            BackToStart.assertOnlyThisTaskLeft();
            return null;
        });
    }

    /**
     * Loads every class of the loop's module, of asyncio.spi and asyncio.api, and the test's own
     * helpers, before no descriptor is free: the build runs the suite from class directories, and
     * loading a class from one opens its file. A class that fails to load then stays unresolvable
     * for the life of the JVM, so the failure would outlive this test.
     */
    private static void loadClassesUsedWhileExhausted(LoopKind kind) throws IOException, ClassNotFoundException {
        for (Class<?> used : List.of(Faults.class, Turns.class, ErrorRecorder.class, Posix.class)) {
            Class.forName(used.getName(), true, used.getClassLoader());
        }
        for (Class<?> inModule : List.of(kind.provider().getClass(), asyncio.spi.BaseEventLoop.class, Asyncio.class)) {
            Path root = ChildJvm.locationOf(inModule);
            if (!Files.isDirectory(root)) {
                continue; // a jar stays open once read: its classes load without a new descriptor
            }
            List<String> names;
            try (Stream<Path> files = Files.walk(root)) {
                names = files.map(root::relativize).map(Path::toString).filter(name -> name.endsWith(".class"))
                        .filter(name -> !name.equals("module-info.class"))
                        .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.')).toList();
            }
            for (String name : names) {
                Class.forName(name, false, inModule.getClassLoader());
            }
        }
    }
}
