/*
 * The Win32 calls asyncio.windows' IOCP completion port makes on a pipe end it adopts: on Windows
 * the JDK's NIO pipe is a connected socket pair, which the port associates and then reads with
 * ReadFile and writes with WriteFile (overlapped); the writer's close is EOF, a ReadFile completing
 * with 0 bytes. Making the pair and closing the writer are the JDK's calls, not the port's, so they
 * are not traced. Checked-in output: src/test/resources/asyncio/windows/pipe-sequence.txt.
 */
#include <winsock2.h>
#include <windows.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    OVERLAPPED overlapped;
    char data[64];
} op_block;

static HANDLE port;
static int failures;

static void trace(const char *call, const char *details) {
    printf("%s%s%s\n", call, details[0] ? " " : "", details);
}

static void check(const char *what, int ok) {
    printf("check %s %s\n", what, ok ? "ok" : "FAILED");
    if (!ok) {
        failures++;
    }
}

static void adopt(SOCKET s) {
    trace("CreateIoCompletionPort", "associate key=0");
    check("CreateIoCompletionPort associates", CreateIoCompletionPort((HANDLE) s, port, 0, 0) == port);
    trace("SetFileCompletionNotificationModes", "flags=2");
    check("SetFileCompletionNotificationModes", SetFileCompletionNotificationModes((HANDLE) s, FILE_SKIP_SET_EVENT_ON_HANDLE));
}

static void issued(const char *what, BOOL succeeded) {
    DWORD error = succeeded ? 0 : GetLastError();
    char text[128];
    snprintf(text, sizeof text, "%s is in flight (error %lu)", what, (unsigned long) error);
    check(text, succeeded || error == ERROR_IO_PENDING);
}

/* Waits for the completions of every block in want[], recording their byte counts. */
static void drain(op_block **want, DWORD *bytes, int count) {
    OVERLAPPED_ENTRY entries[16];
    int done = 0;
    while (done < count) {
        ULONG removed = 0;
        trace("GetQueuedCompletionStatusEx", "");
        if (!GetQueuedCompletionStatusEx(port, entries, 16, &removed, 5000, FALSE)) {
            check("GetQueuedCompletionStatusEx in time", 0);
            return;
        }
        for (ULONG i = 0; i < removed; i++) {
            for (int j = 0; j < count; j++) {
                if (entries[i].lpOverlapped == &want[j]->overlapped) {
                    bytes[j] = entries[i].dwNumberOfBytesTransferred;
                    done++;
                }
            }
        }
    }
}

int main(void) {
    WSADATA wsa;
    trace("WSAStartup", "version=0x202");
    check("WSAStartup", WSAStartup(MAKEWORD(2, 2), &wsa) == 0);
    trace("CreateIoCompletionPort", "new");
    port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    check("CreateIoCompletionPort", port != NULL);

    /* the JDK's pipe: a loopback socket pair (untraced) */
    SOCKET listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct sockaddr_in address = {0};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int length = sizeof address;
    check("pair: bind, listen", bind(listener, (struct sockaddr *) &address, sizeof address) == 0
          && listen(listener, 1) == 0 && getsockname(listener, (struct sockaddr *) &address, &length) == 0);
    SOCKET sink = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    check("pair: connect", connect(sink, (struct sockaddr *) &address, sizeof address) == 0);
    SOCKET source = accept(listener, NULL, NULL);
    check("pair: accept", source != INVALID_SOCKET);
    closesocket(listener);

    adopt(source);
    adopt(sink);
    static op_block read_op, write_op, eof_op;
    memset(&read_op, 0, sizeof read_op);
    trace("ReadFile", "");
    issued("ReadFile", ReadFile((HANDLE) source, read_op.data, sizeof read_op.data, NULL, &read_op.overlapped));
    memset(&write_op, 0, sizeof write_op);
    memcpy(write_op.data, "data", 4);
    trace("WriteFile", "");
    issued("WriteFile", WriteFile((HANDLE) sink, write_op.data, 4, NULL, &write_op.overlapped));
    op_block *both[] = {&read_op, &write_op};
    DWORD bytes[2] = {0};
    drain(both, bytes, 2);
    check("ReadFile got the 4 bytes", bytes[0] == 4 && memcmp(read_op.data, "data", 4) == 0 && read_op.overlapped.Internal == 0);
    check("WriteFile wrote them", bytes[1] == 4 && write_op.overlapped.Internal == 0);

    check("the writer closes (untraced: the JDK's)", closesocket(sink) == 0);
    memset(&eof_op, 0, sizeof eof_op);
    trace("ReadFile", "");
    issued("ReadFile", ReadFile((HANDLE) source, eof_op.data, sizeof eof_op.data, NULL, &eof_op.overlapped));
    op_block *eof[] = {&eof_op};
    drain(eof, bytes, 1);
    check("EOF: ReadFile completes with 0 bytes", bytes[0] == 0);
    if (eof_op.overlapped.Internal != 0) {
        DWORD transferred = 0;
        trace("GetOverlappedResult", "");
        BOOL ok = GetOverlappedResult((HANDLE) source, &eof_op.overlapped, &transferred, FALSE);
        DWORD error = GetLastError();
        printf("check EOF as an error: %lu (the port maps ERROR_BROKEN_PIPE and ERROR_HANDLE_EOF to EOF) %s\n",
               (unsigned long) error, !ok && (error == ERROR_BROKEN_PIPE || error == ERROR_HANDLE_EOF) ? "ok" : "FAILED");
        if (ok || !(error == ERROR_BROKEN_PIPE || error == ERROR_HANDLE_EOF)) {
            failures++;
        }
    }
    check("the reader closes (untraced: the JDK's)", closesocket(source) == 0);
    trace("CloseHandle", "");
    check("CloseHandle port", CloseHandle(port));
    printf(failures == 0 ? "done\n" : "FAILED\n");
    return failures == 0 ? 0 : 1;
}
