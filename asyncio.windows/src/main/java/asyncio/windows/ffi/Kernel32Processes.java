package asyncio.windows.ffi;

import jnr.ffi.annotations.In;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.intptr_t;

/**
 * The process calls of kernel32.dll as jnr-ffi binds them; {@link NativeWin32Processes} is the
 * only user. As in {@link Kernel32}, a call with six or more arguments carries a trailing dummy
 * array the C function never reads, keeping it off jnr-ffi's assembler stubs.
 */
@SaveError
public interface Kernel32Processes {
    @intptr_t long CreateNamedPipeW(@intptr_t long name, int openMode, int pipeMode, int maxInstances,
                                    int outBufferSize, int inBufferSize, int defaultTimeout,
                                    @intptr_t long securityAttributes, @In int[] offTheStubs);

    @intptr_t long CreateFileW(@intptr_t long name, int desiredAccess, int shareMode, @intptr_t long securityAttributes,
                               int creationDisposition, int flagsAndAttributes, @intptr_t long templateFile,
                               @In int[] offTheStubs);

    int ConnectNamedPipe(@intptr_t long pipe, @intptr_t long overlapped);

    int CreateProcessW(@intptr_t long applicationName, @intptr_t long commandLine, @intptr_t long processAttributes,
                       @intptr_t long threadAttributes, int inheritHandles, int creationFlags,
                       @intptr_t long environment, @intptr_t long currentDirectory, @intptr_t long startupInfo,
                       @intptr_t long processInformation, @In int[] offTheStubs);

    int InitializeProcThreadAttributeList(@intptr_t long attributeList, int attributeCount, int flags,
                                          @intptr_t long size);

    int UpdateProcThreadAttribute(@intptr_t long attributeList, int flags, @intptr_t long attribute,
                                  @intptr_t long value, @intptr_t long size, @intptr_t long previousValue,
                                  @intptr_t long returnSize, @In int[] offTheStubs);

    void DeleteProcThreadAttributeList(@intptr_t long attributeList);

    @intptr_t long GetStdHandle(int which);

    @intptr_t long GetCurrentProcess();

    int DuplicateHandle(@intptr_t long sourceProcess, @intptr_t long source, @intptr_t long targetProcess,
                        @intptr_t long target, int desiredAccess, int inheritHandle, int options,
                        @In int[] offTheStubs);

    int CloseHandle(@intptr_t long handle);

    int TerminateProcess(@intptr_t long process, int exitCode);

    int GetExitCodeProcess(@intptr_t long process, @intptr_t long exitCode);

    int GenerateConsoleCtrlEvent(int event, int processGroupId);

    @intptr_t long CreateEventW(@intptr_t long attributes, int manualReset, int initialState, @intptr_t long name);

    int SetEvent(@intptr_t long event);

    int WaitForMultipleObjects(int count, @intptr_t long handles, int waitAll, int milliseconds);
}
