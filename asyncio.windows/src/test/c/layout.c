/*
 * Prints the Win64 ABI facts the Java binding of asyncio.windows declares: sizeof and offsetof of
 * every structure it lays out, the GUIDs of the extension functions, and every constant of
 * asyncio.windows.ffi.WinApi, one "NAME VALUE" line each, from the mingw-w64 SDK headers.
 * Built with x86_64-w64-mingw32-gcc; run under Wine (or on Windows) by run-under-wine.sh, whose
 * output is checked in as src/test/resources/asyncio/windows/win64-layout.txt and compared with the
 * Java declarations by LayoutTest.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#define WIN32_NO_STATUS
#include <windows.h>
#undef WIN32_NO_STATUS
#include <ntstatus.h>
#include <stddef.h>
#include <stdio.h>

#define SIZE(type) printf("%s.size %d\n", #type, (int) sizeof(type))
#define OFFSET(type, member) printf("%s.%s %d\n", #type, #member, (int) offsetof(type, member))
/* struct tags print without "struct ", so every name is one word. */
#define SSIZE(tag) printf("%s.size %d\n", #tag, (int) sizeof(struct tag))
#define SOFFSET(tag, member) printf("%s.%s %d\n", #tag, #member, (int) offsetof(struct tag, member))
#define INT(name) printf("%s %d\n", #name, (int) (name))
#define LONG(name) printf("%s %lld\n", #name, (long long) (INT_PTR) (name))

static void guid(const char *name, GUID g) {
    const unsigned char *bytes = (const unsigned char *) &g;
    printf("%s ", name);
    for (int i = 0; i < (int) sizeof(GUID); i++) {
        printf("%02x", bytes[i]);
    }
    printf("\n");
}

int main(void) {
    SIZE(OVERLAPPED);
    OFFSET(OVERLAPPED, Internal);
    OFFSET(OVERLAPPED, InternalHigh);
    OFFSET(OVERLAPPED, Offset);
    OFFSET(OVERLAPPED, OffsetHigh);
    OFFSET(OVERLAPPED, hEvent);
    SIZE(OVERLAPPED_ENTRY);
    OFFSET(OVERLAPPED_ENTRY, lpCompletionKey);
    OFFSET(OVERLAPPED_ENTRY, lpOverlapped);
    OFFSET(OVERLAPPED_ENTRY, Internal);
    OFFSET(OVERLAPPED_ENTRY, dwNumberOfBytesTransferred);
    SIZE(WSABUF);
    OFFSET(WSABUF, len);
    OFFSET(WSABUF, buf);
    SSIZE(sockaddr_in);
    SOFFSET(sockaddr_in, sin_family);
    SOFFSET(sockaddr_in, sin_port);
    SOFFSET(sockaddr_in, sin_addr);
    SOFFSET(sockaddr_in, sin_zero);
    SSIZE(sockaddr_in6);
    SOFFSET(sockaddr_in6, sin6_family);
    SOFFSET(sockaddr_in6, sin6_port);
    SOFFSET(sockaddr_in6, sin6_flowinfo);
    SOFFSET(sockaddr_in6, sin6_addr);
    SOFFSET(sockaddr_in6, sin6_scope_id);
    SIZE(SOCKADDR_STORAGE);
    SIZE(GUID);
    SIZE(WSADATA);
    SIZE(SOCKET);
    SIZE(HANDLE);
    SIZE(DWORD);
    SIZE(ULONG_PTR);
    guid("WSAID_ACCEPTEX", (GUID) WSAID_ACCEPTEX);
    guid("WSAID_CONNECTEX", (GUID) WSAID_CONNECTEX);

    LONG(INVALID_HANDLE_VALUE);
    LONG(INVALID_SOCKET);
    INT(INFINITE);
    INT(WAIT_TIMEOUT);
    INT(FILE_SKIP_COMPLETION_PORT_ON_SUCCESS);
    INT(FILE_SKIP_SET_EVENT_ON_HANDLE);
    INT(STATUS_SUCCESS);
    INT(STATUS_PENDING);
    INT(STATUS_CANCELLED);
    printf("WINSOCK_VERSION_2_2 %d\n", (int) MAKEWORD(2, 2));
    INT(AF_INET);
    INT(AF_INET6);
    INT(SOCK_STREAM);
    INT(SOCK_DGRAM);
    INT(IPPROTO_IP);
    INT(IPPROTO_TCP);
    INT(IPPROTO_UDP);
    INT(IPPROTO_IPV6);
    INT(WSA_FLAG_OVERLAPPED);
    INT(WSA_FLAG_NO_HANDLE_INHERIT);
    INT(SOCKET_ERROR);
    INT(SD_SEND);
    INT(SOL_SOCKET);
    INT(SO_REUSEADDR);
    INT(SO_KEEPALIVE);
    INT(SO_BROADCAST);
    INT(SO_LINGER);
    INT(SO_SNDBUF);
    INT(SO_RCVBUF);
    INT(SO_ERROR);
    INT(SO_TYPE);
    INT(SO_UPDATE_ACCEPT_CONTEXT);
    INT(SO_UPDATE_CONNECT_CONTEXT);
    INT(TCP_NODELAY);
    INT(IP_TOS);
    INT(IP_MULTICAST_TTL);
    INT(IP_MULTICAST_LOOP);
    INT(IPV6_V6ONLY);
    INT(SIO_GET_EXTENSION_FUNCTION_POINTER);
    INT(SIO_UDP_CONNRESET);
    printf("ACCEPTEX_ADDRESS_LENGTH %d\n", (int) (sizeof(struct sockaddr_in6) + 16));
    INT(ERROR_HANDLE_EOF);
    INT(ERROR_NETNAME_DELETED);
    INT(ERROR_BROKEN_PIPE);
    INT(ERROR_SEM_TIMEOUT);
    INT(ERROR_MORE_DATA);
    INT(ERROR_NO_DATA);
    INT(ERROR_PIPE_NOT_CONNECTED);
    INT(ERROR_OPERATION_ABORTED);
    INT(ERROR_IO_PENDING);
    INT(ERROR_NOT_FOUND);
    INT(ERROR_CONNECTION_REFUSED);
    INT(ERROR_NETWORK_UNREACHABLE);
    INT(ERROR_HOST_UNREACHABLE);
    INT(ERROR_PORT_UNREACHABLE);
    INT(ERROR_CONNECTION_ABORTED);
    INT(WSA_IO_PENDING);
    INT(WSA_OPERATION_ABORTED);
    INT(WSAEINTR);
    INT(WSAEINVAL);
    INT(WSAEWOULDBLOCK);
    INT(WSAENOTSOCK);
    INT(WSAEMSGSIZE);
    INT(WSAEAFNOSUPPORT);
    INT(WSAEADDRINUSE);
    INT(WSAEADDRNOTAVAIL);
    INT(WSAENETDOWN);
    INT(WSAENETUNREACH);
    INT(WSAENETRESET);
    INT(WSAECONNABORTED);
    INT(WSAECONNRESET);
    INT(WSAENOTCONN);
    INT(WSAESHUTDOWN);
    INT(WSAETIMEDOUT);
    INT(WSAECONNREFUSED);
    INT(WSAEHOSTUNREACH);
    INT(WSANOTINITIALISED);

    /* processes (asyncio.windows.ffi.ProcessLayouts and ProcessApi) */
    SIZE(STARTUPINFOW);
    OFFSET(STARTUPINFOW, cb);
    OFFSET(STARTUPINFOW, lpReserved);
    OFFSET(STARTUPINFOW, lpDesktop);
    OFFSET(STARTUPINFOW, lpTitle);
    OFFSET(STARTUPINFOW, dwX);
    OFFSET(STARTUPINFOW, dwY);
    OFFSET(STARTUPINFOW, dwXSize);
    OFFSET(STARTUPINFOW, dwYSize);
    OFFSET(STARTUPINFOW, dwXCountChars);
    OFFSET(STARTUPINFOW, dwYCountChars);
    OFFSET(STARTUPINFOW, dwFillAttribute);
    OFFSET(STARTUPINFOW, dwFlags);
    OFFSET(STARTUPINFOW, wShowWindow);
    OFFSET(STARTUPINFOW, cbReserved2);
    OFFSET(STARTUPINFOW, lpReserved2);
    OFFSET(STARTUPINFOW, hStdInput);
    OFFSET(STARTUPINFOW, hStdOutput);
    OFFSET(STARTUPINFOW, hStdError);
    SIZE(STARTUPINFOEXW);
    OFFSET(STARTUPINFOEXW, StartupInfo);
    OFFSET(STARTUPINFOEXW, lpAttributeList);
    SIZE(PROCESS_INFORMATION);
    OFFSET(PROCESS_INFORMATION, hProcess);
    OFFSET(PROCESS_INFORMATION, hThread);
    OFFSET(PROCESS_INFORMATION, dwProcessId);
    OFFSET(PROCESS_INFORMATION, dwThreadId);
    SIZE(SECURITY_ATTRIBUTES);
    OFFSET(SECURITY_ATTRIBUTES, nLength);
    OFFSET(SECURITY_ATTRIBUTES, lpSecurityDescriptor);
    OFFSET(SECURITY_ATTRIBUTES, bInheritHandle);
    INT(PIPE_ACCESS_INBOUND);
    INT(PIPE_ACCESS_OUTBOUND);
    INT(FILE_FLAG_OVERLAPPED);
    INT(FILE_FLAG_FIRST_PIPE_INSTANCE);
    INT(PIPE_TYPE_BYTE);
    INT(PIPE_READMODE_BYTE);
    INT(PIPE_WAIT);
    INT(PIPE_REJECT_REMOTE_CLIENTS);
    INT(NMPWAIT_WAIT_FOREVER);
    INT(GENERIC_READ);
    INT(GENERIC_WRITE);
    INT(FILE_SHARE_READ);
    INT(FILE_SHARE_WRITE);
    INT(OPEN_EXISTING);
    INT(CREATE_ALWAYS);
    INT(FILE_ATTRIBUTE_NORMAL);
    INT(STARTF_USESTDHANDLES);
    INT(CREATE_UNICODE_ENVIRONMENT);
    INT(EXTENDED_STARTUPINFO_PRESENT);
    LONG(PROC_THREAD_ATTRIBUTE_HANDLE_LIST);
    INT(STILL_ACTIVE);
    INT(STD_INPUT_HANDLE);
    INT(STD_OUTPUT_HANDLE);
    INT(STD_ERROR_HANDLE);
    INT(DUPLICATE_SAME_ACCESS);
    INT(CTRL_C_EVENT);
    INT(CTRL_BREAK_EVENT);
    INT(WAIT_OBJECT_0);
    INT(WAIT_FAILED);
    INT(MAXIMUM_WAIT_OBJECTS);
    INT(ERROR_FILE_NOT_FOUND);
    INT(ERROR_PATH_NOT_FOUND);
    INT(ERROR_ACCESS_DENIED);
    INT(ERROR_INVALID_HANDLE);
    INT(ERROR_PIPE_CONNECTED);
    INT(ERROR_INSUFFICIENT_BUFFER);
    /* end of processes */
    /* readiness (addReader/addWriter): WSAPoll's array and bits, asyncio.windows.ffi.Win32Readiness */
    SIZE(WSAPOLLFD);
    OFFSET(WSAPOLLFD, fd);
    OFFSET(WSAPOLLFD, events);
    OFFSET(WSAPOLLFD, revents);
    INT(POLLRDNORM);
    INT(POLLRDBAND);
    INT(POLLWRNORM);
    INT(POLLERR);
    INT(POLLHUP);
    INT(POLLNVAL);
    /* TransmitFile (sendfile): asyncio.windows.ffi.Win32TransmitFile */
    guid("WSAID_TRANSMITFILE", (GUID) WSAID_TRANSMITFILE);
    /* named pipes (create_pipe_connection, start_serving_pipe): asyncio.windows.ffi.PipeApi */
    INT(PIPE_ACCESS_DUPLEX);
    INT(PIPE_UNLIMITED_INSTANCES);
    INT(ERROR_PIPE_BUSY);
    /* end of named pipes */
    return 0;
}
