package asyncio.windows;

import asyncio.windows.ffi.Win32TransmitFile;
import com.kenai.jffi.MemoryIO;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * TransmitFile for the tests, beside {@link FakeWinsock}: "HANDLEs" are numbers this class gives
 * to the test's file channels ({@link #handleOf}); a call reads the asked bytes from the OVERLAPPED's
 * Offset/OffsetHigh without moving the channel's position (as TransmitFile leaves a file pointer it
 * was given an offset for) and sends them through the fake socket. Records each call.
 */
final class FakeTransmitFile implements Win32TransmitFile {
    private static final MemoryIO MEMORY = MemoryIO.getInstance();
    private final FakeWinsock winsock;
    private final Map<FileChannel, Long> handles = Collections.synchronizedMap(new IdentityHashMap<>());
    private final Map<Long, FileChannel> files = Collections.synchronizedMap(new java.util.HashMap<>());
    /** "TransmitFile bytes=N offset=P" per call. */
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    FakeTransmitFile(FakeWinsock winsock) {
        this.winsock = winsock;
    }

    /** The "HANDLE" of a file channel (one per channel). */
    long handleOf(FileChannel file) {
        return handles.computeIfAbsent(file, key -> {
            long handle = 0x4000L + handles.size() * 4L;
            files.put(handle, key);
            return handle;
        });
    }

    @Override
    public int TransmitFile(long function, long socket, long file, int bytes, int bytesPerSend, long overlapped,
                            long buffers, int flags) {
        if (function != FakeWinsock.TRANSMIT_FILE || bytes <= 0 || buffers != 0 || flags != 0) {
            throw new AssertionError("a TransmitFile call the loop never makes");
        }
        long offset = (MEMORY.getInt(overlapped + OVERLAPPED_OFFSET) & 0xffffffffL)
                | ((long) MEMORY.getInt(overlapped + OVERLAPPED_OFFSET_HIGH) << 32);
        calls.add("TransmitFile bytes=" + bytes + " offset=" + offset);
        FileChannel channel = files.get(file);
        if (channel == null) {
            throw new AssertionError("not a HANDLE of a file: " + file);
        }
        ByteBuffer data = ByteBuffer.allocate(bytes);
        try {
            while (data.hasRemaining() && channel.read(data, offset + data.position()) > 0) {
                // until the count or the end of the file
            }
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
        // TransmitFile is a BOOL: FALSE with WSA_IO_PENDING saved is "in flight".
        return winsock.transmit(socket, overlapped, java.util.Arrays.copyOf(data.array(), data.position())) == 0 ? 1 : 0;
    }

    @Override
    public int lastError() {
        return winsock.lastErrorOfTransmit();
    }
}
