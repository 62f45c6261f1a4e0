package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import asyncio.api.transports.Connection;
import asyncio.api.transports.Server;
import asyncio.api.transports.Transport;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A stream transport keeps its own copy of every write, whatever its size, so the caller may
 * overwrite its buffer as soon as write() returns: writes smaller than one send buffer, exactly
 * its size, and many times it, heap or direct, single or by writelines, come back from an echo
 * server whole and in order. The completion-based loops pack these writes into pooled send buffers
 * and grow their receive buffer under bulk traffic; this is what keeps them honest.
 */
@ExtendWith({JdkNioWarmUp.class, VirtualThreadPollerWarmUp.class, NoDescriptorLeaks.class})
class WriteCopyTest {
    private static final int[] SIZES = {1, 1000, 1000, 4095, 4096, 4097, 3, 100 * 1024, 1024 * 1024 + 3, 7,
        256 * 1024, 300 * 1024, 1, 64 * 1024};

    @LoopTest
    void writesOfEverySizeComeBackWholeAndInOrderThoughTheCallerReusesItsBuffer(LoopKind kind) {
        kind.run(() -> {
            try (Server server = Net.server(EchoProtocol::new)) {
                Connection<RecordingProtocol> client = Net.echoPair(server);
                Transport transport = client.protocol().transport();
                ByteBuffer heap = ByteBuffer.allocate(2 * 1024 * 1024);
                ByteBuffer direct = ByteBuffer.allocateDirect(2 * 1024 * 1024);
                long offset = 0;
                for (int round = 0; round < 2; round++) {
                    for (int size : SIZES) {
                        ByteBuffer caller = (size + round) % 2 == 0 ? heap : direct;
                        offset = writeAndScribble(transport, caller, offset, size);
                    }
                    // A few small writes at once, then more than one send buffer in one writelines.
                    List<ByteBuffer> lines = new ArrayList<>();
                    for (int size : new int[] {10, 20, 5000, 300 * 1024, 30}) {
                        lines.add(Net.patternChunk(offset, size));
                        offset += size;
                    }
                    transport.writelines(lines);
                    lines.forEach(WriteCopyTest::scribble);
                }
                byte[] echoed = client.protocol().awaitReceived((int) offset);
                assertEquals(offset, echoed.length);
                assertArrayEquals(Net.patternBytes((int) offset), echoed);
                transport.close();
                client.protocol().awaitLost();
                Net.closeAndWait(server);
            }
            return null;
        });
    }

    /** Writes the pattern's {@code size} bytes from {@code offset} through {@code caller}, then overwrites them there. */
    private static long writeAndScribble(Transport transport, ByteBuffer caller, long offset, int size) {
        caller.clear();
        caller.put(Net.patternChunk(offset, size)).flip();
        transport.write(caller);
        assertEquals(0, caller.remaining(), "write() consumes the caller's buffer");
        caller.flip();
        scribble(caller);
        return offset + size;
    }

    private static void scribble(ByteBuffer buffer) {
        for (int i = 0; i < buffer.limit(); i++) {
            buffer.put(i, (byte) 0x5A);
        }
    }
}
