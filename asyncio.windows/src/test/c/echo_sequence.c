/*
 * The Win32 calls asyncio.windows' IOCP completion port makes for a TCP echo round trip, made for
 * real: a listening socket, AcceptEx, ConnectEx after binding, the update-context options, WSASend
 * and WSARecv completing through GetQueuedCompletionStatusEx, a WSARecv aborted by CancelIoEx, and
 * closing. Each call is traced as CallSequenceTest's recorder traces the Java side; each result the
 * Java code relies on is checked ("check ... ok", exit status 1 on the first failure). Built with
 * x86_64-w64-mingw32-gcc, run under Wine by run-under-wine.sh; its trace is checked in as
 * src/test/resources/asyncio/windows/echo-sequence.txt.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <windows.h>
#include <stdio.h>
#include <string.h>

/* The Java port's pinned block: an OVERLAPPED first, then its own fields (see OpBlock.java). */
typedef struct {
    OVERLAPPED overlapped;
    WSABUF wsabuf;
    DWORD flags;
    char data[64];
    char accept_output[2 * (sizeof(struct sockaddr_in6) + 16)];
    SOCKET listener;
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
    trace("WSASocketW", "af=2 type=1 protocol=6 flags=0x81");
    SOCKET s = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
    check("WSASocketW", s != INVALID_SOCKET);
    trace("CreateIoCompletionPort", "associate key=0");
    check("CreateIoCompletionPort associates", CreateIoCompletionPort((HANDLE) s, port, 0, 0) == port);
    trace("SetFileCompletionNotificationModes", "flags=2");
    check("SetFileCompletionNotificationModes", SetFileCompletionNotificationModes((HANDLE) s, FILE_SKIP_SET_EVENT_ON_HANDLE));
    return s;
}

static void *extension(SOCKET s, GUID guid) {
    void *function = NULL;
    DWORD returned = 0;
    trace("WSAIoctl", "code=0xc8000006");
    int result = WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof guid, &function, sizeof function,
                          &returned, NULL, NULL);
    check("WSAIoctl gives the extension pointer", result == 0 && function != NULL);
    return function;
}

/* The issue step: 0 or SOCKET_ERROR with WSA_IO_PENDING leaves the operation to the port. */
static void issued(const char *what, int succeeded) {
    int error = succeeded ? 0 : WSAGetLastError();
    char text[128];
    snprintf(text, sizeof text, "%s is in flight (error %d)", what, error);
    check(text, succeeded || error == WSA_IO_PENDING);
}

/* GetQueuedCompletionStatusEx until every block in want[] completed; checks each entry's fields. */
static void drain(op_block **want, DWORD *bytes, int count) {
    OVERLAPPED_ENTRY entries[128];
    int done = 0;
    while (done < count) {
        ULONG removed = 0;
        trace("GetQueuedCompletionStatusEx", "");
        if (!GetQueuedCompletionStatusEx(port, entries, 128, &removed, 5000, FALSE)) {
            check("GetQueuedCompletionStatusEx in time", 0);
            return;
        }
        for (ULONG i = 0; i < removed; i++) {
            int found = 0;
            for (int j = 0; j < count; j++) {
                if ((void *) entries[i].lpOverlapped == (void *) want[j]) {
                    bytes[j] = entries[i].dwNumberOfBytesTransferred;
                    found = 1;
                    done++;
                }
            }
            check("the entry names the OVERLAPPED at the block's start, key 0",
                  found && entries[i].lpCompletionKey == 0);
        }
    }
}

static void new_block(op_block *b, SOCKET s, const char *data) {
    memset(b, 0, sizeof *b);
    b->wsabuf.buf = b->data;
    b->wsabuf.len = data ? (ULONG) strlen(data) : sizeof b->data;
    if (data) {
        memcpy(b->data, data, strlen(data));
    }
    (void) s;
}

int main(void) {
    WSADATA wsa;
    trace("WSAStartup", "version=0x202");
    check("WSAStartup", WSAStartup(MAKEWORD(2, 2), &wsa) == 0);
    trace("CreateIoCompletionPort", "new");
    port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    check("CreateIoCompletionPort", port != NULL);

    /* the listener */
    SOCKET listener = open_socket();
    struct sockaddr_in address = {0};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    trace("bind", "");
    check("bind", bind(listener, (struct sockaddr *) &address, sizeof address) == 0);
    trace("listen", "");
    check("listen", listen(listener, 16) == 0);
    int length = sizeof address;
    trace("getsockname", "");
    check("getsockname", getsockname(listener, (struct sockaddr *) &address, &length) == 0 && address.sin_port != 0);

    /* AcceptEx with a fresh socket */
    static op_block accept_op, connect_op;
    LPFN_ACCEPTEX accept_ex = (LPFN_ACCEPTEX) extension(listener, (GUID) WSAID_ACCEPTEX);
    SOCKET server = open_socket();
    new_block(&accept_op, listener, NULL);
    accept_op.listener = listener;
    trace("AcceptEx", "");
    issued("AcceptEx", accept_ex(listener, server, accept_op.accept_output, 0, sizeof(struct sockaddr_in6) + 16,
                                 sizeof(struct sockaddr_in6) + 16, NULL, &accept_op.overlapped));

    /* ConnectEx: the extension pointer, getsockname says unbound, bind to the wildcard, connect */
    SOCKET client = open_socket();
    LPFN_CONNECTEX connect_ex = (LPFN_CONNECTEX) extension(client, (GUID) WSAID_CONNECTEX);
    struct sockaddr_in local = {0};
    length = sizeof local;
    trace("getsockname", "");
    int unbound = getsockname(client, (struct sockaddr *) &local, &length);
    check("getsockname of an unbound socket fails with WSAEINVAL", unbound == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL);
    local.sin_family = AF_INET;
    local.sin_addr.s_addr = htonl(INADDR_ANY);
    local.sin_port = 0;
    trace("bind", "");
    check("bind to the wildcard", bind(client, (struct sockaddr *) &local, sizeof local) == 0);
    new_block(&connect_op, client, NULL);
    trace("ConnectEx", "");
    issued("ConnectEx", connect_ex(client, (struct sockaddr *) &address, sizeof address, NULL, 0, NULL,
                                   &connect_op.overlapped));
    op_block *phase1[] = {&accept_op, &connect_op};
    DWORD bytes[2] = {0};
    drain(phase1, bytes, 2);
    check("AcceptEx status", accept_op.overlapped.Internal == 0);
    check("ConnectEx status", connect_op.overlapped.Internal == 0);
    trace("setsockopt", "level=0xffff name=0x700b");
    check("SO_UPDATE_ACCEPT_CONTEXT", setsockopt(server, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT,
                                                 (char *) &accept_op.listener, sizeof(SOCKET)) == 0);
    trace("setsockopt", "level=0xffff name=0x7010");
    check("SO_UPDATE_CONNECT_CONTEXT", setsockopt(client, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0) == 0);
    struct sockaddr_in peer;
    length = sizeof peer;
    trace("getpeername", "");
    check("getpeername after SO_UPDATE_ACCEPT_CONTEXT",
          getpeername(server, (struct sockaddr *) &peer, &length) == 0 && peer.sin_family == AF_INET);

    /* ping: the server's WSARecv waits, the client's WSASend completes it */
    static op_block recv_op, send_op;
    new_block(&recv_op, server, NULL);
    trace("WSARecv", "buffers=1");
    issued("WSARecv", WSARecv(server, &recv_op.wsabuf, 1, NULL, &recv_op.flags, &recv_op.overlapped, NULL) == 0);
    new_block(&send_op, client, "ping");
    trace("WSASend", "buffers=1");
    issued("WSASend", WSASend(client, &send_op.wsabuf, 1, NULL, 0, &send_op.overlapped, NULL) == 0);
    op_block *phase2[] = {&recv_op, &send_op};
    drain(phase2, bytes, 2);
    check("WSARecv got the 4 bytes", bytes[0] == 4 && memcmp(recv_op.data, "ping", 4) == 0);
    check("WSASend took the 4 bytes", bytes[1] == 4);

    /* the echo back */
    static op_block echo_op, reply_op;
    new_block(&echo_op, server, "ping");
    trace("WSASend", "buffers=1");
    issued("WSASend", WSASend(server, &echo_op.wsabuf, 1, NULL, 0, &echo_op.overlapped, NULL) == 0);
    new_block(&reply_op, client, NULL);
    trace("WSARecv", "buffers=1");
    issued("WSARecv", WSARecv(client, &reply_op.wsabuf, 1, NULL, &reply_op.flags, &reply_op.overlapped, NULL) == 0);
    op_block *phase3[] = {&echo_op, &reply_op};
    drain(phase3, bytes, 2);
    check("the echo came back", bytes[1] == 4 && memcmp(reply_op.data, "ping", 4) == 0);

    /* a WSARecv cancelled: its completion still comes, aborted */
    static op_block cancelled_op;
    new_block(&cancelled_op, server, NULL);
    trace("WSARecv", "buffers=1");
    issued("WSARecv", WSARecv(server, &cancelled_op.wsabuf, 1, NULL, &cancelled_op.flags, &cancelled_op.overlapped,
                              NULL) == 0);
    trace("CancelIoEx", "");
    check("CancelIoEx", CancelIoEx((HANDLE) server, &cancelled_op.overlapped));
    op_block *phase4[] = {&cancelled_op};
    drain(phase4, bytes, 1);
    check("the aborted WSARecv's NTSTATUS is not success", cancelled_op.overlapped.Internal != 0);
    DWORD transferred = 0, flags = 0;
    trace("WSAGetOverlappedResult", "");
    BOOL ok = WSAGetOverlappedResult(server, &cancelled_op.overlapped, &transferred, FALSE, &flags);
    check("WSAGetOverlappedResult says WSA_OPERATION_ABORTED", !ok && WSAGetLastError() == WSA_OPERATION_ABORTED);
    check("nothing was transferred", bytes[0] == 0);

    /*
     * Untraced: what FakeWinsock answers for a refused ConnectEx (IocpPortSemanticsTest) is what
     * Winsock answers: the call is pending, the completion fails, WSAGetOverlappedResult says
     * WSAECONNREFUSED. The listener's port, once closed, refuses.
     */
    {
        SOCKET refused = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
        CreateIoCompletionPort((HANDLE) refused, port, 0, 0);
        struct sockaddr_in any = {0};
        any.sin_family = AF_INET;
        bind(refused, (struct sockaddr *) &any, sizeof any);
        struct sockaddr_in nobody = address;
        SOCKET probe = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        struct sockaddr_in free_port = {0};
        free_port.sin_family = AF_INET;
        free_port.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        int free_length = sizeof free_port;
        bind(probe, (struct sockaddr *) &free_port, sizeof free_port);
        getsockname(probe, (struct sockaddr *) &free_port, &free_length);
        closesocket(probe); /* a loopback port nobody listens on */
        nobody.sin_port = free_port.sin_port;
        static op_block refused_op;
        new_block(&refused_op, refused, NULL);
        BOOL started = connect_ex(refused, (struct sockaddr *) &nobody, sizeof nobody, NULL, 0, NULL,
                                  &refused_op.overlapped);
        check("a refused ConnectEx is pending first", !started && WSAGetLastError() == WSA_IO_PENDING);
        OVERLAPPED_ENTRY entry;
        ULONG removed = 0;
        BOOL got = GetQueuedCompletionStatusEx(port, &entry, 1, &removed, 5000, FALSE);
        check("its completion comes", got && removed == 1 && entry.lpOverlapped == &refused_op.overlapped);
        DWORD transferred = 0, flags = 0;
        BOOL ok = WSAGetOverlappedResult(refused, &refused_op.overlapped, &transferred, FALSE, &flags);
        int error = WSAGetLastError();
        printf("check WSAGetOverlappedResult gives WSAECONNREFUSED (%d) %s\n", error,
               !ok && error == WSAECONNREFUSED ? "ok" : "FAILED");
        if (ok || error != WSAECONNREFUSED) {
            failures++;
        }
        closesocket(refused);
    }

    /* closing */
    trace("closesocket", "");
    check("closesocket client", closesocket(client) == 0);
    trace("closesocket", "");
    check("closesocket server", closesocket(server) == 0);
    trace("closesocket", "");
    check("closesocket listener", closesocket(listener) == 0);
    trace("CloseHandle", "");
    check("CloseHandle port", CloseHandle(port));
    printf(failures == 0 ? "done\n" : "FAILED\n");
    return failures == 0 ? 0 : 1;
}
