package asyncio.windows.ffi;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/** {@link Win32Processes} on the real kernel32.dll (or, for the marshalling test, a library with its exports). */
public final class NativeWin32Processes implements Win32Processes {
    /** Never read by C: see {@link Kernel32Processes}. */
    private static final int[] OFF_THE_STUBS = new int[1];

    private final Kernel32Processes kernel32;
    private final Runtime runtime;

    private NativeWin32Processes(Kernel32Processes kernel32) {
        this.kernel32 = kernel32;
        this.runtime = Runtime.getRuntime(kernel32);
    }

    /** The binding on kernel32 (only on Windows; elsewhere it throws what the loader throws). */
    public static NativeWin32Processes load() {
        return bind("kernel32");
    }

    /** The binding on another library with the same exports (the marshalling test's stand-in). */
    static NativeWin32Processes bind(String library) {
        return new NativeWin32Processes(LibraryLoader.create(Kernel32Processes.class).load(library));
    }

    @Override
    public long CreateNamedPipeW(long name, int openMode, int pipeMode, int maxInstances, int outBufferSize,
                                 int inBufferSize, int defaultTimeout, long securityAttributes) {
        return kernel32.CreateNamedPipeW(name, openMode, pipeMode, maxInstances, outBufferSize, inBufferSize,
                defaultTimeout, securityAttributes, OFF_THE_STUBS);
    }

    @Override
    public long CreateFileW(long name, int desiredAccess, int shareMode, long securityAttributes,
                            int creationDisposition, int flagsAndAttributes, long templateFile) {
        return kernel32.CreateFileW(name, desiredAccess, shareMode, securityAttributes, creationDisposition,
                flagsAndAttributes, templateFile, OFF_THE_STUBS);
    }

    @Override
    public int ConnectNamedPipe(long pipe, long overlapped) {
        return kernel32.ConnectNamedPipe(pipe, overlapped);
    }

    @Override
    public int CreateProcessW(long applicationName, long commandLine, long processAttributes, long threadAttributes,
                              int inheritHandles, int creationFlags, long environment, long currentDirectory,
                              long startupInfo, long processInformation) {
        return kernel32.CreateProcessW(applicationName, commandLine, processAttributes, threadAttributes,
                inheritHandles, creationFlags, environment, currentDirectory, startupInfo, processInformation,
                OFF_THE_STUBS);
    }

    @Override
    public int InitializeProcThreadAttributeList(long attributeList, int attributeCount, int flags, long size) {
        return kernel32.InitializeProcThreadAttributeList(attributeList, attributeCount, flags, size);
    }

    @Override
    public int UpdateProcThreadAttribute(long attributeList, int flags, long attribute, long value, long size,
                                         long previousValue, long returnSize) {
        return kernel32.UpdateProcThreadAttribute(attributeList, flags, attribute, value, size, previousValue,
                returnSize, OFF_THE_STUBS);
    }

    @Override
    public void DeleteProcThreadAttributeList(long attributeList) {
        kernel32.DeleteProcThreadAttributeList(attributeList);
    }

    @Override
    public long GetStdHandle(int which) {
        return kernel32.GetStdHandle(which);
    }

    @Override
    public long GetCurrentProcess() {
        return kernel32.GetCurrentProcess();
    }

    @Override
    public int DuplicateHandle(long sourceProcess, long source, long targetProcess, long target, int desiredAccess,
                               int inheritHandle, int options) {
        return kernel32.DuplicateHandle(sourceProcess, source, targetProcess, target, desiredAccess, inheritHandle,
                options, OFF_THE_STUBS);
    }

    @Override
    public int CloseHandle(long handle) {
        return kernel32.CloseHandle(handle);
    }

    @Override
    public int TerminateProcess(long process, int exitCode) {
        return kernel32.TerminateProcess(process, exitCode);
    }

    @Override
    public int GetExitCodeProcess(long process, long exitCode) {
        return kernel32.GetExitCodeProcess(process, exitCode);
    }

    @Override
    public int GenerateConsoleCtrlEvent(int event, int processGroupId) {
        return kernel32.GenerateConsoleCtrlEvent(event, processGroupId);
    }

    @Override
    public long CreateEventW(long attributes, int manualReset, int initialState, long name) {
        return kernel32.CreateEventW(attributes, manualReset, initialState, name);
    }

    @Override
    public int SetEvent(long event) {
        return kernel32.SetEvent(event);
    }

    @Override
    public int WaitForMultipleObjects(int count, long handles, int waitAll, int milliseconds) {
        return kernel32.WaitForMultipleObjects(count, handles, waitAll, milliseconds);
    }

    @Override
    public int lastError() {
        return LastError.getLastError(runtime);
    }
}
