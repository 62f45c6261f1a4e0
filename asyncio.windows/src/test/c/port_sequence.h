/*
 * What named_pipe_sequence.c and process_sequence.c share: the output (a traced call a line,
 * "check <what> ok|FAILED" for what was verified), the OVERLAPPED block of an operation, one
 * traced wait for an operation's completion that keeps what came first for a later wait, and the
 * port's opening and a handle's association with it as the Java port makes them. Each program
 * includes it and run-under-wine.sh still compiles each alone (a quoted include is found beside it).
 */
#ifndef PORT_SEQUENCE_H
#define PORT_SEQUENCE_H

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
static op_block *seen[16];
static DWORD seen_bytes[16];
static int seen_count;

static void trace(const char *call) {
    printf("%s\n", call);
}

static void check(const char *what, int ok) {
    printf("check %s %s\n", what, ok ? "ok" : "FAILED");
    if (!ok) {
        failures++;
    }
}

static void issued(const char *what, BOOL succeeded) {
    DWORD error = succeeded ? 0 : GetLastError();
    char text[128];
    snprintf(text, sizeof text, "%s is in flight", what);
    check(text, succeeded || error == ERROR_IO_PENDING);
}

/* One traced wait for the completion of want: a completion removed by an earlier wait counts. */
static DWORD drain(op_block *want) {
    trace("GetQueuedCompletionStatusEx");
    for (int round = 0; round < 100; round++) {
        for (int i = 0; i < seen_count; i++) {
            if (seen[i] == want) {
                DWORD bytes = seen_bytes[i];
                seen[i] = seen[--seen_count];
                seen_bytes[i] = seen_bytes[seen_count];
                return bytes;
            }
        }
        OVERLAPPED_ENTRY entries[16];
        ULONG removed = 0;
        if (!GetQueuedCompletionStatusEx(port, entries, 16, &removed, 5000, FALSE)) {
            break;
        }
        for (ULONG i = 0; i < removed && seen_count < 16; i++) {
            seen[seen_count] = (op_block *) entries[i].lpOverlapped;
            seen_bytes[seen_count++] = entries[i].dwNumberOfBytesTransferred;
        }
    }
    check("the completion came in time", 0);
    return 0;
}

/* Winsock started and the port made, as IocpCompletionPort opens them. */
static void open_port(void) {
    WSADATA wsa;
    trace("WSAStartup version=0x202");
    check("WSAStartup", WSAStartup(MAKEWORD(2, 2), &wsa) == 0);
    trace("CreateIoCompletionPort new");
    port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    check("CreateIoCompletionPort", port != NULL);
}

static void associate(HANDLE handle) {
    trace("CreateIoCompletionPort associate key=0");
    check("CreateIoCompletionPort associates", CreateIoCompletionPort(handle, port, 0, 0) == port);
    trace("SetFileCompletionNotificationModes flags=2");
    check("SetFileCompletionNotificationModes", SetFileCompletionNotificationModes(handle, FILE_SKIP_SET_EVENT_ON_HANDLE));
}

#endif
