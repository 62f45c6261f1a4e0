/*
 * The Win32 calls asyncio.windows' IOCP port makes for loop.sendfile (TransmitFile), checked on a
 * real Winsock: the pointer looked up with WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER,
 * WSAID_TRANSMITFILE), then TransmitFile on an associated, connected socket with a file HANDLE
 * opened the way the JDK opens files (no FILE_FLAG_OVERLAPPED) and the start position in the
 * OVERLAPPED's Offset/OffsetHigh, completed through GetQueuedCompletionStatusEx with the byte count.
 * The lines between "# transmit" and "# end" are the port's calls, which TransmitSequenceTest
 * compares with the Java port's on the scripted Winsock. Checked-in output:
 * src/test/resources/asyncio/windows/transmit-sequence.txt.
 */
#include <winsock2.h>
#include <mswsock.h>
#include <windows.h>
#include <stdio.h>
#include <string.h>

#define SIZE 10000
#define OFFSET 3
#define COUNT 5000

static int failures;

static void check(const char *what, int ok) {
    printf("check %s %s\n", what, ok ? "ok" : "FAILED");
    if (!ok) {
        failures++;
    }
}

static unsigned char pattern(int i) {
    return (unsigned char) (i * 7 + 1);
}

int main(void) {
    WSADATA wsa;
    check("WSAStartup", WSAStartup(MAKEWORD(2, 2), &wsa) == 0);
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    check("CreateIoCompletionPort", port != NULL);

    /* a connected loopback pair; the sender is an overlapped socket associated with the port */
    SOCKET listener = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    struct sockaddr_in address;
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int length = sizeof address;
    check("bind", bind(listener, (struct sockaddr *) &address, sizeof address) == 0);
    check("getsockname", getsockname(listener, (struct sockaddr *) &address, &length) == 0);
    check("listen", listen(listener, 4) == 0);
    SOCKET sender = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    check("connect", connect(sender, (struct sockaddr *) &address, sizeof address) == 0);
    SOCKET receiver = accept(listener, NULL, NULL);
    check("accept", receiver != INVALID_SOCKET);
    check("associate", CreateIoCompletionPort((HANDLE) sender, port, 0, 0) == port);
    check("SetFileCompletionNotificationModes",
          SetFileCompletionNotificationModes((HANDLE) sender, FILE_SKIP_SET_EVENT_ON_HANDLE));

    /* a file as the JDK opens it: synchronous (no FILE_FLAG_OVERLAPPED), its pointer at 0 */
    wchar_t directory[MAX_PATH], name[MAX_PATH];
    GetTempPathW(MAX_PATH, directory);
    GetTempFileNameW(directory, L"tf", 0, name);
    HANDLE file = CreateFileW(name, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                              CREATE_ALWAYS, FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE, NULL);
    check("CreateFileW", file != INVALID_HANDLE_VALUE);
    static unsigned char data[SIZE];
    for (int i = 0; i < SIZE; i++) {
        data[i] = pattern(i);
    }
    DWORD written = 0;
    check("WriteFile", WriteFile(file, data, SIZE, &written, NULL) && written == SIZE);
    LARGE_INTEGER zero = {0}, at;
    check("rewind", SetFilePointerEx(file, zero, NULL, FILE_BEGIN));

    printf("# transmit\n");
    GUID guid = WSAID_TRANSMITFILE;
    LPFN_TRANSMITFILE transmit = NULL;
    DWORD returned = 0;
    printf("WSAIoctl code=0x%x\n", (unsigned) SIO_GET_EXTENSION_FUNCTION_POINTER);
    check("TransmitFile's pointer", WSAIoctl(sender, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof guid,
                                              &transmit, sizeof transmit, &returned, NULL, NULL) == 0
                                     && transmit != NULL);
    OVERLAPPED overlapped;
    memset(&overlapped, 0, sizeof overlapped);
    overlapped.Offset = OFFSET;
    overlapped.OffsetHigh = 0;
    printf("TransmitFile bytes=%d offset=%d\n", COUNT, OFFSET);
    BOOL done = transmit(sender, file, COUNT, 0, &overlapped, NULL, 0);
    int error = done ? 0 : WSAGetLastError();
    char text[96];
    snprintf(text, sizeof text, "TransmitFile is in flight (error %d)", error);
    check(text, done || error == WSA_IO_PENDING);

    OVERLAPPED_ENTRY entry;
    ULONG removed = 0;
    printf("GetQueuedCompletionStatusEx\n");
    check("the completion arrives", GetQueuedCompletionStatusEx(port, &entry, 1, &removed, 5000, FALSE) && removed == 1);
    check("it is the TransmitFile's, with every byte",
          entry.lpOverlapped == &overlapped && entry.dwNumberOfBytesTransferred == COUNT
          && overlapped.Internal == 0);
    printf("# end\n");

    static unsigned char received[COUNT];
    int got = 0;
    while (got < COUNT) {
        int n = recv(receiver, (char *) received + got, COUNT - got, 0);
        if (n <= 0) {
            break;
        }
        got += n;
    }
    check("the receiver got the bytes from the offset", got == COUNT && memcmp(received, data + OFFSET, COUNT) == 0);
    check("the file's pointer was read", SetFilePointerEx(file, zero, &at, FILE_CURRENT));
    printf("file pointer after TransmitFile %lld\n", (long long) at.QuadPart);

    CloseHandle(file);
    closesocket(receiver);
    closesocket(sender);
    closesocket(listener);
    CloseHandle(port);
    printf("failures %d\n", failures);
    return failures == 0 ? 0 : 1;
}
