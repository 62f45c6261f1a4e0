/*
 * What asyncio.windows' readiness helper (addReader/addWriter, sock_accept; WindowsReadiness) relies
 * on from WSAPoll and the completion port, checked on a real Winsock: the helper polls the JDK's
 * sockets (plain socket(), not overlapped-only) plus a loopback UDP wake-up socket connected to
 * itself, asks POLLRDNORM and/or POLLWRNORM only, and posts each batch of ready sockets to the port
 * with PostQueuedCompletionStatus(key 2, no OVERLAPPED) from its own thread. Each WSAPoll is traced
 * as "WSAPoll step=NAME events=E,... -> RESULT revents=R,..." (hexadecimal); ReadinessSequenceTest
 * reads those lines and checks what the Java side makes of each answer. Checked-in output:
 * src/test/resources/asyncio/windows/readiness-sequence.txt.
 */
#include <winsock2.h>
#include <windows.h>
#include <stdio.h>
#include <string.h>

static HANDLE port;
static int failures;

static void check(const char *what, int ok) {
    printf("check %s %s\n", what, ok ? "ok" : "FAILED");
    if (!ok) {
        failures++;
    }
}

/* One WSAPoll over count sockets, traced with what was asked and what came back. */
static int poll_traced(const char *step, WSAPOLLFD *fds, int count, int timeout) {
    for (int i = 0; i < count; i++) {
        fds[i].revents = 0;
    }
    int result = WSAPoll(fds, count, timeout);
    printf("WSAPoll step=%s events=", step);
    for (int i = 0; i < count; i++) {
        printf("%s0x%x", i ? "," : "", (unsigned) (unsigned short) fds[i].events);
    }
    printf(" -> %d revents=", result);
    for (int i = 0; i < count; i++) {
        printf("%s0x%x", i ? "," : "", (unsigned) (unsigned short) fds[i].revents);
    }
    printf("\n");
    return result;
}

static struct sockaddr_in loopback(void) {
    struct sockaddr_in address;
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

static DWORD WINAPI helper(LPVOID unused) {
    (void) unused;
    /* What WindowsReadiness does after a WSAPoll found sockets ready: one post, no OVERLAPPED. */
    printf("PostQueuedCompletionStatus key=2\n");
    check("PostQueuedCompletionStatus from the helper thread", PostQueuedCompletionStatus(port, 0, 2, NULL));
    return 0;
}

int main(void) {
    WSADATA wsa;
    check("WSAStartup", WSAStartup(MAKEWORD(2, 2), &wsa) == 0);
    port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    check("CreateIoCompletionPort", port != NULL);

    /* the wake-up socket: loopback UDP, connected to itself */
    SOCKET waker = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    struct sockaddr_in address = loopback();
    int length = sizeof address;
    check("waker bind", bind(waker, (struct sockaddr *) &address, sizeof address) == 0);
    check("waker getsockname", getsockname(waker, (struct sockaddr *) &address, &length) == 0);
    check("waker connects to itself", connect(waker, (struct sockaddr *) &address, sizeof address) == 0);

    /* a TCP loopback pair, as the application's channels */
    SOCKET listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    address = loopback();
    length = sizeof address;
    check("listener bind", bind(listener, (struct sockaddr *) &address, sizeof address) == 0);
    check("listener getsockname", getsockname(listener, (struct sockaddr *) &address, &length) == 0);
    check("listen", listen(listener, 4) == 0);
    u_long nonblocking = 1;
    check("listener non-blocking", ioctlsocket(listener, FIONBIO, &nonblocking) == 0);

    WSAPOLLFD fds[2];
    memset(fds, 0, sizeof fds);
    fds[0].fd = waker;
    fds[0].events = POLLRDNORM;
    fds[1].fd = listener;
    fds[1].events = POLLRDNORM;
    check("nothing to accept yet", poll_traced("listener-idle", fds, 2, 0) == 0);

    SOCKET client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    check("client connects", connect(client, (struct sockaddr *) &address, sizeof address) == 0);
    check("a connection to accept", poll_traced("listener-pending", fds, 2, 5000) == 1
            && (fds[1].revents & POLLRDNORM) && fds[0].revents == 0);
    SOCKET server = accept(listener, NULL, NULL);
    check("accept", server != INVALID_SOCKET);
    check("server non-blocking", ioctlsocket(server, FIONBIO, &nonblocking) == 0);

    fds[1].fd = server;
    fds[1].events = POLLRDNORM;
    check("nothing to read yet", poll_traced("reader-idle", fds, 2, 0) == 0);
    fds[1].events = POLLWRNORM;
    check("a connected socket is writable", poll_traced("writer-connected", fds, 2, 0) == 1
            && (fds[1].revents & POLLWRNORM));

    check("client sends", send(client, "ready", 5, 0) == 5);
    fds[1].events = POLLRDNORM;
    check("data to read", poll_traced("reader-data", fds, 2, 5000) == 1 && (fds[1].revents & POLLRDNORM));

    /* the helper's post, dequeued by the loop as an entry with key 2 and no OVERLAPPED */
    HANDLE thread = CreateThread(NULL, 0, helper, NULL, 0, NULL);
    check("CreateThread", thread != NULL);
    check("the helper thread ends", WaitForSingleObject(thread, 5000) == WAIT_OBJECT_0);
    CloseHandle(thread);
    OVERLAPPED_ENTRY entry;
    ULONG removed = 0;
    printf("GetQueuedCompletionStatusEx\n");
    check("the post arrives", GetQueuedCompletionStatusEx(port, &entry, 1, &removed, 5000, FALSE) && removed == 1);
    check("the post names key 2 and no OVERLAPPED", entry.lpCompletionKey == 2 && entry.lpOverlapped == NULL);

    /* level-triggered: unread data is reported again */
    check("still readable while unread", poll_traced("reader-unread", fds, 2, 0) == 1 && (fds[1].revents & POLLRDNORM));
    fds[1].events = POLLRDNORM | POLLWRNORM;
    check("readable and writable", poll_traced("reader-writer", fds, 2, 0) == 1
            && (fds[1].revents & POLLRDNORM) && (fds[1].revents & POLLWRNORM));
    char data[16];
    check("server reads", recv(server, data, sizeof data, 0) == 5);
    fds[1].events = POLLRDNORM;
    check("nothing left to read", poll_traced("reader-drained", fds, 2, 0) == 0);

    /* a wake-up: one datagram on the waker ends a wait with no limit */
    check("wake-up sent", send(waker, "w", 1, 0) == 1);
    check("the wake-up ends the wait", poll_traced("wakeup", fds, 2, -1) == 1 && (fds[0].revents & POLLRDNORM)
            && fds[1].revents == 0);
    check("wake-up drained", recv(waker, data, sizeof data, 0) == 1);
    check("nothing after the drain", poll_traced("wakeup-drained", fds, 2, 0) == 0);

    /* the peer's close: readable (EOF) */
    check("client closes", closesocket(client) == 0);
    check("the peer's close reads as ready (POLLHUP)", poll_traced("peer-closed", fds, 2, 5000) == 1
            && (fds[1].revents & (POLLRDNORM | POLLHUP)));
    check("EOF", recv(server, data, sizeof data, 0) == 0);

    /* a socket closed under the watch: reported as not a socket, not as readable. Wine leaves it
       out of the count it returns; the helper reads every entry's revents, whatever the count. */
    check("server closes", closesocket(server) == 0);
    poll_traced("closed-socket", fds, 2, 0);
    check("a closed socket is POLLNVAL", fds[1].revents == POLLNVAL);

    closesocket(listener);
    closesocket(waker);
    CloseHandle(port);
    printf("failures %d\n", failures);
    return failures == 0 ? 0 : 1;
}
