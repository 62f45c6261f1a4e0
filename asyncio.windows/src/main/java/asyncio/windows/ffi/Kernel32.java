package asyncio.windows.ffi;

import jnr.ffi.annotations.In;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.intptr_t;

/**
 * kernel32.dll as jnr-ffi binds it; {@link NativeWin32} is its only user. A call with six or more
 * arguments carries a trailing dummy {@code int[]} that the C function never reads: jnr-ffi must
 * marshal an array, which keeps the call off its x86-64 assembler stubs (asyncio.epoll's LibC
 * found them passing a sixth argument wrongly); an extra argument is harmless in the x64 calling
 * convention, where the caller pops what it pushed.
 */
@SaveError
public interface Kernel32 {
    @intptr_t long CreateIoCompletionPort(@intptr_t long file, @intptr_t long existingPort, @intptr_t long key, int threads);

    int GetQueuedCompletionStatusEx(@intptr_t long port, @intptr_t long entries, int count, @intptr_t long removed,
                                    int milliseconds, int alertable, @In int[] offTheStubs);

    int PostQueuedCompletionStatus(@intptr_t long port, int bytes, @intptr_t long key, @intptr_t long overlapped);

    int CancelIoEx(@intptr_t long handle, @intptr_t long overlapped);

    int CloseHandle(@intptr_t long handle);

    int SetFileCompletionNotificationModes(@intptr_t long handle, byte flags);

    int ReadFile(@intptr_t long file, @intptr_t long buffer, int length, @intptr_t long read, @intptr_t long overlapped);

    int WriteFile(@intptr_t long file, @intptr_t long buffer, int length, @intptr_t long written, @intptr_t long overlapped);

    int GetOverlappedResult(@intptr_t long file, @intptr_t long overlapped, @intptr_t long transferred, int wait);
}
