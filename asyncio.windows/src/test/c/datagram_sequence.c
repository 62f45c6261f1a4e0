/*
 * The Win32 calls asyncio.windows' IOCP completion port makes for a UDP round trip and two
 * wake-ups, made for real and traced like echo_sequence.c: WSARecvFrom waiting, WSASendTo to it,
 * both completing through GetQueuedCompletionStatusEx with the sender's address; then
 * PostQueuedCompletionStatus, whose entry has no OVERLAPPED (how the port tells a wake-up from an
 * operation). Checked-in output: src/test/resources/asyncio/windows/datagram-sequence.txt.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    OVERLAPPED overlapped;
    WSABUF wsabuf;
    DWORD flags;
    INT address_length;
    struct sockaddr_in address;
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

static SOCKET open_socket(void) {
    trace("WSASocketW", "af=2 type=2 protocol=17 flags=0x81");
    SOCKET s = WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
    check("WSASocketW", s != INVALID_SOCKET);
    trace("CreateIoCompletionPort", "associate key=0");
    check("CreateIoCompletionPort associates", CreateIoCompletionPort((HANDLE) s, port, 0, 0) == port);
    trace("SetFileCompletionNotificationModes", "flags=2");
    check("SetFileCompletionNotificationModes", SetFileCompletionNotificationModes((HANDLE) s, FILE_SKIP_SET_EVENT_ON_HANDLE));
    return s;
}

static void bind_loopback(SOCKET s, struct sockaddr_in *bound) {
    struct sockaddr_in address = {0};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    trace("bind", "");
    check("bind", bind(s, (struct sockaddr *) &address, sizeof address) == 0);
    int length = sizeof *bound;
    trace("getsockname", "");
    check("getsockname", getsockname(s, (struct sockaddr *) bound, &length) == 0 && length == sizeof *bound);
}

static void issued(const char *what, int succeeded) {
    int error = succeeded ? 0 : WSAGetLastError();
    char text[128];
    snprintf(text, sizeof text, "%s is in flight (error %d)", what, error);
    check(text, succeeded || error == WSA_IO_PENDING);
}

static ULONG wait_entries(OVERLAPPED_ENTRY *entries, ULONG count) {
    ULONG removed = 0;
    trace("GetQueuedCompletionStatusEx", "");
    if (!GetQueuedCompletionStatusEx(port, entries, count, &removed, 5000, FALSE)) {
        check("GetQueuedCompletionStatusEx in time", 0);
    }
    return removed;
}

int main(void) {
    WSADATA wsa;
    trace("WSAStartup", "version=0x202");
    check("WSAStartup", WSAStartup(MAKEWORD(2, 2), &wsa) == 0);
    trace("CreateIoCompletionPort", "new");
    port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    check("CreateIoCompletionPort", port != NULL);

    struct sockaddr_in a_address, b_address;
    SOCKET a = open_socket();
    bind_loopback(a, &a_address);
    SOCKET b = open_socket();
    bind_loopback(b, &b_address);

    static op_block receive, send;
    memset(&receive, 0, sizeof receive);
    receive.wsabuf.buf = receive.data;
    receive.wsabuf.len = sizeof receive.data;
    receive.address_length = sizeof receive.address;
    trace("WSARecvFrom", "buffers=1");
    issued("WSARecvFrom", WSARecvFrom(a, &receive.wsabuf, 1, NULL, &receive.flags, (struct sockaddr *) &receive.address,
                                      &receive.address_length, &receive.overlapped, NULL) == 0);
    memset(&send, 0, sizeof send);
    memcpy(send.data, "ping", 4);
    send.wsabuf.buf = send.data;
    send.wsabuf.len = 4;
    trace("WSASendTo", "buffers=1");
    issued("WSASendTo", WSASendTo(b, &send.wsabuf, 1, NULL, 0, (struct sockaddr *) &a_address, sizeof a_address,
                                  &send.overlapped, NULL) == 0);
    OVERLAPPED_ENTRY entries[128];
    DWORD received = 0, sent = 0;
    int done = 0;
    while (done < 2) {
        ULONG removed = wait_entries(entries, 128);
        if (removed == 0) {
            break;
        }
        for (ULONG i = 0; i < removed; i++) {
            if (entries[i].lpOverlapped == &receive.overlapped) {
                received = entries[i].dwNumberOfBytesTransferred;
                done++;
            } else if (entries[i].lpOverlapped == &send.overlapped) {
                sent = entries[i].dwNumberOfBytesTransferred;
                done++;
            }
        }
    }
    check("WSASendTo sent the datagram", sent == 4 && send.overlapped.Internal == 0);
    check("WSARecvFrom got it", received == 4 && memcmp(receive.data, "ping", 4) == 0 && receive.overlapped.Internal == 0);
    check("the sender's address and its length were written",
          receive.address_length == sizeof(struct sockaddr_in) && receive.address.sin_family == AF_INET
          && receive.address.sin_port == b_address.sin_port);

    for (int round = 0; round < 2; round++) {
        trace("PostQueuedCompletionStatus", "key=1");
        check("PostQueuedCompletionStatus", PostQueuedCompletionStatus(port, 0, 1, NULL));
        ULONG removed = wait_entries(entries, 128);
        check("the wake-up is one entry with no OVERLAPPED, key 1",
              removed == 1 && entries[0].lpOverlapped == NULL && entries[0].lpCompletionKey == 1
              && entries[0].dwNumberOfBytesTransferred == 0);
    }

    {
        /* Untraced: a wait that times out on an empty port is FALSE with WAIT_TIMEOUT, which the port
         * takes for "nothing completed" rather than an error. */
        ULONG removed = 99;
        BOOL got = GetQueuedCompletionStatusEx(port, entries, 128, &removed, 0, FALSE);
        DWORD error = GetLastError();
        check("an empty wait is FALSE with WAIT_TIMEOUT", !got && error == WAIT_TIMEOUT);
    }

    trace("closesocket", "");
    check("closesocket a", closesocket(a) == 0);
    trace("closesocket", "");
    check("closesocket b", closesocket(b) == 0);
    trace("CloseHandle", "");
    check("CloseHandle port", CloseHandle(port));
    printf(failures == 0 ? "done\n" : "FAILED\n");
    return failures == 0 ? 0 : 1;
}
