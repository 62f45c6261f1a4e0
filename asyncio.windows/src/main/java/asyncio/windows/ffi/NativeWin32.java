package asyncio.windows.ffi;

import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Function;
import com.kenai.jffi.HeapInvocationBuffer;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.Type;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/**
 * {@link Win32} on the real kernel32.dll and ws2_32.dll, loaded once on first use;
 * {@link #loadFailure()} says why loading failed (always, off Windows), for the provider's probe.
 * AcceptEx and ConnectEx have no export to bind: they are called through the pointers Winsock hands
 * out, with jffi's generic invoker (a call per accept or connect, not on the read/write path).
 */
public final class NativeWin32 implements Win32 {
    /** Never read by C: see {@link Kernel32}. */
    private static final int[] OFF_THE_STUBS = new int[1];

    private static final class Loaded {
        static final Kernel32 KERNEL32;
        static final Ws2_32 WS2_32;
        static final Throwable FAILURE;

        static {
            Kernel32 kernel32 = null;
            Ws2_32 ws2 = null;
            Throwable failure = null;
            try {
                kernel32 = LibraryLoader.create(Kernel32.class).load("kernel32");
                ws2 = LibraryLoader.create(Ws2_32.class).load("ws2_32");
            } catch (Throwable failed) {
                // UnsatisfiedLinkError off Windows, LinkageError when jffi's native part is missing.
                failure = failed;
            }
            KERNEL32 = kernel32;
            WS2_32 = ws2;
            FAILURE = failure;
        }
    }

    private static final class Extensions {
        // BOOL AcceptEx(SOCKET, SOCKET, PVOID, DWORD, DWORD, DWORD, LPDWORD, LPOVERLAPPED)
        static final Type[] ACCEPT_EX = {
            Type.POINTER, Type.POINTER, Type.POINTER, Type.UINT32, Type.UINT32, Type.UINT32, Type.POINTER, Type.POINTER,
        };
        // BOOL ConnectEx(SOCKET, const sockaddr*, int, PVOID, DWORD, LPDWORD, LPOVERLAPPED)
        static final Type[] CONNECT_EX = {
            Type.POINTER, Type.POINTER, Type.SINT32, Type.POINTER, Type.UINT32, Type.POINTER, Type.POINTER,
        };
    }

    private final Kernel32 kernel32;
    private final Ws2_32 ws2;
    private final Runtime runtime;
    private Function acceptEx;
    private long acceptExAddress;
    private Function connectEx;
    private long connectExAddress;

    private NativeWin32(Kernel32 kernel32, Ws2_32 ws2) {
        this.kernel32 = kernel32;
        this.ws2 = ws2;
        this.runtime = Runtime.getRuntime(kernel32);
    }

    /** The binding on other libraries with the same exports (the marshalling test's stand-in). */
    static NativeWin32 bind(String kernel32Library, String ws2Library) {
        return new NativeWin32(LibraryLoader.create(Kernel32.class).load(kernel32Library),
                LibraryLoader.create(Ws2_32.class).load(ws2Library));
    }

    /** Why kernel32/ws2_32 could not be bound, or null when they were. */
    public static Throwable loadFailure() {
        return Loaded.FAILURE;
    }

    /** The binding; throws if the libraries could not be loaded (check {@link #loadFailure()} first). */
    public static NativeWin32 load() {
        if (Loaded.FAILURE != null) {
            throw new IllegalStateException("kernel32/ws2_32 could not be bound through jnr-ffi", Loaded.FAILURE);
        }
        return new NativeWin32(Loaded.KERNEL32, Loaded.WS2_32);
    }

    @Override
    public long CreateIoCompletionPort(long file, long existingPort, long completionKey, int concurrentThreads) {
        return kernel32.CreateIoCompletionPort(file, existingPort, completionKey, concurrentThreads);
    }

    @Override
    public int GetQueuedCompletionStatusEx(long port, long entries, int count, long removed, int milliseconds,
                                           int alertable) {
        return kernel32.GetQueuedCompletionStatusEx(port, entries, count, removed, milliseconds, alertable, OFF_THE_STUBS);
    }

    @Override
    public int PostQueuedCompletionStatus(long port, int bytes, long completionKey, long overlapped) {
        return kernel32.PostQueuedCompletionStatus(port, bytes, completionKey, overlapped);
    }

    @Override
    public int CancelIoEx(long handle, long overlapped) {
        return kernel32.CancelIoEx(handle, overlapped);
    }

    @Override
    public int CloseHandle(long handle) {
        return kernel32.CloseHandle(handle);
    }

    @Override
    public int SetFileCompletionNotificationModes(long handle, byte flags) {
        return kernel32.SetFileCompletionNotificationModes(handle, flags);
    }

    @Override
    public int ReadFile(long file, long buffer, int length, long read, long overlapped) {
        return kernel32.ReadFile(file, buffer, length, read, overlapped);
    }

    @Override
    public int WriteFile(long file, long buffer, int length, long written, long overlapped) {
        return kernel32.WriteFile(file, buffer, length, written, overlapped);
    }

    @Override
    public int GetOverlappedResult(long file, long overlapped, long transferred, int wait) {
        return kernel32.GetOverlappedResult(file, overlapped, transferred, wait);
    }

    @Override
    public int WSAStartup(short version, long data) {
        return ws2.WSAStartup(version, data);
    }

    @Override
    public long WSASocketW(int family, int type, int protocol, long protocolInfo, int group, int flags) {
        return ws2.WSASocketW(family, type, protocol, protocolInfo, group, flags, OFF_THE_STUBS);
    }

    @Override
    public int closesocket(long socket) {
        return ws2.closesocket(socket);
    }

    @Override
    public int bind(long socket, long name, int nameLength) {
        return ws2.bind(socket, name, nameLength);
    }

    @Override
    public int listen(long socket, int backlog) {
        return ws2.listen(socket, backlog);
    }

    @Override
    public int connect(long socket, long name, int nameLength) {
        return ws2.connect(socket, name, nameLength);
    }

    @Override
    public int getsockname(long socket, long name, long nameLength) {
        return ws2.getsockname(socket, name, nameLength);
    }

    @Override
    public int getpeername(long socket, long name, long nameLength) {
        return ws2.getpeername(socket, name, nameLength);
    }

    @Override
    public int setsockopt(long socket, int level, int name, long value, int length) {
        return ws2.setsockopt(socket, level, name, value, length);
    }

    @Override
    public int getsockopt(long socket, int level, int name, long value, long length) {
        return ws2.getsockopt(socket, level, name, value, length);
    }

    @Override
    public int shutdown(long socket, int how) {
        return ws2.shutdown(socket, how);
    }

    @Override
    public int WSAIoctl(long socket, int code, long in, int inLength, long out, int outLength, long returned,
                        long overlapped, long completionRoutine) {
        return ws2.WSAIoctl(socket, code, in, inLength, out, outLength, returned, overlapped, completionRoutine,
                OFF_THE_STUBS);
    }

    @Override
    public int WSARecv(long socket, long buffers, int bufferCount, long received, long flags, long overlapped,
                       long completionRoutine) {
        return ws2.WSARecv(socket, buffers, bufferCount, received, flags, overlapped, completionRoutine, OFF_THE_STUBS);
    }

    @Override
    public int WSASend(long socket, long buffers, int bufferCount, long sent, int flags, long overlapped,
                       long completionRoutine) {
        return ws2.WSASend(socket, buffers, bufferCount, sent, flags, overlapped, completionRoutine, OFF_THE_STUBS);
    }

    @Override
    public int WSARecvFrom(long socket, long buffers, int bufferCount, long received, long flags, long from,
                           long fromLength, long overlapped, long completionRoutine) {
        return ws2.WSARecvFrom(socket, buffers, bufferCount, received, flags, from, fromLength, overlapped,
                completionRoutine, OFF_THE_STUBS);
    }

    @Override
    public int WSASendTo(long socket, long buffers, int bufferCount, long sent, int flags, long to, int toLength,
                         long overlapped, long completionRoutine) {
        return ws2.WSASendTo(socket, buffers, bufferCount, sent, flags, to, toLength, overlapped, completionRoutine,
                OFF_THE_STUBS);
    }

    @Override
    public int WSAGetOverlappedResult(long socket, long overlapped, long transferred, int wait, long flags) {
        return ws2.WSAGetOverlappedResult(socket, overlapped, transferred, wait, flags);
    }

    @Override
    public int AcceptEx(long function, long listenSocket, long acceptSocket, long output, int receiveLength,
                        int localAddressLength, int remoteAddressLength, long received, long overlapped) {
        if (acceptEx == null || acceptExAddress != function) {
            acceptEx = new Function(function, Type.SINT32, Extensions.ACCEPT_EX, CallingConvention.DEFAULT, true);
            acceptExAddress = function;
        }
        HeapInvocationBuffer call = new HeapInvocationBuffer(acceptEx);
        call.putAddress(listenSocket);
        call.putAddress(acceptSocket);
        call.putAddress(output);
        call.putInt(receiveLength);
        call.putInt(localAddressLength);
        call.putInt(remoteAddressLength);
        call.putAddress(received);
        call.putAddress(overlapped);
        return Invoker.getInstance().invokeInt(acceptEx, call);
    }

    @Override
    public int ConnectEx(long function, long socket, long name, int nameLength, long send, int sendLength, long sent,
                         long overlapped) {
        if (connectEx == null || connectExAddress != function) {
            connectEx = new Function(function, Type.SINT32, Extensions.CONNECT_EX, CallingConvention.DEFAULT, true);
            connectExAddress = function;
        }
        HeapInvocationBuffer call = new HeapInvocationBuffer(connectEx);
        call.putAddress(socket);
        call.putAddress(name);
        call.putInt(nameLength);
        call.putAddress(send);
        call.putInt(sendLength);
        call.putAddress(sent);
        call.putAddress(overlapped);
        return Invoker.getInstance().invokeInt(connectEx, call);
    }

    @Override
    public int lastError() {
        // jffi saves GetLastError() right after each call made with saveErrno (jnr's @SaveError, and
        // the extension functions' Function(..., true)), per thread.
        return LastError.getLastError(runtime);
    }
}
