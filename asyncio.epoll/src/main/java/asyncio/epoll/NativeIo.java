package asyncio.epoll;

import asyncio.epoll.ffi.Native;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * The loop thread's scratch memory for socket calls, so that a call allocates nothing: a direct
 * staging buffer for heap buffers (the kernel needs a stable native address), a
 * {@code sockaddr_storage} with its {@code socklen_t}, room for an option value, a {@code msghdr}
 * and an {@code iovec} array (gathering writes, datagrams), and the addresses of the last direct buffers
 * seen. Confined to the loop thread: one per loop, never shared.
 */
final class NativeIo {
    /** Largest piece of a heap buffer moved per call; also bounds a datagram received into a heap buffer. */
    static final int STAGING_SIZE = 256 * 1024;
    /** Linux's IOV_MAX: sendmsg refuses more iovecs. */
    static final int IOV_MAX = 1024;

    static final int SOCKADDR_SIZE = 128;
    private static final int SOCKLEN_OFFSET = SOCKADDR_SIZE;
    private static final int VALUE_OFFSET = SOCKLEN_OFFSET + 8;
    private static final int VALUE_SIZE = 16;
    private static final int MSGHDR_OFFSET = VALUE_OFFSET + VALUE_SIZE;
    private static final int MSGHDR_SIZE = 56;
    private static final int IOVEC_SIZE = 16;
    // Direct buffers that alternate (the loop's read buffer, an application's write buffer) would
    // evict each other from a single entry; a few entries keep both cheap. The entries hold their
    // buffers alive until evicted or close(): at most four, a bounded cost.
    private static final int CACHED_ADDRESSES = 4;

    private final ByteBuffer staging = Native.allocate(STAGING_SIZE);
    private final long stagingAddress = Native.address(staging);
    private final ByteBuffer scratch = Native.allocate(MSGHDR_OFFSET + MSGHDR_SIZE);
    private final long scratchAddress = Native.address(scratch);
    private final ByteBuffer iovecs = Native.allocate(IOV_MAX * IOVEC_SIZE);
    private final long iovecsAddress = Native.address(iovecs);
    private final ByteBuffer[] cachedBuffers = new ByteBuffer[CACHED_ADDRESSES];
    private final long[] cachedAddresses = new long[CACHED_ADDRESSES];
    private int nextCacheSlot;

    // The last inet sockaddr decoded and its result: a datagram peer sends many times.
    final byte[] lastSockaddr = new byte[28];
    final byte[] compareSockaddr = new byte[28];
    int lastSockaddrLength;
    SocketAddress lastDecoded;

    /** The native address of a direct buffer's first byte, remembered for the buffers seen last. */
    long address(ByteBuffer direct) {
        for (int slot = 0; slot < CACHED_ADDRESSES; slot++) {
            if (cachedBuffers[slot] == direct) {
                return cachedAddresses[slot];
            }
        }
        long address = Native.address(direct);
        int slot = nextCacheSlot;
        nextCacheSlot = (slot + 1) % CACHED_ADDRESSES;
        cachedBuffers[slot] = direct;
        cachedAddresses[slot] = address;
        return address;
    }

    /** Forgets the cached buffers, so that they can be freed. */
    void close() {
        java.util.Arrays.fill(cachedBuffers, null);
        lastDecoded = null;
    }

    ByteBuffer staging() {
        return staging;
    }

    long stagingAddress() {
        return stagingAddress;
    }

    /** The scratch memory holding the sockaddr (offset 0) and the option value. */
    ByteBuffer scratch() {
        return scratch;
    }

    long sockaddrAddress() {
        return scratchAddress;
    }

    long socklenAddress() {
        return scratchAddress + SOCKLEN_OFFSET;
    }

    int socklen() {
        return scratch.getInt(SOCKLEN_OFFSET);
    }

    void socklen(int length) {
        scratch.putInt(SOCKLEN_OFFSET, length);
    }

    long valueAddress() {
        return scratchAddress + VALUE_OFFSET;
    }

    int valueInt(int index) {
        return scratch.getInt(VALUE_OFFSET + 4 * index);
    }

    void valueInt(int index, int value) {
        scratch.putInt(VALUE_OFFSET + 4 * index, value);
    }

    /** Sets the value slot to a {@code long} ({@code off_t}). */
    void valueLong(long value) {
        scratch.putLong(VALUE_OFFSET, value);
    }

    void valueBytes(byte[] bytes) {
        scratch.put(VALUE_OFFSET, bytes);
    }

    void readValueBytes(byte[] bytes) {
        scratch.get(VALUE_OFFSET, bytes);
    }

    /** Sets iovec {@code index} to {@code length} bytes at {@code base}. */
    void iovec(int index, long base, long length) {
        iovecs.putLong(index * IOVEC_SIZE, base);
        iovecs.putLong(index * IOVEC_SIZE + 8, length);
    }

    /**
     * A {@code msghdr} over the first {@code count} iovecs, naming {@code nameLength} bytes at
     * {@code name} (0 for none: a stream write, a connected send), without control data.
     */
    long msghdr(long name, int nameLength, int count) {
        int at = MSGHDR_OFFSET;
        scratch.putLong(at, name);
        scratch.putLong(at + 8, nameLength);   // msg_namelen, then padding
        scratch.putLong(at + 16, iovecsAddress);
        scratch.putLong(at + 24, count);       // msg_iovlen
        scratch.putLong(at + 32, 0);           // msg_control
        scratch.putLong(at + 40, 0);           // msg_controllen
        scratch.putLong(at + 48, 0);           // msg_flags, then padding
        return scratchAddress + at;
    }

    /** The name length recvmsg wrote back into the {@code msghdr}. */
    int msghdrNameLength() {
        return scratch.getInt(MSGHDR_OFFSET + 8);
    }
}
