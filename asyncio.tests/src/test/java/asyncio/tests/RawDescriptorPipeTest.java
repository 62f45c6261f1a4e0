package asyncio.tests;

import static asyncio.tests.LoopbackPeers.text;
import static asyncio.tests.LoopbackPeers.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.Protocol;
import asyncio.api.transports.ReadPipeConnection;
import asyncio.api.transports.WritePipeConnection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * connect_read_pipe and connect_write_pipe over a raw descriptor, as a pty's master is handed to
 * asyncio. Only the epoll loop polls raw descriptors; the selector loop refuses at the call.
 * The JDK hides a channel's descriptor, so a test finds it in {@code /proc/self/fd}; the transport
 * then owns it, and the Java object that opened it is kept reachable forever and never closed
 * (closing it, or its cleaner, would close whatever reused the number).
 */
@ExtendWith(NoDescriptorLeaks.class)
class RawDescriptorPipeTest {
    /** Objects whose descriptor a transport took over: never closed, never collected. */
    private static final List<Object> HANDED_OVER = new ArrayList<>();

    private static boolean pollsRawDescriptors(LoopKind kind) {
        return kind.toString().equals("epoll");
    }

    /** Collects what a read pipe delivers until connection_lost. */
    static final class Collecting implements Protocol {
        final StringBuilder received = new StringBuilder();
        final Future<String> line = Asyncio.getRunningLoop().createFuture();

        @Override
        public void connectionMade(BaseTransport transport) {
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            received.append(text(data));
            if (received.indexOf("\n") >= 0 && !line.done()) {
                line.setResult(received.toString());
            }
        }

        @Override
        public boolean eofReceived() {
            return false;
        }

        @Override
        public void connectionLost(Throwable error) {
        }
    }

    @LoopTest
    void aPtyMasterIsReadThroughItsDescriptor(LoopKind kind) throws IOException {
        Set<Integer> before = descriptorsTo("/dev/ptmx");
        FileChannel master = FileChannel.open(Path.of("/dev/ptmx"), StandardOpenOption.READ, StandardOpenOption.WRITE);
        Set<Integer> opened = descriptorsTo("/dev/ptmx");
        opened.removeAll(before);
        int fd = opened.iterator().next();
        if (!pollsRawDescriptors(kind)) {
            try (master) {
                try (EventLoop loop = kind.newLoop()) {
                    assertThrows(UnsupportedOperationException.class, () -> loop.connectReadPipe(() -> null, fd));
                    assertThrows(UnsupportedOperationException.class, () -> loop.connectWritePipe(() -> null, fd));
                }
            }
            return;
        }
        // The terminal echoes what its master writes back to the master (ECHO, ONLCR: "\r\n").
        master.write(ByteBuffer.wrap("hello\n".getBytes(StandardCharsets.US_ASCII)));
        HANDED_OVER.add(master);
        String echoed = kind.run(() -> {
            ReadPipeConnection<Collecting> connection = Asyncio.getRunningLoop()
                    .connectReadPipe(Collecting::new, fd).await();
            try {
                return within(connection.protocol().line);
            } finally {
                connection.transport().close();
            }
        });
        assertEquals("hello\r\n", echoed);
    }

    @LoopTest
    void aPipesWriteEndIsWrittenThroughItsDescriptor(LoopKind kind) throws IOException {
        Set<Integer> before = descriptorsTo("pipe:");
        Pipe pipe = Pipe.open();
        Set<Integer> opened = descriptorsTo("pipe:");
        opened.removeAll(before);
        int writeEnd = opened.stream().mapToInt(Integer::intValue).max().orElseThrow();
        try (Pipe.SourceChannel source = pipe.source()) {
            if (!pollsRawDescriptors(kind)) {
                try (Pipe.SinkChannel sink = pipe.sink(); EventLoop loop = kind.newLoop()) {
                    assertEquals(true, sink.isOpen());
                    assertThrows(UnsupportedOperationException.class, () -> loop.connectWritePipe(() -> null, writeEnd));
                }
                return;
            }
            HANDED_OVER.add(pipe.sink());
            kind.run(() -> {
                WritePipeConnection<BaseProtocol> connection = Asyncio.getRunningLoop()
                        .connectWritePipe(RawDescriptorPipeTest::plainProtocol, writeEnd).await();
                connection.transport().write("through the descriptor".getBytes(StandardCharsets.US_ASCII));
                connection.transport().close();
                return null;
            });
            ByteBuffer received = ByteBuffer.allocate(64);
            while (source.read(received) >= 0) {
                // until the transport closed the only write end
            }
            assertEquals("through the descriptor",
                    new String(received.array(), 0, received.position(), StandardCharsets.US_ASCII));
        }
    }

    /**
     * The loop owns a descriptor from the call on: when no transport comes of it (the task is
     * cancelled before its first step, or the protocol factory raises) the loop closes it, as
     * the transport would have.
     */
    @LoopTest
    void aDescriptorIsClosedWhenNoTransportComesOfIt(LoopKind kind) throws IOException {
        if (!pollsRawDescriptors(kind)) {
            return;
        }
        for (boolean cancel : new boolean[] {true, false}) {
            Set<Integer> before = descriptorsTo("pipe:");
            Pipe pipe = Pipe.open();
            Set<Integer> opened = descriptorsTo("pipe:");
            opened.removeAll(before);
            int writeEnd = opened.stream().mapToInt(Integer::intValue).max().orElseThrow();
            String link = Files.readSymbolicLink(Path.of("/proc/self/fd/" + writeEnd)).toString();
            HANDED_OVER.add(pipe.sink());
            try {
                assertEquals(2, descriptorsTo(link).size());
                try (EventLoop loop = kind.newLoop()) {
                    // Called while the loop is not running, the task has not started yet.
                    Future<WritePipeConnection<BaseProtocol>> connecting = loop.connectWritePipe(() -> {
                        throw new IllegalStateException("no protocol");
                    }, writeEnd);
                    if (cancel) {
                        connecting.cancel();
                    }
                    Class<? extends RuntimeException> expected = cancel
                            ? asyncio.api.CancelledError.class : IllegalStateException.class;
                    assertThrows(expected, () -> loop.runUntilComplete(connecting));
                }
                assertEquals(1, descriptorsTo(link).size(), "only the read end is left open");
            } finally {
                pipe.source().close();
            }
        }
    }

    @LoopTest
    void aDescriptorThatIsNotOpenIsRefused(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            Class<? extends RuntimeException> expected = pollsRawDescriptors(kind)
                    ? IllegalArgumentException.class : UnsupportedOperationException.class;
            assertThrows(expected, () -> loop.connectReadPipe(() -> null, 100_000));
            assertThrows(IllegalArgumentException.class, () -> loop.connectReadPipe(() -> null, -1));
        }
    }

    private static BaseProtocol plainProtocol() {
        return new BaseProtocol() { };
    }

    @LoopTest
    void aRegularFileIsNoPipe(LoopKind kind, @TempDir Path directory) throws IOException {
        Path file = Files.writeString(directory.resolve("plain"), "text");
        try (FileChannel channel = FileChannel.open(file); EventLoop loop = kind.newLoop()) {
            int fd = descriptorsTo(file.toString()).iterator().next();
            Class<? extends RuntimeException> expected = pollsRawDescriptors(kind)
                    ? IllegalArgumentException.class : UnsupportedOperationException.class;
            assertThrows(expected, () -> loop.connectReadPipe(() -> null, fd));
            assertEquals(4, channel.size());
        }
    }

    /** This process's descriptors whose /proc link starts with {@code target}. */
    private static Set<Integer> descriptorsTo(String target) throws IOException {
        Set<Integer> found = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith(target)) {
                        found.add(Integer.parseInt(fd.getFileName().toString()));
                    }
                } catch (IOException gone) {
                    // closed meanwhile (the listing's own descriptor)
                }
            }
        }
        return found;
    }
}
