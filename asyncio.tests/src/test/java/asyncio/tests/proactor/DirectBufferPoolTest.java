package asyncio.tests.proactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.spi.proactor.DirectBufferPool;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The send buffers of the proactor transports: sized by powers of two, reused, bounded when idle. */
class DirectBufferPoolTest {
    private final DirectBufferPool pool = new DirectBufferPool();

    @Test
    void givesTheSmallestPowerOfTwoThatHoldsTheRequest() {
        assertEquals(DirectBufferPool.MIN_SIZE, pool.acquire(1).capacity());
        assertEquals(DirectBufferPool.MIN_SIZE, pool.acquire(DirectBufferPool.MIN_SIZE).capacity());
        assertEquals(8 * 1024, pool.acquire(DirectBufferPool.MIN_SIZE + 1).capacity());
        assertEquals(128 * 1024, pool.acquire(100 * 1024).capacity());
        assertEquals(DirectBufferPool.MAX_SIZE, pool.acquire(DirectBufferPool.MAX_SIZE).capacity());
        // Longer writes take several buffers of the largest size.
        assertEquals(DirectBufferPool.MAX_SIZE, pool.acquire(10 * DirectBufferPool.MAX_SIZE).capacity());
        assertTrue(pool.acquire(1).isDirect());
    }

    @Test
    void reusesAReleasedBufferCleared() {
        ByteBuffer first = pool.acquire(1000);
        first.put(new byte[100]).limit(200);
        pool.release(first);
        assertEquals(1, pool.idle(DirectBufferPool.MIN_SIZE));
        ByteBuffer again = pool.acquire(3000);
        assertSame(first, again);
        assertEquals(0, again.position());
        assertEquals(again.capacity(), again.limit());
        assertEquals(0, pool.idle(DirectBufferPool.MIN_SIZE));
        assertNotSame(again, pool.acquire(3000));
    }

    @Test
    void keepsOnlyBuffersOfItsOwnSizes() {
        pool.release(ByteBuffer.allocate(DirectBufferPool.MIN_SIZE));
        pool.release(ByteBuffer.allocateDirect(DirectBufferPool.MIN_SIZE + 1));
        pool.release(ByteBuffer.allocateDirect(DirectBufferPool.MAX_SIZE * 2));
        pool.release(ByteBuffer.allocateDirect(DirectBufferPool.MIN_SIZE / 2));
        assertEquals(0, pool.idle(DirectBufferPool.MIN_SIZE));
        assertEquals(0, pool.idle(DirectBufferPool.MAX_SIZE));
    }

    @Test
    void boundsTheIdleBytesOfEachSize() {
        int size = DirectBufferPool.MAX_SIZE;
        int kept = DirectBufferPool.RETAINED_BYTES_PER_SIZE / size;
        List<ByteBuffer> taken = new ArrayList<>();
        for (int i = 0; i < kept + 3; i++) {
            taken.add(pool.acquire(size));
        }
        taken.forEach(pool::release);
        assertEquals(kept, pool.idle(size));
        assertEquals(0, pool.idle(DirectBufferPool.MIN_SIZE));
    }
}
