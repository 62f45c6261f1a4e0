package asyncio.windows.ffi;

import jnr.ffi.annotations.In;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.intptr_t;

/** ws2_32.dll as jnr-ffi binds it (see {@link Kernel32} for the trailing dummy arrays). */
@SaveError
public interface Ws2_32 {
    int WSAStartup(short version, @intptr_t long data);

    @intptr_t long WSASocketW(int family, int type, int protocol, @intptr_t long protocolInfo, int group, int flags,
                              @In int[] offTheStubs);

    int closesocket(@intptr_t long socket);

    int bind(@intptr_t long socket, @intptr_t long name, int nameLength);

    int listen(@intptr_t long socket, int backlog);

    int connect(@intptr_t long socket, @intptr_t long name, int nameLength);

    int getsockname(@intptr_t long socket, @intptr_t long name, @intptr_t long nameLength);

    int getpeername(@intptr_t long socket, @intptr_t long name, @intptr_t long nameLength);

    int setsockopt(@intptr_t long socket, int level, int name, @intptr_t long value, int length);

    int getsockopt(@intptr_t long socket, int level, int name, @intptr_t long value, @intptr_t long length);

    int shutdown(@intptr_t long socket, int how);

    int WSAIoctl(@intptr_t long socket, int code, @intptr_t long in, int inLength, @intptr_t long out, int outLength,
                 @intptr_t long returned, @intptr_t long overlapped, @intptr_t long completionRoutine,
                 @In int[] offTheStubs);

    int WSARecv(@intptr_t long socket, @intptr_t long buffers, int bufferCount, @intptr_t long received,
                @intptr_t long flags, @intptr_t long overlapped, @intptr_t long completionRoutine, @In int[] offTheStubs);

    int WSASend(@intptr_t long socket, @intptr_t long buffers, int bufferCount, @intptr_t long sent, int flags,
                @intptr_t long overlapped, @intptr_t long completionRoutine, @In int[] offTheStubs);

    int WSARecvFrom(@intptr_t long socket, @intptr_t long buffers, int bufferCount, @intptr_t long received,
                    @intptr_t long flags, @intptr_t long from, @intptr_t long fromLength, @intptr_t long overlapped,
                    @intptr_t long completionRoutine, @In int[] offTheStubs);

    int WSASendTo(@intptr_t long socket, @intptr_t long buffers, int bufferCount, @intptr_t long sent, int flags,
                  @intptr_t long to, int toLength, @intptr_t long overlapped, @intptr_t long completionRoutine,
                  @In int[] offTheStubs);

    int WSAGetOverlappedResult(@intptr_t long socket, @intptr_t long overlapped, @intptr_t long transferred, int wait,
                               @intptr_t long flags);
}
