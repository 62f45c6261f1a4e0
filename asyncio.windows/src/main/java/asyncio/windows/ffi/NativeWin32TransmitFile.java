package asyncio.windows.ffi;

import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Function;
import com.kenai.jffi.HeapInvocationBuffer;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.Type;

/**
 * {@link Win32TransmitFile} through jffi's generic invoker, as AcceptEx and ConnectEx are called
 * ({@link NativeWin32}): one small allocation per TransmitFile, each of which sends up to 1 GiB.
 */
public final class NativeWin32TransmitFile implements Win32TransmitFile {
    // BOOL TransmitFile(SOCKET, HANDLE, DWORD, DWORD, LPOVERLAPPED, LPTRANSMIT_FILE_BUFFERS, DWORD)
    private static final Type[] PARAMETERS = {
        Type.POINTER, Type.POINTER, Type.UINT32, Type.UINT32, Type.POINTER, Type.POINTER, Type.UINT32,
    };

    private Function transmitFile;
    private long address;

    /** A binding that calls whatever pointer it is given (the one WSAIoctl handed out). */
    public NativeWin32TransmitFile() {
        // no library to load: TransmitFile is reached through its pointer only
    }

    @Override
    public int TransmitFile(long function, long socket, long file, int bytes, int bytesPerSend, long overlapped,
                            long buffers, int flags) {
        if (transmitFile == null || address != function) {
            transmitFile = new Function(function, Type.SINT32, PARAMETERS, CallingConvention.DEFAULT, true);
            address = function;
        }
        HeapInvocationBuffer call = new HeapInvocationBuffer(transmitFile);
        call.putAddress(socket);
        call.putAddress(file);
        call.putInt(bytes);
        call.putInt(bytesPerSend);
        call.putAddress(overlapped);
        call.putAddress(buffers);
        call.putInt(flags);
        return Invoker.getInstance().invokeInt(transmitFile, call);
    }

    @Override
    public int lastError() {
        // Saved by jffi right after the call (the Function's saveErrno), per thread; read as NativeWin32 reads it.
        return jnr.ffi.LastError.getLastError(jnr.ffi.Runtime.getSystemRuntime());
    }
}
