package asyncio.windows;

import static asyncio.windows.ffi.PipeApi.*;
import static asyncio.windows.ffi.ProcessApi.*;
import static asyncio.windows.ffi.WinApi.ERROR_IO_PENDING;
import static asyncio.windows.ffi.WinApi.INVALID_HANDLE_VALUE;

import asyncio.windows.ffi.Win32Processes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The named-pipe half of kernel32, scripted over {@link FakeWinsock} (each instance is one of its
 * duplex pipe pairs, so the port reads and writes it as usual): CreateNamedPipeW makes an instance
 * waiting for a client, CreateFileW hands a client the first free one (ERROR_PIPE_BUSY when none is,
 * ERROR_FILE_NOT_FOUND when nobody serves the name), ConnectNamedPipe is in flight until a client
 * comes or answers ERROR_PIPE_CONNECTED if one came first. Records the calls and what Windows would
 * refuse or make a bug (a handle not overlapped, a taken name claimed, a handle closed twice).
 */
final class FakeNamedPipes implements Win32Processes {

    private final FakeWinsock winsock;
    /** Per name: the instances no client has opened yet, {server, client end}. */
    private final Map<String, ArrayDeque<long[]>> free = new HashMap<>();
    /** Per name: the open server instances (a first instance is refused while any is open). */
    private final Map<String, Integer> instances = new HashMap<>();
    private final Map<Long, String> nameOf = new HashMap<>();
    private final Set<Long> connected = new HashSet<>();
    private final Set<Long> open = new HashSet<>();
    final List<String> calls = new ArrayList<>();
    final List<String> problems = new ArrayList<>();
    /** CreateFileW answers ERROR_PIPE_BUSY this many more times before looking at the instances. */
    int forcedBusy;
    /** How many times CreateFileW answered ERROR_PIPE_BUSY. */
    int busyAnswers;
    private int lastError;

    FakeNamedPipes(FakeWinsock winsock) {
        this.winsock = winsock;
    }

    Set<Long> openHandles() {
        return Set.copyOf(open);
    }

    @Override
    public long CreateNamedPipeW(long name, int openMode, int pipeMode, int maxInstances, int outBufferSize,
                                 int inBufferSize, int defaultTimeout, long securityAttributes) {
        String pipeName = WideStrings.read(name);
        boolean first = (openMode & FILE_FLAG_FIRST_PIPE_INSTANCE) != 0;
        calls.add("CreateNamedPipeW" + (first ? " first" : ""));
        if ((openMode & FILE_FLAG_OVERLAPPED) == 0 || (openMode & PIPE_ACCESS_DUPLEX) != PIPE_ACCESS_DUPLEX
                || maxInstances != PIPE_UNLIMITED_INSTANCES || securityAttributes != 0) {
            problems.add("a server instance must be overlapped, duplex, of unlimited instances, not inheritable");
        }
        int existing = instances.getOrDefault(pipeName, 0);
        if (first == (existing > 0)) {
            // A first instance of a served name is refused; a later one of an unserved name is a bug of the server.
            if (first) {
                lastError = ERROR_ACCESS_DENIED;
                return INVALID_HANDLE_VALUE;
            }
            problems.add("a further instance of a name nobody serves: " + pipeName);
        }
        long[] pair = winsock.duplexNamedPipe();
        free.computeIfAbsent(pipeName, key -> new ArrayDeque<>()).add(pair);
        instances.merge(pipeName, 1, Integer::sum);
        nameOf.put(pair[0], pipeName);
        open.add(pair[0]);
        return pair[0];
    }

    @Override
    public long CreateFileW(long name, int desiredAccess, int shareMode, long securityAttributes,
                            int creationDisposition, int flagsAndAttributes, long templateFile) {
        String pipeName = WideStrings.read(name);
        if ((flagsAndAttributes & FILE_FLAG_OVERLAPPED) == 0 || desiredAccess != (GENERIC_READ | GENERIC_WRITE)
                || creationDisposition != OPEN_EXISTING) {
            problems.add("a client's end must be opened existing, overlapped, for reading and writing");
        }
        ArrayDeque<long[]> waiting = free.get(pipeName);
        if (forcedBusy > 0 || instances.getOrDefault(pipeName, 0) > 0 && waiting.isEmpty()) {
            forcedBusy = Math.max(0, forcedBusy - 1);
            busyAnswers++;
            calls.add("CreateFileW busy");
            lastError = ERROR_PIPE_BUSY;
            return INVALID_HANDLE_VALUE;
        }
        if (waiting == null || waiting.isEmpty()) {
            calls.add("CreateFileW not found");
            lastError = ERROR_FILE_NOT_FOUND;
            return INVALID_HANDLE_VALUE;
        }
        calls.add("CreateFileW");
        long[] pair = waiting.poll();
        connected.add(pair[0]);
        winsock.clientArrived(pair[0]);
        open.add(pair[1]);
        return pair[1];
    }

    @Override
    public int ConnectNamedPipe(long pipe, long overlapped) {
        if (overlapped == 0) {
            problems.add("ConnectNamedPipe without an OVERLAPPED");
        }
        if (connected.contains(pipe)) {
            calls.add("ConnectNamedPipe connected");
            lastError = ERROR_PIPE_CONNECTED;
            return 0;
        }
        calls.add("ConnectNamedPipe pending");
        winsock.awaitClient(pipe, overlapped);
        lastError = ERROR_IO_PENDING;
        return 0;
    }

    @Override
    public int CloseHandle(long handle) {
        if (!open.remove(handle)) {
            problems.add("CloseHandle of a handle not open: " + handle);
            lastError = ERROR_INVALID_HANDLE;
            return 0;
        }
        String pipeName = nameOf.remove(handle);
        if (pipeName != null) {
            calls.add("CloseHandle instance");
            instances.merge(pipeName, -1, Integer::sum);
            free.get(pipeName).removeIf(pair -> pair[0] == handle);
            connected.remove(handle);
            winsock.abortAwaitingClient(handle);
        } else {
            calls.add("CloseHandle client");
        }
        winsock.closeNamedPipeEnd(handle);
        return 1;
    }

    @Override
    public int lastError() {
        return lastError;
    }

    // --- what the named pipes never call ---

    @Override
    public int CreateProcessW(long applicationName, long commandLine, long processAttributes, long threadAttributes,
                              int inheritHandles, int creationFlags, long environment, long currentDirectory,
                              long startupInfo, long processInformation) {
        throw new AssertionError("CreateProcessW");
    }

    @Override
    public long GetStdHandle(int which) {
        throw new AssertionError("GetStdHandle");
    }

    @Override
    public long GetCurrentProcess() {
        throw new AssertionError("GetCurrentProcess");
    }

    @Override
    public int DuplicateHandle(long sourceProcess, long source, long targetProcess, long target, int desiredAccess,
                               int inheritHandle, int options) {
        throw new AssertionError("DuplicateHandle");
    }

    @Override
    public int TerminateProcess(long process, int exitCode) {
        throw new AssertionError("TerminateProcess");
    }

    @Override
    public int GetExitCodeProcess(long process, long exitCode) {
        throw new AssertionError("GetExitCodeProcess");
    }

    @Override
    public int GenerateConsoleCtrlEvent(int event, int processGroupId) {
        throw new AssertionError("GenerateConsoleCtrlEvent");
    }

    @Override
    public long CreateEventW(long attributes, int manualReset, int initialState, long name) {
        throw new AssertionError("CreateEventW");
    }

    @Override
    public int SetEvent(long event) {
        throw new AssertionError("SetEvent");
    }

    @Override
    public int WaitForMultipleObjects(int count, long handles, int waitAll, int milliseconds) {
        throw new AssertionError("WaitForMultipleObjects");
    }

    @Override
    public int InitializeProcThreadAttributeList(long attributeList, int attributeCount, int flags, long size) {
        throw new AssertionError("InitializeProcThreadAttributeList");
    }

    @Override
    public int UpdateProcThreadAttribute(long attributeList, int flags, long attribute, long value, long size,
                                         long previousValue, long returnSize) {
        throw new AssertionError("UpdateProcThreadAttribute");
    }

    @Override
    public void DeleteProcThreadAttributeList(long attributeList) {
        throw new AssertionError("DeleteProcThreadAttributeList");
    }
}
