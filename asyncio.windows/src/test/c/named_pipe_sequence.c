/*
 * The Win32 calls asyncio.windows makes for named pipes (NamedPipes, WindowsPipeServer and the
 * port's connectPipe): a server instance made overlapped and duplex by CreateNamedPipeW with
 * FILE_FLAG_FIRST_PIPE_INSTANCE, associated with the port; an overlapped ConnectNamedPipe in flight until a
 * client opens the pipe with CreateFileW (FILE_FLAG_OVERLAPPED), whose completion comes through the
 * port; a further client finding no waiting instance gets ERROR_PIPE_BUSY; bytes both ways with
 * WriteFile/ReadFile; the client's CloseHandle ends the server's pending ReadFile with
 * ERROR_BROKEN_PIPE; a client that opened an instance before its ConnectNamedPipe makes it answer
 * ERROR_PIPE_CONNECTED with no completion queued; closing a waiting instance aborts its
 * ConnectNamedPipe. Checked-in output: named-pipe-sequence.txt.
 */
#include "port_sequence.h"

static const wchar_t *NAME = L"\\\\.\\pipe\\asyncio-java-named-pipe-sequence";

static HANDLE create_instance(BOOL first) {
    trace("CreateNamedPipeW");
    return CreateNamedPipeW(NAME, PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED | (first ? FILE_FLAG_FIRST_PIPE_INSTANCE : 0),
                            PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT, PIPE_UNLIMITED_INSTANCES, 8192, 8192,
                            NMPWAIT_WAIT_FOREVER, NULL);
}

static HANDLE server_instance(BOOL first) {
    HANDLE handle = create_instance(first);
    check("CreateNamedPipeW makes an instance", handle != INVALID_HANDLE_VALUE);
    associate(handle);
    return handle;
}

static HANDLE open_client(void) {
    trace("CreateFileW");
    return CreateFileW(NAME, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
}

static HANDLE client(void) {
    HANDLE handle = open_client();
    check("CreateFileW opens the pipe", handle != INVALID_HANDLE_VALUE);
    associate(handle);
    return handle;
}

static void closed(HANDLE handle, const char *what) {
    trace("CloseHandle");
    check(what, CloseHandle(handle));
}

/* GetOverlappedResult without waiting: the Win32 error of a failed operation. */
static DWORD error_of(HANDLE handle, op_block *op) {
    DWORD transferred = 0;
    trace("GetOverlappedResult");
    return GetOverlappedResult(handle, &op->overlapped, &transferred, FALSE) ? 0 : GetLastError();
}

/* WriteFile on from and ReadFile on to, both through the port. */
static void transfer(HANDLE from, HANDLE to, const char *text) {
    op_block sent = {0};
    op_block got = {0};
    DWORD length = (DWORD) strlen(text);
    memcpy(sent.data, text, length);
    trace("WriteFile");
    issued("WriteFile", WriteFile(from, sent.data, length, NULL, &sent.overlapped));
    trace("ReadFile");
    issued("ReadFile", ReadFile(to, got.data, sizeof got.data, NULL, &got.overlapped));
    check("WriteFile wrote everything", drain(&sent) == length);
    DWORD n = drain(&got);
    check("ReadFile got the bytes", n == length && memcmp(got.data, text, length) == 0);
}

int main(void) {
    open_port();

    /*
     * start_serving_pipe: the first instance claims the name. (Windows refuses a second first
     * instance with ERROR_ACCESS_DENIED; Wine 8 does not enforce FILE_FLAG_FIRST_PIPE_INSTANCE,
     * so that is left to FakeNamedPipes, as the SDK documents it.)
     */
    HANDLE server1 = server_instance(TRUE);

    /* the instance waits for a client through the port */
    op_block accept1 = {0};
    trace("ConnectNamedPipe");
    BOOL ok = ConnectNamedPipe(server1, &accept1.overlapped);
    check("ConnectNamedPipe is in flight (no client yet)", !ok && GetLastError() == ERROR_IO_PENDING);

    /* create_pipe_connection */
    HANDLE client1 = client();
    drain(&accept1);
    check("ConnectNamedPipe completed through the port", accept1.overlapped.Internal == 0);

    /* every instance is connected: a further client is told to try again */
    HANDLE busy = open_client();
    check("CreateFileW with no instance waiting: ERROR_PIPE_BUSY",
          busy == INVALID_HANDLE_VALUE && GetLastError() == ERROR_PIPE_BUSY);

    /* a duplex pipe: bytes both ways */
    transfer(client1, server1, "ping");
    transfer(server1, client1, "pong");

    /* the client goes: the server's pending ReadFile ends with ERROR_BROKEN_PIPE (EOF) */
    op_block eof = {0};
    trace("ReadFile");
    issued("ReadFile", ReadFile(server1, eof.data, sizeof eof.data, NULL, &eof.overlapped));
    closed(client1, "CloseHandle the client's end");
    drain(&eof);
    check("ReadFile ends with ERROR_BROKEN_PIPE", error_of(server1, &eof) == ERROR_BROKEN_PIPE);

    /* a client that comes before ConnectNamedPipe: ERROR_PIPE_CONNECTED, nothing queued */
    HANDLE server2 = server_instance(FALSE);
    HANDLE client2 = client();
    op_block accept2 = {0};
    trace("ConnectNamedPipe");
    ok = ConnectNamedPipe(server2, &accept2.overlapped);
    check("ConnectNamedPipe: ERROR_PIPE_CONNECTED (the client came first)", !ok && GetLastError() == ERROR_PIPE_CONNECTED);
    OVERLAPPED_ENTRY entries[4];
    ULONG removed = 0;
    trace("GetQueuedCompletionStatusEx");
    ok = GetQueuedCompletionStatusEx(port, entries, 4, &removed, 0, FALSE);
    check("no completion is queued for it", !ok && GetLastError() == WAIT_TIMEOUT);

    /* PipeServer.close(): closing the waiting instance aborts its ConnectNamedPipe */
    HANDLE server3 = server_instance(FALSE);
    op_block accept3 = {0};
    trace("ConnectNamedPipe");
    ok = ConnectNamedPipe(server3, &accept3.overlapped);
    check("ConnectNamedPipe is in flight", !ok && GetLastError() == ERROR_IO_PENDING);
    closed(server3, "CloseHandle the waiting instance");
    drain(&accept3);
    /* Windows reports ERROR_OPERATION_ABORTED, Wine 8 another code: the loop takes any failure of
       an operation whose handle it closed as cancelled. */
    check("the aborted ConnectNamedPipe completes failed", error_of(server3, &accept3) != 0);

    closed(server1, "CloseHandle the first instance");
    closed(server2, "CloseHandle the second instance");
    closed(client2, "CloseHandle the second client");
    closed(port, "CloseHandle the port");
    printf("%s\n", failures == 0 ? "done" : "FAILED");
    return failures == 0 ? 0 : 1;
}
