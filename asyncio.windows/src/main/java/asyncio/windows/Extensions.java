package asyncio.windows;

import static asyncio.windows.ffi.WinApi.*;

import asyncio.windows.ffi.Offsets;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The Winsock extension functions the loop calls through pointers: AcceptEx and ConnectEx, which
 * mswsock exports only through {@code WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER)} with their GUID.
 * Looked up once per port, on the first socket that needs them (both TCP families share the
 * Microsoft provider, as CPython's _overlapped assumes).
 */
final class Extensions {
    private final IocpCompletionPort port;
    private final ByteBuffer memory = IocpCompletionPort.direct(2 * Offsets.GUID_SIZE + 16);
    private final long address = IocpCompletionPort.address(memory);
    private long acceptEx;
    private long connectEx;

    Extensions(IocpCompletionPort port) {
        this.port = port;
    }

    long acceptEx(long socket) throws IOException {
        if (acceptEx == 0) {
            acceptEx = lookup(socket, Offsets.WSAID_ACCEPTEX, "AcceptEx");
        }
        return acceptEx;
    }

    long connectEx(long socket) throws IOException {
        if (connectEx == 0) {
            connectEx = lookup(socket, Offsets.WSAID_CONNECTEX, "ConnectEx");
        }
        return connectEx;
    }

    private long lookup(long socket, byte[] guid, String name) throws IOException {
        memory.put(0, guid);
        memory.putLong(Offsets.GUID_SIZE, 0L);
        int result = port.win32.WSAIoctl(socket, SIO_GET_EXTENSION_FUNCTION_POINTER, address, Offsets.GUID_SIZE,
                address + Offsets.GUID_SIZE, 8, address + Offsets.GUID_SIZE + 8, 0, 0);
        if (result != 0) {
            throw WinErrors.exception(port.win32.lastError(), "WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER, " + name + ")");
        }
        return memory.getLong(Offsets.GUID_SIZE);
    }
}
