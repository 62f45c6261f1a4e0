package asyncio.windows.ffi;

/**
 * The Win32 calls of the loop's subprocesses, as {@link Win32} holds those of its I/O: handles as
 * {@code long}, DWORD and BOOL as {@code int}, memory as raw addresses of direct buffers.
 * {@link NativeWin32Processes} binds it to kernel32; the tests put a recorder or a scripted fake
 * behind it. ReadFile/WriteFile on the pipes and PostQueuedCompletionStatus stay {@link Win32}'s.
 */
public interface Win32Processes {
    /** {@code CreateNamedPipeW}: the parent's (overlapped) end of a child's stdio pipe. */
    long CreateNamedPipeW(long name, int openMode, int pipeMode, int maxInstances, int outBufferSize,
                          int inBufferSize, int defaultTimeout, long securityAttributes);

    /** {@code CreateFileW}: the child's (inheritable, not overlapped) end of a pipe, NUL or a file. */
    long CreateFileW(long name, int desiredAccess, int shareMode, long securityAttributes, int creationDisposition,
                     int flagsAndAttributes, long templateFile);

    /** {@code ConnectNamedPipe}: after CreateFileW it answers ERROR_PIPE_CONNECTED at once. */
    int ConnectNamedPipe(long pipe, long overlapped);

    int CreateProcessW(long applicationName, long commandLine, long processAttributes, long threadAttributes,
                       int inheritHandles, int creationFlags, long environment, long currentDirectory,
                       long startupInfo, long processInformation);

    /**
     * {@code InitializeProcThreadAttributeList}: with no list (0) it fails with
     * ERROR_INSUFFICIENT_BUFFER and writes the size a list of {@code attributeCount} needs.
     */
    int InitializeProcThreadAttributeList(long attributeList, int attributeCount, int flags, long size);

    /** {@code UpdateProcThreadAttribute}: {@code value} must stay valid until the list is deleted. */
    int UpdateProcThreadAttribute(long attributeList, int flags, long attribute, long value, long size,
                                  long previousValue, long returnSize);

    void DeleteProcThreadAttributeList(long attributeList);

    long GetStdHandle(int which);

    long GetCurrentProcess();

    int DuplicateHandle(long sourceProcess, long source, long targetProcess, long target, int desiredAccess,
                        int inheritHandle, int options);

    int CloseHandle(long handle);

    int TerminateProcess(long process, int exitCode);

    int GetExitCodeProcess(long process, long exitCode);

    int GenerateConsoleCtrlEvent(int event, int processGroupId);

    /** {@code CreateEventW}: the waiter thread's doorbell. */
    long CreateEventW(long attributes, int manualReset, int initialState, long name);

    int SetEvent(long event);

    /** {@code WaitForMultipleObjects}: a waiter thread's wait, on its doorbell and up to 63 processes. */
    int WaitForMultipleObjects(int count, long handles, int waitAll, int milliseconds);

    /** The calling thread's last error, saved right after its previous call through this interface. */
    int lastError();
}
