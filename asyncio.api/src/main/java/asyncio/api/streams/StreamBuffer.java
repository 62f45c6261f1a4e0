package asyncio.api.streams;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The bytes a {@link StreamReader} holds. Received data is copied in once; a read that takes
 * exactly one received chunk hands that very array out (no second copy), and separators are
 * found eight bytes at a time.
 */
final class StreamBuffer {
    private static final byte[] EMPTY = new byte[0];
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private byte[] array = EMPTY;
    private int start;
    private int end;

    int size() {
        return end - start;
    }

    boolean isEmpty() {
        return start == end;
    }

    void append(ByteBuffer source) {
        int count = source.remaining();
        if (count == 0) {
            return;
        }
        if (isEmpty()) {
            // An exact-size array lets a later take() of all of it skip the copy.
            array = new byte[count];
            source.get(array);
            start = 0;
            end = count;
            return;
        }
        makeRoom(count);
        source.get(array, end, count);
        end += count;
    }

    /** Removes and returns the first {@code count} bytes ({@code count <= size()}). */
    byte[] take(int count) {
        if (count == 0) {
            return EMPTY;
        }
        if (start == 0 && end == array.length && count == end) {
            byte[] whole = array;
            clear();
            return whole;
        }
        byte[] taken = Arrays.copyOfRange(array, start, start + count);
        discard(count);
        return taken;
    }

    void discard(int count) {
        start += count;
        if (start == end) {
            clear();
        }
    }

    void clear() {
        array = EMPTY;
        start = 0;
        end = 0;
    }

    /** Whether {@code separator} starts at {@code offset} (relative to the first byte). */
    boolean startsWith(byte[] separator, int offset) {
        int from = start + offset;
        return from + separator.length <= end
                && Arrays.equals(array, from, from + separator.length, separator, 0, separator.length);
    }

    /** The offset of the first {@code separator} at or after {@code offset}, or -1. */
    int indexOf(byte[] separator, int offset) {
        byte first = separator[0];
        int last = end - separator.length;
        int at = start + offset;
        while (at <= last) {
            int found = indexOfByte(first, at, last + 1);
            if (found < 0) {
                return -1;
            }
            if (separator.length == 1
                    || Arrays.equals(array, found + 1, found + separator.length, separator, 1, separator.length)) {
                return found - start;
            }
            at = found + 1;
        }
        return -1;
    }

    /** Finds {@code value} in {@code array[from, to)} a word at a time (the classic has-zero-byte test). */
    private int indexOfByte(byte value, int from, int to) {
        long pattern = (value & 0xFFL) * ONES;
        int at = from;
        for (; at + Long.BYTES <= to; at += Long.BYTES) {
            long word = (long) LONGS.get(array, at) ^ pattern;
            long zeroBytes = (word - ONES) & ~word & HIGHS;
            if (zeroBytes != 0) {
                return at + (Long.numberOfTrailingZeros(zeroBytes) >>> 3);
            }
        }
        for (; at < to; at++) {
            if (array[at] == value) {
                return at;
            }
        }
        return -1;
    }

    private void makeRoom(int count) {
        if (array.length - end >= count) {
            return;
        }
        int live = size();
        byte[] target = live + count <= array.length ? array : new byte[Math.max(array.length * 2, live + count)];
        System.arraycopy(array, start, target, 0, live);
        array = target;
        start = 0;
        end = live;
    }
}
