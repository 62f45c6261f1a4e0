package asyncio.windows;

import asyncio.windows.ffi.Offsets;
import java.nio.ByteBuffer;

/**
 * The native memory of one overlapped operation, pinned (a direct buffer, never moved by the
 * garbage collector) and referenced from its operation until the completion port has returned it:
 * the OVERLAPPED first, so the address the port hands back is the block's, then the slot that
 * names the operation, the WSABUF, the flags and address-length words, a SOCKADDR_STORAGE, and the
 * AcceptEx output with the listening SOCKET for SO_UPDATE_ACCEPT_CONTEXT.
 */
final class OpBlock {
    static final int SLOT = Offsets.OVERLAPPED_SIZE;
    static final int GENERATION = SLOT + 4;
    static final int WSABUF = GENERATION + 4;
    static final int FLAGS = WSABUF + Offsets.WSABUF_SIZE;
    static final int ADDRESS_LENGTH = FLAGS + 4;
    static final int TRANSFERRED = ADDRESS_LENGTH + 4;
    static final int ADDRESS = TRANSFERRED + 8;
    static final int ACCEPT_OUTPUT = ADDRESS + Offsets.SOCKADDR_STORAGE_SIZE;
    static final int LISTEN_HANDLE = ACCEPT_OUTPUT + 2 * asyncio.windows.ffi.WinApi.ACCEPTEX_ADDRESS_LENGTH;
    static final int SIZE = LISTEN_HANDLE + 8;

    final ByteBuffer buffer = IocpCompletionPort.direct(SIZE);
    final long address = IocpCompletionPort.address(buffer);

    /** A clean OVERLAPPED (the kernel requires zeroes, hEvent null) naming {@code slot}. */
    void reset(int slot, int generation) {
        for (int i = 0; i < Offsets.OVERLAPPED_SIZE; i += 8) {
            buffer.putLong(i, 0L);
        }
        buffer.putInt(SLOT, slot);
        buffer.putInt(GENERATION, generation);
    }

    void wsabuf(ByteBuffer data, int length) {
        buffer.putInt(WSABUF + Offsets.WSABUF_LEN, length);
        buffer.putLong(WSABUF + Offsets.WSABUF_BUF, IocpCompletionPort.address(data) + data.position());
    }

    void flags(int flags) {
        buffer.putInt(FLAGS, flags);
    }

    void addressLength(int length) {
        buffer.putInt(ADDRESS_LENGTH, length);
    }

    int addressLength() {
        return buffer.getInt(ADDRESS_LENGTH);
    }

    void listenHandle(long listener) {
        buffer.putLong(LISTEN_HANDLE, listener);
    }

    long wsabufAddress() {
        return address + WSABUF;
    }

    long flagsAddress() {
        return address + FLAGS;
    }

    long addressLengthAddress() {
        return address + ADDRESS_LENGTH;
    }

    long transferredAddress() {
        return address + TRANSFERRED;
    }

    long addressAddress() {
        return address + ADDRESS;
    }

    long acceptOutputAddress() {
        return address + ACCEPT_OUTPUT;
    }

    long listenHandleAddress() {
        return address + LISTEN_HANDLE;
    }
}
