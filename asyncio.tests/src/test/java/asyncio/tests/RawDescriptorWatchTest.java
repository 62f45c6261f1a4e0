package asyncio.tests;

import static asyncio.tests.LoopbackPeers.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.epoll.ffi.LibC;
import asyncio.epoll.ffi.Native;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code addReader}/{@code addWriter} with a raw descriptor, as asyncio takes an int: the epoll
 * loop watches it (and never closes it); a loop that polls channels only refuses it clearly.
 */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class})
class RawDescriptorWatchTest {

    /** A non-blocking pipe made with pipe2(2): the test owns and closes both descriptors. */
    private record RawPipe(int readFd, int writeFd) implements AutoCloseable {
        static RawPipe open() {
            ByteBuffer fds = Native.allocate(8);
            assertEquals(0, libc().pipe2(Native.address(fds), Native.O_NONBLOCK | Native.O_CLOEXEC), "pipe2");
            return new RawPipe(fds.getInt(0), fds.getInt(4));
        }

        void write(String text) {
            ByteBuffer bytes = Native.allocate(text.length());
            bytes.put(0, text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals(text.length(), libc().write(writeFd, Native.address(bytes), text.length()));
        }

        /** Reads what is there (the pipe is non-blocking), so a level-triggered reader stops firing. */
        String drain() {
            ByteBuffer bytes = Native.allocate(256);
            long n = libc().read(readFd, Native.address(bytes), 256);
            byte[] text = new byte[(int) Math.max(n, 0)];
            bytes.get(0, text);
            return new String(text, java.nio.charset.StandardCharsets.US_ASCII);
        }

        @Override
        public void close() {
            libc().close(readFd);
            libc().close(writeFd);
        }
    }

    private static LibC libc() {
        return Native.libc();
    }

    private static boolean watchesDescriptors(LoopKind kind) {
        return kind.toString().equals("epoll");
    }

    @LoopTest
    void aReaderOnARawDescriptorRunsOnTheLoopThreadWhenDataArrives(LoopKind kind) {
        if (!watchesDescriptors(kind)) {
            assertRefused(kind);
            return;
        }
        try (RawPipe pipe = RawPipe.open()) {
            List<Object> seen = kind.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                // The loop's own thread (with the virtual-thread carrier a task runs elsewhere).
                Future<Thread> loopThreadSeen = loop.createFuture();
                loop.callSoon(() -> loopThreadSeen.setResult(Thread.currentThread()));
                Thread loopThread = within(loopThreadSeen);
                Future<String> arrived = loop.createFuture();
                List<Object> result = new ArrayList<>();
                loop.addReader(pipe.readFd(), () -> {
                    result.add(Thread.currentThread() == loopThread);
                    if (!arrived.done()) {
                        arrived.setResult(pipe.drain());
                    }
                });
                pipe.write("ping");
                result.add(within(arrived));
                result.add(loop.removeReader(pipe.readFd()));
                result.add(loop.removeReader(pipe.readFd()));
                return result;
            });
            assertEquals(List.of(true, "ping", true, false), seen);
        }
    }

    @LoopTest
    void aWriterOnARawDescriptorRunsWhileThePipeHasRoomAndStopsWhenRemoved(LoopKind kind) {
        if (!watchesDescriptors(kind)) {
            return;
        }
        try (RawPipe pipe = RawPipe.open()) {
            int calls = kind.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Future<Void> writable = loop.createFuture();
                int[] count = {0};
                loop.addWriter(pipe.writeFd(), () -> {
                    count[0]++;
                    if (!writable.done()) {
                        writable.setResult(null);
                    }
                    assertTrue(loop.removeWriter(pipe.writeFd()));
                });
                within(writable);
                // Several iterations: a removed writer must not be called again.
                for (int i = 0; i < 5; i++) {
                    Asyncio.sleep(0);
                }
                assertFalse(loop.removeWriter(pipe.writeFd()));
                return count[0];
            });
            assertEquals(1, calls);
            // The loop left the descriptor open: it is the application's.
            pipe.write("still open");
            assertEquals("still open", pipe.drain());
        }
    }

    @LoopTest
    void aNewReaderReplacesTheOldOneForTheSameDescriptor(LoopKind kind) {
        if (!watchesDescriptors(kind)) {
            return;
        }
        try (RawPipe pipe = RawPipe.open()) {
            String who = kind.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Future<String> called = loop.createFuture();
                loop.addReader(pipe.readFd(), () -> called.setResult("first"));
                loop.addReader(pipe.readFd(), () -> {
                    pipe.drain();
                    called.setResult("second");
                });
                pipe.write("x");
                String result = within(called);
                assertTrue(loop.removeReader(pipe.readFd()));
                return result;
            });
            assertEquals("second", who);
        }
    }

    @LoopTest
    void aNumberThatIsNoOpenDescriptorIsRefusedAtAddReader(LoopKind kind) {
        if (!watchesDescriptors(kind)) {
            return;
        }
        // Above the open-file limit, so no descriptor can have that number (a closed one may be reused at once).
        int closedFd = 1_000_000;
        kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            UncheckedIOException error = assertThrows(UncheckedIOException.class, () -> loop.addReader(closedFd, () -> { }));
            assertTrue(error.getCause().getMessage().contains("Bad file descriptor"), error.getCause().getMessage());
            assertThrows(UncheckedIOException.class, () -> loop.addWriter(-1, () -> { }));
            assertFalse(loop.removeReader(closedFd));
            return null;
        });
    }

    private static void assertRefused(LoopKind kind) {
        kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            UnsupportedOperationException error = assertThrows(UnsupportedOperationException.class,
                    () -> loop.addReader(0, () -> { }));
            assertTrue(error.getMessage().contains("not raw file descriptors"), error.getMessage());
            assertThrows(UnsupportedOperationException.class, () -> loop.addWriter(1, () -> { }));
            assertSame(false, loop.removeReader(0));
            return null;
        });
    }
}
