package asyncio.spi.proactor;

import java.nio.ByteBuffer;

/**
 * Direct buffers a completion-based loop copies its transports' writes into, reused across sends.
 * A write lands in native memory once (the port lends it to the kernel as it is) instead of in a
 * heap copy the port then stages again, and steady traffic allocates nothing.
 *
 * <p>Sizes are powers of two from {@link #MIN_SIZE} to {@link #MAX_SIZE}; {@link #acquire} gives
 * the smallest that holds what was asked, capped at the largest (a longer write takes several).
 * Each size keeps at most {@link #RETAINED_BYTES_PER_SIZE} bytes of idle buffers, so a burst of
 * large writes does not pin memory after it. Not thread-safe: one pool per loop, used on its thread.
 *
 * <p>A buffer is released only once the port has let go of it (its send's completion ran); one
 * the kernel may still hold is never released, just dropped.
 */
public final class DirectBufferPool {
    /** The smallest buffer: an echo's 1 KiB and a few such writes appended to it. */
    public static final int MIN_SIZE = 4 * 1024;
    /** The largest buffer: as much as one receive of a transport brings at most. */
    public static final int MAX_SIZE = 256 * 1024;
    /** Idle bytes kept per size: 256 buffers of 4 KiB, 8 of 256 KiB. */
    public static final int RETAINED_BYTES_PER_SIZE = 2 * 1024 * 1024;

    private static final int MIN_SHIFT = Integer.numberOfTrailingZeros(MIN_SIZE);
    private static final int SIZES = Integer.numberOfTrailingZeros(MAX_SIZE) - MIN_SHIFT + 1;

    /** Per size, a stack of idle buffers as long as the size's cap allows; {@link #counts} says how many are there. */
    private final ByteBuffer[][] idle = new ByteBuffer[SIZES][];
    private final int[] counts = new int[SIZES];

    public DirectBufferPool() {
        for (int i = 0; i < SIZES; i++) {
            idle[i] = new ByteBuffer[RETAINED_BYTES_PER_SIZE / (MIN_SIZE << i)];
        }
    }

    /**
     * A cleared direct buffer of at least {@code size} bytes, or of {@link #MAX_SIZE} when more
     * was asked; from the idle ones when one of that size is there.
     */
    public ByteBuffer acquire(int size) {
        int index = sizeIndex(size);
        if (counts[index] == 0) {
            return ByteBuffer.allocateDirect(MIN_SIZE << index);
        }
        // Last in, first out: the buffer reused is the one most likely still in the CPU's cache.
        ByteBuffer buffer = idle[index][--counts[index]];
        idle[index][counts[index]] = null;
        return buffer.clear();
    }

    /** Takes back a buffer {@link #acquire} gave; one of another size, or past the cap, is left to the collector. */
    public void release(ByteBuffer buffer) {
        int capacity = buffer.capacity();
        if (!buffer.isDirect() || Integer.bitCount(capacity) != 1 || capacity < MIN_SIZE || capacity > MAX_SIZE) {
            return;
        }
        int index = Integer.numberOfTrailingZeros(capacity) - MIN_SHIFT;
        if (counts[index] < idle[index].length) {
            idle[index][counts[index]++] = buffer;
        }
    }

    /** Idle buffers of {@code size} bytes (a power of two in range), for tests. */
    public int idle(int size) {
        return counts[sizeIndex(size)];
    }

    private static int sizeIndex(int size) {
        if (size <= MIN_SIZE) {
            return 0;
        }
        if (size >= MAX_SIZE) {
            return SIZES - 1;
        }
        int shift = 32 - Integer.numberOfLeadingZeros(size - 1);
        return shift - MIN_SHIFT;
    }
}
