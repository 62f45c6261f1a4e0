/*
 * The Win32 calls asyncio.windows makes for a subprocess (WindowsProcess, ExitWaiters and the
 * port): the child's stdin and stdout as named pipes whose parent ends are overlapped
 * (CreateNamedPipeW) and whose child ends are inheritable (CreateFileW with bInheritHandle),
 * ConnectNamedPipe answering ERROR_PIPE_CONNECTED, CreateProcessW with STARTUPINFOEXW
 * (STARTF_USESTDHANDLES, EXTENDED_STARTUPINFO_PRESENT) whose PROC_THREAD_ATTRIBUTE_HANDLE_LIST
 * names only the child's standard handles (the list sized by a first InitializeProcThreadAttributeList
 * call, deleted right after CreateProcessW), the child's ends and thread handle closed, the parent's ends associated with the port; the exit
 * waited for by a waiter thread (WaitForMultipleObjects on its doorbell event and the process)
 * that posts the wait's OVERLAPPED to the port; WriteFile to the child's stdin, ReadFile of its
 * answer, EOF as ERROR_BROKEN_PIPE once it exited, its exit code, every handle closed.
 * The child is this program run with the argument "child": it reads one line and answers it,
 * then waits for EOF on its stdin (the parent closes its end, as communicate() does) and exits with
 * code 3, so the parent's last ReadFile is surely in flight when the child goes. Calls of the waiter thread are checked, not traced (their order with
 * the main thread's is the scheduler's). Checked-in output: process-sequence.txt.
 * The handle list is proven, untraced: an inheritable pipe write end that is not in the list
 * (its value on the child's command line) is inherited by a control child started without a list
 * (mode "probe": it writes a byte through it), and not by the real child, which finds the value
 * unusable, and whose running does not keep that pipe open: the parent sees ERROR_BROKEN_PIPE on
 * its read end as soon as it closed its own write end.
 */
#include "port_sequence.h"

/* The waiter thread of ExitWaiters: its doorbell and one process; the exit is posted to the port. */
static HANDLE doorbell;
static HANDLE child_process;
static op_block exit_wait;
static volatile LONG stopping;

static DWORD WINAPI waiter(LPVOID unused) {
    (void) unused;
    int waiting = 1;
    while (!stopping) {
        HANDLE handles[2] = {doorbell, child_process};
        DWORD result = WaitForMultipleObjects(waiting ? 2 : 1, handles, FALSE, INFINITE);
        if (result == WAIT_OBJECT_0 + 1) {
            waiting = 0;
            exit_wait.overlapped.Internal = 0; /* STATUS_SUCCESS, where the port reads the outcome */
            if (!PostQueuedCompletionStatus(port, 0, 0, &exit_wait.overlapped)) {
                failures++;
            }
        } else if (result != WAIT_OBJECT_0) {
            failures++;
            break;
        }
    }
    CloseHandle(doorbell);
    return 0;
}

static HANDLE handle_of(const char *value) {
    return (HANDLE) (INT_PTR) _strtoi64(value, NULL, 10);
}

/* Whether a handle value from the command line is a handle this process can write to. */
static int usable(const char *value) {
    DWORD written = 0;
    return WriteFile(handle_of(value), "x", 1, &written, NULL) && written == 1;
}

/* Whether a handle value from the command line names an open handle here (the parent may have closed its read end). */
static int held(const char *value) {
    DWORD flags = 0;
    return GetHandleInformation(handle_of(value), &flags);
}

static int child(const char *unlisted) {
    char line[64];
    DWORD got = 0;
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    if (!ReadFile(in, line, sizeof line, &got, NULL)) {
        return 10;
    }
    char answer[80];
    int length = snprintf(answer, sizeof answer, "got:%.*s", (int) got, line);
    DWORD written = 0;
    if (!WriteFile(out, answer, (DWORD) length, &written, NULL) || written != (DWORD) length) {
        return 11;
    }
    while (ReadFile(in, line, sizeof line, &got, NULL) && got > 0) {
        /* until the parent closes its end */
    }
    return held(unlisted) ? 12 : 3; /* 12: a handle not in the list was inherited */
}

/* A named pipe as WindowsProcess makes one: returns the parent's end, *child_end the child's. */
static HANDLE pipe_for(int n, BOOL stdin_pipe, HANDLE *child_end) {
    wchar_t name[128];
    swprintf(name, 128, L"\\\\.\\pipe\\asyncio-java-%lu-%d", (unsigned long) GetCurrentProcessId(), n);
    trace("CreateNamedPipeW");
    HANDLE parent = CreateNamedPipeW(name,
            (stdin_pipe ? PIPE_ACCESS_OUTBOUND : PIPE_ACCESS_INBOUND) | FILE_FLAG_OVERLAPPED | FILE_FLAG_FIRST_PIPE_INSTANCE,
            PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS, 1, 8192, 8192,
            NMPWAIT_WAIT_FOREVER, NULL);
    check("CreateNamedPipeW", parent != INVALID_HANDLE_VALUE);
    SECURITY_ATTRIBUTES inheritable = {sizeof inheritable, NULL, TRUE};
    trace("CreateFileW");
    *child_end = CreateFileW(name, stdin_pipe ? GENERIC_READ : GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
            &inheritable, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    check("CreateFileW opens the child's end", *child_end != INVALID_HANDLE_VALUE);
    static OVERLAPPED connect;
    memset(&connect, 0, sizeof connect);
    trace("ConnectNamedPipe");
    BOOL connected = ConnectNamedPipe(parent, &connect);
    check("ConnectNamedPipe: ERROR_PIPE_CONNECTED (the child's end is open)",
          !connected && GetLastError() == ERROR_PIPE_CONNECTED);
    return parent;
}

int main(int argc, char **argv) {
    if (argc > 2 && strcmp(argv[1], "child") == 0) {
        return child(argv[2]);
    }
    if (argc > 2 && strcmp(argv[1], "probe") == 0) {
        return usable(argv[2]) ? 4 : 5;
    }
    open_port();

    /* untraced: an inheritable handle the list leaves out, and a control child that inherits it without a list */
    SECURITY_ATTRIBUTES inherit_all = {sizeof inherit_all, NULL, TRUE};
    HANDLE unlisted_read, unlisted_write;
    check("CreatePipe of the unlisted handle (untraced)", CreatePipe(&unlisted_read, &unlisted_write, &inherit_all, 0));
    check("its read end is not inheritable (untraced)", SetHandleInformation(unlisted_read, HANDLE_FLAG_INHERIT, 0));
    wchar_t self[MAX_PATH];
    GetModuleFileNameW(NULL, self, MAX_PATH);
    wchar_t command_line[MAX_PATH + 64];
    swprintf(command_line, MAX_PATH + 64, L"\"%ls\" probe %lld", self, (long long) (INT_PTR) unlisted_write);
    STARTUPINFOW plain;
    memset(&plain, 0, sizeof plain);
    plain.cb = sizeof plain;
    PROCESS_INFORMATION probe;
    check("CreateProcessW of the control child, no list (untraced)",
          CreateProcessW(NULL, command_line, NULL, NULL, TRUE, 0, NULL, NULL, &plain, &probe));
    DWORD probe_code = 0;
    check("without a list the control child inherits the unlisted handle (untraced)",
          WaitForSingleObject(probe.hProcess, 10000) == WAIT_OBJECT_0
          && GetExitCodeProcess(probe.hProcess, &probe_code) && probe_code == 4);
    CloseHandle(probe.hThread);
    CloseHandle(probe.hProcess);
    char probed = 0;
    DWORD probed_count = 0;
    check("the control child's byte came through the unlisted handle (untraced)",
          ReadFile(unlisted_read, &probed, 1, &probed_count, NULL) && probed_count == 1 && probed == 'x');

    /* spawn */
    HANDLE child_in, child_out;
    HANDLE parent_in = pipe_for(1, TRUE, &child_in);
    HANDLE parent_out = pipe_for(2, FALSE, &child_out);
    STARTUPINFOEXW startup;
    memset(&startup, 0, sizeof startup);
    startup.StartupInfo.cb = sizeof startup;
    startup.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
    startup.StartupInfo.hStdInput = child_in;
    startup.StartupInfo.hStdOutput = child_out;
    startup.StartupInfo.hStdError = child_out; /* stderr=STDOUT: listed once */
    HANDLE listed[2] = {child_in, child_out};
    SIZE_T list_size = 0;
    trace("InitializeProcThreadAttributeList");
    check("InitializeProcThreadAttributeList without a list: ERROR_INSUFFICIENT_BUFFER and the size",
          !InitializeProcThreadAttributeList(NULL, 1, 0, &list_size) && GetLastError() == ERROR_INSUFFICIENT_BUFFER
          && list_size > 0);
    startup.lpAttributeList = HeapAlloc(GetProcessHeap(), 0, list_size);
    trace("InitializeProcThreadAttributeList");
    check("InitializeProcThreadAttributeList", InitializeProcThreadAttributeList(startup.lpAttributeList, 1, 0, &list_size));
    trace("UpdateProcThreadAttribute");
    check("UpdateProcThreadAttribute PROC_THREAD_ATTRIBUTE_HANDLE_LIST",
          UpdateProcThreadAttribute(startup.lpAttributeList, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, listed,
                                    sizeof listed, NULL, NULL));
    PROCESS_INFORMATION info;
    memset(&info, 0, sizeof info);
    swprintf(command_line, MAX_PATH + 64, L"\"%ls\" child %lld", self, (long long) (INT_PTR) unlisted_write);
    trace("CreateProcessW");
    check("CreateProcessW", CreateProcessW(NULL, command_line, NULL, NULL, TRUE, EXTENDED_STARTUPINFO_PRESENT, NULL,
                                           NULL, &startup.StartupInfo, &info));
    trace("DeleteProcThreadAttributeList");
    DeleteProcThreadAttributeList(startup.lpAttributeList);
    HeapFree(GetProcessHeap(), 0, startup.lpAttributeList);
    child_process = info.hProcess;
    trace("CloseHandle");
    check("CloseHandle the thread", CloseHandle(info.hThread));
    trace("CloseHandle");
    check("CloseHandle the child's stdin end", CloseHandle(child_in));
    trace("CloseHandle");
    check("CloseHandle the child's stdout end", CloseHandle(child_out));
    /* the child runs (it waits for its stdin's EOF): nobody else holds the unlisted pipe's write end */
    CloseHandle(unlisted_write);
    DWORD available = 0;
    check("the running child did not inherit the unlisted handle: its pipe is broken (untraced)",
          !PeekNamedPipe(unlisted_read, NULL, 0, NULL, &available, NULL) && GetLastError() == ERROR_BROKEN_PIPE);
    CloseHandle(unlisted_read);
    associate(parent_in);
    associate(parent_out);

    /* the exit wait: a waiter thread with its doorbell */
    trace("CreateEventW");
    doorbell = CreateEventW(NULL, FALSE, FALSE, NULL);
    check("CreateEventW", doorbell != NULL);
    memset(&exit_wait, 0, sizeof exit_wait);
    trace("SetEvent");
    check("SetEvent", SetEvent(doorbell));
    HANDLE thread = CreateThread(NULL, 0, waiter, NULL, 0, NULL);
    check("the waiter thread starts (untraced)", thread != NULL);

    /* a line to the child, its answer back */
    static op_block write_op, read_op, eof_op;
    memset(&write_op, 0, sizeof write_op);
    memcpy(write_op.data, "ping", 4);
    trace("WriteFile");
    issued("WriteFile", WriteFile(parent_in, write_op.data, 4, NULL, &write_op.overlapped));
    memset(&read_op, 0, sizeof read_op);
    trace("ReadFile");
    issued("ReadFile", ReadFile(parent_out, read_op.data, sizeof read_op.data, NULL, &read_op.overlapped));
    DWORD wrote = drain(&write_op);
    DWORD got = drain(&read_op);
    check("WriteFile wrote the 4 bytes", wrote == 4 && write_op.overlapped.Internal == 0);
    check("ReadFile got the answer", got == 8 && memcmp(read_op.data, "got:ping", 8) == 0);

    /* stdin closed: the child exits; EOF on its stdout, then the exit posted by the waiter */
    memset(&eof_op, 0, sizeof eof_op);
    trace("ReadFile");
    issued("ReadFile", ReadFile(parent_out, eof_op.data, sizeof eof_op.data, NULL, &eof_op.overlapped));
    trace("CloseHandle");
    check("CloseHandle the stdin pipe", CloseHandle(parent_in));
    DWORD bytes = drain(&eof_op);
    check("EOF: ReadFile completes with 0 bytes", bytes == 0);
    check("EOF as an error status", eof_op.overlapped.Internal != 0);
    DWORD transferred = 0;
    trace("GetOverlappedResult");
    BOOL ok = GetOverlappedResult(parent_out, &eof_op.overlapped, &transferred, FALSE);
    check("GetOverlappedResult: ERROR_BROKEN_PIPE, which the port reads as EOF",
          !ok && GetLastError() == ERROR_BROKEN_PIPE);
    drain(&exit_wait);
    check("the exit wait completed with STATUS_SUCCESS", exit_wait.overlapped.Internal == 0);
    DWORD code = 0;
    trace("GetExitCodeProcess");
    check("GetExitCodeProcess: 3 (12: the child held the unlisted handle)",
          GetExitCodeProcess(child_process, &code) && code == 3);
    trace("CloseHandle");
    check("CloseHandle the process", CloseHandle(child_process));
    trace("CloseHandle");
    check("CloseHandle the stdout pipe", CloseHandle(parent_out));

    /* the port closes: the waiter thread stops (and closes its doorbell), then the port's handle */
    stopping = 1;
    trace("SetEvent");
    check("SetEvent", SetEvent(doorbell));
    check("the waiter thread ends (untraced)", WaitForSingleObject(thread, 5000) == WAIT_OBJECT_0);
    CloseHandle(thread);
    trace("CloseHandle");
    check("CloseHandle port", CloseHandle(port));
    printf(failures == 0 ? "done\n" : "FAILED\n");
    return failures == 0 ? 0 : 1;
}
