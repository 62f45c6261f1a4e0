package asyncio.windows;

import static asyncio.windows.ffi.ProcessApi.*;
import static asyncio.windows.ffi.WinApi.INVALID_HANDLE_VALUE;

import asyncio.windows.ffi.ProcessLayouts;
import asyncio.windows.ffi.Win32;
import asyncio.windows.ffi.Win32Processes;
import com.kenai.jffi.MemoryIO;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The process half of Win32, scripted for the tests as {@link FakeWinsock} scripts Winsock: named
 * pipes are FakeWinsock pipe pairs (so the port reads and writes them as usual), CreateProcessW
 * makes a {@link Child} the test plays, and process handles and events are signalled objects that
 * {@code WaitForMultipleObjects} waits on, on the waiter threads. Checks what Windows would make
 * a bug: waiting on a closed handle, a child's pipe end not inheritable, handles left open, a
 * child started to inherit every inheritable handle (no PROC_THREAD_ATTRIBUTE_HANDLE_LIST) or with
 * a list that is not exactly its standard handles, an attribute list not deleted.
 * Everything that touches the FakeWinsock holds its lock ({@link #synchronizedWinsock}).
 */
final class FakeProcesses implements Win32Processes {
    private static final MemoryIO MEMORY = MemoryIO.getInstance();
    private static final long CURRENT_PROCESS = -1;
    /** What the size query of InitializeProcThreadAttributeList answers. */
    private static final long ATTRIBUTE_LIST_SIZE = 48;

    private final FakeWinsock winsock;
    private final Object lock;
    private final Map<String, Long> childEndsByName = new HashMap<>();
    /** Handles of this fake the parent holds: pipe ends, child ends, processes, threads, events, files. */
    private final Set<Long> open = new HashSet<>();
    private final Set<Long> signalled = new HashSet<>();
    private final Set<Long> events = new HashSet<>();
    private final Map<Long, Child> children = new HashMap<>();
    final List<String> problems = new ArrayList<>();
    final List<String> commandLines = new ArrayList<>();
    final List<int[]> ctrlEvents = new ArrayList<>();
    /** Files CreateFileW opened for a child (not pipes), with the access and disposition asked. */
    final List<String> filesOpened = new ArrayList<>();
    /** What the last CreateProcessW got: its environment block (null: the parent's), directory, flags. */
    String lastEnvironment;
    String lastDirectory;
    int lastCreationFlags;
    /** The handle list of the last CreateProcessW (empty: it inherited nothing). */
    List<Long> lastInherited = List.of();
    /** Attribute lists initialized and not deleted yet, with their handle lists once updated. */
    private final Map<Long, List<Long>> attributeLists = new HashMap<>();
    /** What GetStdHandle answers (0: no console, nothing to inherit). */
    long standardHandle;
    /** DuplicateHandle calls that asked for an inheritable copy. */
    int inheritableDuplicates;
    private final ThreadLocal<Integer> lastError = ThreadLocal.withInitial(() -> 0);
    private long nextHandle = 0x10_000;
    private int nextPid = 4000;
    /** What a new child does when the parent closes its stdin (null: nothing; the test plays it). */
    Consumer<Child> onStdinClosed;

    FakeProcesses(FakeWinsock winsock) {
        this.winsock = winsock;
        this.lock = winsock;
    }

    /** The Win32 of the port over {@code winsock}, every call under the lock the waiter threads share. */
    static Win32 synchronizedWinsock(FakeWinsock winsock) {
        return (Win32) Proxy.newProxyInstance(Win32.class.getClassLoader(), new Class<?>[] {Win32.class},
                (proxy, method, args) -> {
                    synchronized (winsock) {
                        try {
                            Object result = method.invoke(winsock, args);
                            winsock.notifyAll(); // a post from a waiter thread: whoever waits for it
                            return result;
                        } catch (InvocationTargetException failed) {
                            throw failed.getCause();
                        }
                    }
                });
    }

    /** A child the test plays: its three standard handles, its exit. */
    final class Child {
        final long process;
        final int pid;
        final long stdin;
        final long stdout;
        final long stderr;
        final String commandLine;
        Integer exitCode;

        Child(long process, int pid, long stdin, long stdout, long stderr, String commandLine) {
            this.process = process;
            this.pid = pid;
            this.stdin = stdin;
            this.stdout = stdout;
            this.stderr = stderr;
            this.commandLine = commandLine;
        }

        byte[] readStdin() {
            return winsock.takeInbound(stdin);
        }

        void writeStdout(byte[] data) {
            winsock.writeAsChild(stdout, data);
        }

        /** The child ends: its pipe ends close (EOF for the parent), its handle is signalled. */
        void exit(int code) {
            synchronized (lock) {
                if (exitCode != null) {
                    return;
                }
                exitCode = code;
                for (long end : new long[] {stdin, stdout, stderr}) {
                    if (winsock.isOpen(end)) {
                        winsock.closePipeEnd(end);
                    }
                }
                signalled.add(process);
                lock.notifyAll();
            }
        }
    }

    Child child(int index) {
        synchronized (lock) {
            return new ArrayList<>(children.values()).stream().sorted((a, b) -> Integer.compare(a.pid, b.pid))
                    .toList().get(index);
        }
    }

    /** Handles still open in the parent (a leak when the test is over). */
    Set<Long> openHandles() {
        synchronized (lock) {
            return Set.copyOf(open);
        }
    }

    private long handle() {
        long handle = nextHandle += 4;
        open.add(handle);
        return handle;
    }

    @Override
    public long CreateNamedPipeW(long name, int openMode, int pipeMode, int maxInstances, int outBufferSize,
                                 int inBufferSize, int defaultTimeout, long securityAttributes) {
        synchronized (lock) {
            if ((openMode & FILE_FLAG_OVERLAPPED) == 0 || (openMode & FILE_FLAG_FIRST_PIPE_INSTANCE) == 0
                    || maxInstances != 1 || securityAttributes != 0) {
                problems.add("the parent's end must be an overlapped, first and only, non-inheritable instance");
            }
            String pipeName = WideStrings.read(name);
            if (!pipeName.startsWith("\\\\.\\pipe\\") || childEndsByName.containsKey(pipeName)) {
                problems.add("not a fresh pipe name: " + pipeName);
            }
            long[] ends = winsock.namedPipe((openMode & PIPE_ACCESS_OUTBOUND) != 0);
            childEndsByName.put(pipeName, ends[1]);
            open.add(ends[0]);
            return ends[0];
        }
    }

    @Override
    public long CreateFileW(long name, int desiredAccess, int shareMode, long securityAttributes,
                            int creationDisposition, int flagsAndAttributes, long templateFile) {
        synchronized (lock) {
            if (securityAttributes == 0
                    || MEMORY.getInt(securityAttributes + ProcessLayouts.SECURITY_ATTRIBUTES_INHERIT) != 1
                    || MEMORY.getInt(securityAttributes + ProcessLayouts.SECURITY_ATTRIBUTES_LENGTH)
                        != ProcessLayouts.SECURITY_ATTRIBUTES_SIZE) {
                problems.add("a child's end that is not inheritable");
            }
            if ((flagsAndAttributes & FILE_FLAG_OVERLAPPED) != 0) {
                problems.add("a child's end must not be overlapped (the child reads it synchronously)");
            }
            String path = WideStrings.read(name);
            Long end = childEndsByName.remove(path);
            if (end != null) {
                open.add(end);
                return end;
            }
            if (path.startsWith("\\\\.\\pipe\\") || path.contains("missing")) {
                lastError.set(ERROR_FILE_NOT_FOUND);
                return INVALID_HANDLE_VALUE;
            }
            filesOpened.add(path + " access=0x" + Integer.toHexString(desiredAccess) + " disposition=" + creationDisposition);
            return handle();
        }
    }

    @Override
    public int ConnectNamedPipe(long pipe, long overlapped) {
        lastError.set(ERROR_PIPE_CONNECTED);
        return 0;
    }

    @Override
    public int CreateProcessW(long applicationName, long commandLine, long processAttributes, long threadAttributes,
                              int inheritHandles, int creationFlags, long environment, long currentDirectory,
                              long startupInfo, long processInformation) {
        synchronized (lock) {
            String line = WideStrings.read(commandLine);
            commandLines.add(line);
            lastDirectory = currentDirectory == 0 ? null : WideStrings.read(currentDirectory);
            lastCreationFlags = creationFlags;
            lastEnvironment = null;
            if (environment != 0) {
                StringBuilder block = new StringBuilder();
                for (long at = environment; ; at += 2) {
                    char c = (char) MEMORY.getShort(at);
                    block.append(c);
                    if (c == 0 && block.length() >= 2 && block.charAt(block.length() - 2) == 0) {
                        break;
                    }
                }
                lastEnvironment = block.toString();
            }
            if (line.startsWith("missing")) {
                lastError.set(ERROR_FILE_NOT_FOUND);
                return 0;
            }
            checkInheritance(inheritHandles, creationFlags, startupInfo);
            long process = handle();
            long thread = handle();
            Child child = new Child(process, nextPid += 4, MEMORY.getLong(startupInfo + ProcessLayouts.STARTUPINFOW_STD_INPUT),
                    MEMORY.getLong(startupInfo + ProcessLayouts.STARTUPINFOW_STD_OUTPUT),
                    MEMORY.getLong(startupInfo + ProcessLayouts.STARTUPINFOW_STD_ERROR), line);
            children.put(process, child);
            MEMORY.putLong(processInformation + ProcessLayouts.PROCESS_INFORMATION_PROCESS, process);
            MEMORY.putLong(processInformation + ProcessLayouts.PROCESS_INFORMATION_THREAD, thread);
            MEMORY.putInt(processInformation + ProcessLayouts.PROCESS_INFORMATION_PROCESS_ID, child.pid);
            return 1;
        }
    }

    /** Only the child's standard handles, deduplicated, through a list in a STARTUPINFOEXW. */
    private void checkInheritance(int inheritHandles, int creationFlags, long startupInfo) {
        if (MEMORY.getInt(startupInfo + ProcessLayouts.STARTUPINFOW_FLAGS) != STARTF_USESTDHANDLES) {
            problems.add("CreateProcessW without STARTF_USESTDHANDLES");
        }
        Set<Long> standard = new HashSet<>();
        for (int at : new int[] {ProcessLayouts.STARTUPINFOW_STD_INPUT, ProcessLayouts.STARTUPINFOW_STD_OUTPUT,
            ProcessLayouts.STARTUPINFOW_STD_ERROR}) {
            long handle = MEMORY.getLong(startupInfo + at);
            if (handle != 0 && handle != INVALID_HANDLE_VALUE) {
                standard.add(handle);
            }
        }
        int cb = MEMORY.getInt(startupInfo + ProcessLayouts.STARTUPINFOW_CB);
        if ((creationFlags & EXTENDED_STARTUPINFO_PRESENT) == 0) {
            lastInherited = List.of();
            if (inheritHandles != 0 || !standard.isEmpty() || cb != ProcessLayouts.STARTUPINFOW_SIZE) {
                problems.add("CreateProcessW without a handle list: the child would inherit every inheritable handle");
            }
            return;
        }
        List<Long> listed = attributeLists.get(MEMORY.getLong(startupInfo + ProcessLayouts.STARTUPINFOEXW_ATTRIBUTE_LIST));
        if (cb != ProcessLayouts.STARTUPINFOEXW_SIZE || inheritHandles != 1 || listed == null) {
            problems.add("EXTENDED_STARTUPINFO_PRESENT without a STARTUPINFOEXW, bInheritHandles or an updated list");
            return;
        }
        lastInherited = List.copyOf(listed);
        if (listed.size() != Set.copyOf(listed).size() || !Set.copyOf(listed).equals(standard)) {
            problems.add("the handle list " + listed + " is not the child's standard handles " + standard);
        }
    }

    @Override
    public int InitializeProcThreadAttributeList(long attributeList, int attributeCount, int flags, long size) {
        synchronized (lock) {
            if (attributeCount != 1 || flags != 0) {
                problems.add("an attribute list for other than one attribute");
            }
            if (attributeList == 0) {
                MEMORY.putLong(size, ATTRIBUTE_LIST_SIZE);
                lastError.set(ERROR_INSUFFICIENT_BUFFER);
                return 0;
            }
            if (MEMORY.getLong(size) < ATTRIBUTE_LIST_SIZE || attributeLists.containsKey(attributeList)) {
                problems.add("an attribute list smaller than asked for, or initialized twice");
            }
            attributeLists.put(attributeList, null);
            open.add(attributeList); // a leak until DeleteProcThreadAttributeList
            return 1;
        }
    }

    @Override
    public int UpdateProcThreadAttribute(long attributeList, int flags, long attribute, long value, long size,
                                         long previousValue, long returnSize) {
        synchronized (lock) {
            if (!attributeLists.containsKey(attributeList) || attribute != PROC_THREAD_ATTRIBUTE_HANDLE_LIST
                    || size <= 0 || size % 8 != 0 || flags != 0) {
                problems.add("UpdateProcThreadAttribute: not a handle list on an initialized attribute list");
                return 0;
            }
            List<Long> handles = new ArrayList<>();
            for (long at = 0; at < size; at += 8) {
                handles.add(MEMORY.getLong(value + at));
            }
            attributeLists.put(attributeList, handles);
            return 1;
        }
    }

    @Override
    public void DeleteProcThreadAttributeList(long attributeList) {
        synchronized (lock) {
            if (!attributeLists.containsKey(attributeList)) {
                problems.add("DeleteProcThreadAttributeList of a list not initialized");
            }
            attributeLists.remove(attributeList);
            open.remove(attributeList);
        }
    }

    @Override
    public long GetStdHandle(int which) {
        return standardHandle;
    }

    @Override
    public long GetCurrentProcess() {
        return CURRENT_PROCESS;
    }

    @Override
    public int DuplicateHandle(long sourceProcess, long source, long targetProcess, long target, int desiredAccess,
                               int inheritHandle, int options) {
        synchronized (lock) {
            if (source != standardHandle || inheritHandle != 1 || options != DUPLICATE_SAME_ACCESS) {
                problems.add("DuplicateHandle of something else than the standard handle, or not inheritable");
            }
            inheritableDuplicates++;
            MEMORY.putLong(target, handle());
            return 1;
        }
    }

    @Override
    public int CloseHandle(long handle) {
        synchronized (lock) {
            if (!open.remove(handle)) {
                problems.add("CloseHandle of a handle not open: " + handle);
                lastError.set(ERROR_INVALID_HANDLE);
                return 0;
            }
            if (winsock.isOpen(handle) && !isChildEnd(handle)) {
                Child reader = readerOf(handle);
                winsock.closeNamedPipeEnd(handle);
                if (reader != null && onStdinClosed != null) {
                    onStdinClosed.accept(reader);
                }
            }
            events.remove(handle);
            lock.notifyAll();
            return 1;
        }
    }

    /** A child's end the parent closes after CreateProcessW: the child keeps its inherited copy. */
    private boolean isChildEnd(long handle) {
        for (Child child : children.values()) {
            if (handle == child.stdin || handle == child.stdout || handle == child.stderr) {
                return true;
            }
        }
        return childEndsByName.containsValue(handle);
    }

    /** The child whose stdin is the pipe whose parent's end is {@code handle}, if any. */
    private Child readerOf(long handle) {
        for (Child child : children.values()) {
            if (child.exitCode == null && winsock.isOpen(child.stdin) && winsock.peerIs(child.stdin, handle)) {
                return child;
            }
        }
        return null;
    }

    @Override
    public int TerminateProcess(long process, int exitCode) {
        Child child;
        synchronized (lock) {
            child = children.get(process);
            if (child == null || !open.contains(process)) {
                lastError.set(ERROR_INVALID_HANDLE);
                return 0;
            }
            if (child.exitCode != null) {
                lastError.set(ERROR_ACCESS_DENIED);
                return 0;
            }
        }
        child.exit(exitCode);
        return 1;
    }

    @Override
    public int GetExitCodeProcess(long process, long exitCode) {
        synchronized (lock) {
            Child child = children.get(process);
            if (child == null || !open.contains(process)) {
                lastError.set(ERROR_INVALID_HANDLE);
                return 0;
            }
            MEMORY.putInt(exitCode, child.exitCode == null ? STILL_ACTIVE : child.exitCode);
            return 1;
        }
    }

    @Override
    public int GenerateConsoleCtrlEvent(int event, int processGroupId) {
        synchronized (lock) {
            ctrlEvents.add(new int[] {event, processGroupId});
            return 1;
        }
    }

    @Override
    public long CreateEventW(long attributes, int manualReset, int initialState, long name) {
        synchronized (lock) {
            long event = handle();
            events.add(event);
            return event;
        }
    }

    @Override
    public int SetEvent(long event) {
        synchronized (lock) {
            if (!events.contains(event)) {
                problems.add("SetEvent of something else than an open event");
                return 0;
            }
            signalled.add(event);
            lock.notifyAll();
            return 1;
        }
    }

    /** Blocks (the waiter thread) until one of the handles is signalled; an event resets on the way out. */
    @Override
    public int WaitForMultipleObjects(int count, long handles, int waitAll, int milliseconds) {
        synchronized (lock) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (true) {
                for (int i = 0; i < count; i++) {
                    long handle = MEMORY.getLong(handles + 8L * i);
                    if (!open.contains(handle)) {
                        problems.add("WaitForMultipleObjects on a closed handle: " + handle);
                        lastError.set(ERROR_INVALID_HANDLE);
                        return WAIT_FAILED;
                    }
                    if (signalled.contains(handle)) {
                        if (events.contains(handle)) {
                            signalled.remove(handle); // auto-reset
                        }
                        return WAIT_OBJECT_0 + i;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    problems.add("a waiter thread waited 10 s");
                    return WAIT_FAILED;
                }
                try {
                    lock.wait(left / 1_000_000 + 1);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return WAIT_FAILED;
                }
            }
        }
    }

    @Override
    public int lastError() {
        return lastError.get();
    }
}
