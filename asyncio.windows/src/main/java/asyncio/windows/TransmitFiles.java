package asyncio.windows;

import static asyncio.windows.ffi.WinApi.SIO_GET_EXTENSION_FUNCTION_POINTER;

import asyncio.api.SendfileNotAvailableError;
import asyncio.windows.ffi.Offsets;
import asyncio.windows.ffi.Win32TransmitFile;
import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.function.ToLongFunction;

/**
 * What {@code TransmitFile} needs beside the socket: its pointer (looked up once per port with
 * {@code WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER)}, as AcceptEx's) and the file's HANDLE. The
 * JDK keeps a {@link FileChannel}'s HANDLE in private fields ({@code sun.nio.ch.FileChannelImpl.fd},
 * {@code java.io.FileDescriptor.handle}); reading them needs {@link #FLAGS}. Without them
 * {@link #handleOf} raises {@link SendfileNotAvailableError}, so {@code sendfile} copies through the
 * JVM (or fails, with {@code fallback=false}), as asyncio does where the native path is missing.
 */
final class TransmitFiles {
    static final String FLAGS = "--add-opens java.base/sun.nio.ch=asyncio.windows --add-opens java.base/java.io=asyncio.windows"
            + " (=ALL-UNNAMED on the class path)";

    final Win32TransmitFile api;
    private final ToLongFunction<FileChannel> handles;
    private final ByteBuffer memory = IocpCompletionPort.direct(Offsets.GUID_SIZE + 16);
    private final long address = IocpCompletionPort.address(memory);
    private long function;

    TransmitFiles(Win32TransmitFile api, ToLongFunction<FileChannel> handles) {
        this.api = api;
        this.handles = handles;
    }

    /** The JDK's own HANDLE of a file channel, read from its private fields (see {@link #FLAGS}). */
    static ToLongFunction<FileChannel> jdkHandles() {
        MethodHandle fd;
        MethodHandle handle;
        try {
            Class<?> impl = Class.forName("sun.nio.ch.FileChannelImpl");
            fd = MethodHandles.privateLookupIn(impl, MethodHandles.lookup()).findGetter(impl, "fd", FileDescriptor.class);
            handle = MethodHandles.privateLookupIn(FileDescriptor.class, MethodHandles.lookup())
                    .findGetter(FileDescriptor.class, "handle", long.class);
        } catch (ReflectiveOperationException | RuntimeException hidden) {
            String reason = hidden.toString();
            return file -> {
                throw new SendfileNotAvailableError("TransmitFile needs the file's HANDLE, which the JDK hides: run with "
                        + FLAGS + "; " + reason);
            };
        }
        MethodHandle fdGetter = fd;
        MethodHandle handleGetter = handle;
        return file -> {
            try {
                FileDescriptor descriptor = (FileDescriptor) fdGetter.invoke(file);
                return (long) handleGetter.invoke(descriptor);
            } catch (ClassCastException notTheJdks) {
                throw new SendfileNotAvailableError("not a file channel of the JDK: " + file);
            } catch (Throwable unexpected) {
                throw new SendfileNotAvailableError("cannot read the file's HANDLE: " + unexpected);
            }
        };
    }

    /** The file's HANDLE; raises SendfileNotAvailableError when there is none to give TransmitFile. */
    long handleOf(FileChannel file) {
        long handle = handles.applyAsLong(file);
        if (handle == 0 || handle == -1) {
            throw new SendfileNotAvailableError("the file has no Windows HANDLE (not Windows, or closed)");
        }
        return handle;
    }

    /** TransmitFile's pointer, looked up on {@code socket} the first time. */
    long function(IocpCompletionPort port, long socket) throws IOException {
        if (function == 0) {
            memory.put(0, Win32TransmitFile.WSAID_TRANSMITFILE);
            memory.putLong(Offsets.GUID_SIZE, 0L);
            int result = port.win32.WSAIoctl(socket, SIO_GET_EXTENSION_FUNCTION_POINTER, address, Offsets.GUID_SIZE,
                    address + Offsets.GUID_SIZE, 8, address + Offsets.GUID_SIZE + 8, 0, 0);
            if (result != 0) {
                throw WinErrors.exception(port.win32.lastError(),
                        "WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER, TransmitFile)");
            }
            function = memory.getLong(Offsets.GUID_SIZE);
        }
        return function;
    }
}
