package asyncio.windows;

import static asyncio.windows.ffi.ProcessApi.ERROR_INSUFFICIENT_BUFFER;
import static asyncio.windows.ffi.ProcessApi.PROC_THREAD_ATTRIBUTE_HANDLE_LIST;
import static asyncio.windows.ffi.WinApi.INVALID_HANDLE_VALUE;

import asyncio.windows.ffi.Win32Processes;
import com.kenai.jffi.MemoryIO;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The handles one child inherits, and no other: a {@code PROC_THREAD_ATTRIBUTE_HANDLE_LIST} in the
 * attribute list of its {@code STARTUPINFOEXW}, what CPython's subprocess passes with
 * {@code close_fds=True}. Without it {@code CreateProcessW(bInheritHandles=TRUE)} hands the child
 * every inheritable handle of the JVM, such as the child ends another thread made inheritable for
 * a spawn of its own at the same moment, which would then stay open in this child and keep that
 * other child's pipes from ever reaching EOF.
 *
 * <p>The list and the handle array it points to (which must outlive the list) are one block of
 * native memory, sized by a first {@code InitializeProcThreadAttributeList} call and freed by
 * {@link #close} right after {@code CreateProcessW}.
 */
final class InheritedHandles implements AutoCloseable {
    private static final MemoryIO MEMORY = MemoryIO.getInstance();

    private final Win32Processes processes;
    private final long block;
    private boolean initialized;
    private boolean freed;

    private InheritedHandles(Win32Processes processes, long block) {
        this.processes = processes;
        this.block = block;
    }

    /**
     * The list of {@code handles} without the missing ones (0, INVALID_HANDLE_VALUE) and without
     * repeats (stderr=STDOUT shares stdout's end, and a handle listed twice is refused); null when
     * none is left, and then the child inherits nothing.
     */
    static InheritedHandles of(Win32Processes processes, long... handles) throws IOException {
        long[] listed = Arrays.stream(handles).filter(h -> h != 0 && h != INVALID_HANDLE_VALUE).distinct().toArray();
        if (listed.length == 0) {
            return null;
        }
        ByteBuffer size = IocpCompletionPort.direct(8);
        long sizeAddress = IocpCompletionPort.address(size);
        if (processes.InitializeProcThreadAttributeList(0, 1, 0, sizeAddress) == 0) {
            int error = processes.lastError();
            if (error != ERROR_INSUFFICIENT_BUFFER) {
                throw WinErrors.exception(error, "InitializeProcThreadAttributeList");
            }
        }
        long arrayOffset = (size.getLong(0) + 7) & ~7L;
        long block = MEMORY.allocateMemory(arrayOffset + 8L * listed.length, true);
        if (block == 0) {
            throw new OutOfMemoryError("no native memory for a process attribute list");
        }
        InheritedHandles list = new InheritedHandles(processes, block);
        try {
            list.fill(sizeAddress, block + arrayOffset, listed);
            return list;
        } catch (IOException | RuntimeException | Error failed) {
            list.close();
            throw failed;
        }
    }

    private void fill(long sizeAddress, long array, long[] listed) throws IOException {
        if (processes.InitializeProcThreadAttributeList(block, 1, 0, sizeAddress) == 0) {
            throw WinErrors.exception(processes.lastError(), "InitializeProcThreadAttributeList");
        }
        initialized = true;
        for (int i = 0; i < listed.length; i++) {
            MEMORY.putLong(array + 8L * i, listed[i]);
        }
        if (processes.UpdateProcThreadAttribute(block, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, array,
                8L * listed.length, 0, 0) == 0) {
            throw WinErrors.exception(processes.lastError(), "UpdateProcThreadAttribute");
        }
    }

    /** The {@code lpAttributeList} of the STARTUPINFOEXW. */
    long attributeList() {
        return block;
    }

    /** DeleteProcThreadAttributeList, then the block is freed (once). */
    @Override
    public void close() {
        if (initialized) {
            initialized = false;
            processes.DeleteProcThreadAttributeList(block);
        }
        if (!freed) {
            freed = true;
            MEMORY.freeMemory(block);
        }
    }
}
