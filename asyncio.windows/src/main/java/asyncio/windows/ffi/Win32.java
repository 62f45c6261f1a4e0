package asyncio.windows.ffi;

/**
 * Every Win32 call the IOCP loop makes, named as the SDK names them, with memory passed as raw
 * addresses of pinned direct buffers ({@code long}), handles and SOCKETs as {@code long}, DWORD and
 * BOOL as {@code int}. {@link NativeWin32} binds it to kernel32 and ws2_32 through jnr-ffi; the
 * tests put a recorder and a scripted Winsock behind it, so the call sequence the loop makes can be
 * compared with a C program that makes the same calls under Wine.
 */
public interface Win32 {
    // kernel32

    /** {@code CreateIoCompletionPort}: a new port ({@code file} = INVALID_HANDLE_VALUE) or an association. */
    long CreateIoCompletionPort(long file, long existingPort, long completionKey, int concurrentThreads);

    /** {@code GetQueuedCompletionStatusEx}: removes up to {@code count} entries into the OVERLAPPED_ENTRY array. */
    int GetQueuedCompletionStatusEx(long port, long entries, int count, long removed, int milliseconds, int alertable);

    /** {@code PostQueuedCompletionStatus}: the loop's wake-up. */
    int PostQueuedCompletionStatus(long port, int bytes, long completionKey, long overlapped);

    /** {@code CancelIoEx}: aborts one operation (its completion still comes, with ERROR_OPERATION_ABORTED). */
    int CancelIoEx(long handle, long overlapped);

    int CloseHandle(long handle);

    /** {@code SetFileCompletionNotificationModes}. */
    int SetFileCompletionNotificationModes(long handle, byte flags);

    int ReadFile(long file, long buffer, int length, long read, long overlapped);

    int WriteFile(long file, long buffer, int length, long written, long overlapped);

    /** {@code GetOverlappedResult} with bWait FALSE: the Win32 error of a completed file operation. */
    int GetOverlappedResult(long file, long overlapped, long transferred, int wait);

    // ws2_32

    int WSAStartup(short version, long data);

    long WSASocketW(int family, int type, int protocol, long protocolInfo, int group, int flags);

    int closesocket(long socket);

    int bind(long socket, long name, int nameLength);

    int listen(long socket, int backlog);

    /** {@code connect}: only for datagram sockets (no handshake); streams use ConnectEx. */
    int connect(long socket, long name, int nameLength);

    int getsockname(long socket, long name, long nameLength);

    int getpeername(long socket, long name, long nameLength);

    int setsockopt(long socket, int level, int name, long value, int length);

    int getsockopt(long socket, int level, int name, long value, long length);

    int shutdown(long socket, int how);

    int WSAIoctl(long socket, int code, long in, int inLength, long out, int outLength, long returned,
                 long overlapped, long completionRoutine);

    int WSARecv(long socket, long buffers, int bufferCount, long received, long flags, long overlapped,
                long completionRoutine);

    int WSASend(long socket, long buffers, int bufferCount, long sent, int flags, long overlapped,
                long completionRoutine);

    int WSARecvFrom(long socket, long buffers, int bufferCount, long received, long flags, long from,
                    long fromLength, long overlapped, long completionRoutine);

    int WSASendTo(long socket, long buffers, int bufferCount, long sent, int flags, long to, int toLength,
                  long overlapped, long completionRoutine);

    /** {@code WSAGetOverlappedResult} with fWait FALSE: the Winsock error of a completed socket operation. */
    int WSAGetOverlappedResult(long socket, long overlapped, long transferred, int wait, long flags);

    // the extension functions, called through the pointers WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER) gave

    int AcceptEx(long function, long listenSocket, long acceptSocket, long output, int receiveLength,
                 int localAddressLength, int remoteAddressLength, long received, long overlapped);

    int ConnectEx(long function, long socket, long name, int nameLength, long send, int sendLength, long sent,
                  long overlapped);

    /**
     * The thread's last Win32/Winsock error, as saved right after this thread's previous call
     * through this interface (GetLastError and WSAGetLastError read the same value; calling them
     * from Java later could see one the JVM set meanwhile).
     */
    int lastError();
}
