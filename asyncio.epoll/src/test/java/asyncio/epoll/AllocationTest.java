package asyncio.epoll;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The hot path allocates nothing: reads, writes and gathering writes, heap or direct, and EAGAIN. */
@ExtendWith(NoDescriptorLeaks.class)
class AllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final NativeIo io = new NativeIo();

    @AfterEach
    void releaseScratch() {
        io.close();
    }

    @Test
    void streamReadsAndWritesAllocateNothingOnceWarm() throws IOException {
        try (Loopback.Pair pair = Loopback.tcp(io, StandardProtocolFamily.INET)) {
            ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
            ByteBuffer heap = ByteBuffer.allocate(100);
            ByteBuffer direct = ByteBuffer.allocateDirect(100);
            ByteBuffer[] gathered = {ByteBuffer.allocate(10), ByteBuffer.allocateDirect(10)};
            exchange(pair, readBuffer, heap, direct, gathered, 20_000);
            long before = THREADS.getCurrentThreadAllocatedBytes();
            exchange(pair, readBuffer, heap, direct, gathered, 1_000);
            assertEquals(0, THREADS.getCurrentThreadAllocatedBytes() - before, "bytes allocated by 1000 rounds");
        }
    }

    private static void exchange(Loopback.Pair pair, ByteBuffer readBuffer, ByteBuffer heap, ByteBuffer direct,
                                 ByteBuffer[] gathered, int rounds) throws IOException {
        for (int round = 0; round < rounds; round++) {
            pair.client().write(heap.clear());
            pair.client().write(direct.clear());
            gathered[0].clear();
            gathered[1].clear();
            pair.client().write(gathered, 0, 2);
            int received = 0;
            while (received < 220) {
                int n = pair.server().read(readBuffer.clear());
                received += n;
            }
            pair.server().read(heap.clear());
        }
    }
}
