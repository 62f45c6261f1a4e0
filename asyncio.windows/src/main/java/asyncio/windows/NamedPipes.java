package asyncio.windows;

import static asyncio.windows.ffi.PipeApi.*;
import static asyncio.windows.ffi.ProcessApi.*;
import static asyncio.windows.ffi.WinApi.INVALID_HANDLE_VALUE;

import asyncio.api.Asyncio;
import asyncio.api.FileNotFoundError;
import asyncio.windows.ffi.Win32Processes;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The handles of the loop's named pipes (asyncio's {@code create_pipe_connection} and
 * {@code start_serving_pipe}), each made overlapped and associated with the port as a
 * {@link WindowsSocket} over a {@link WindowsProcess.PipeHandle}, which closing closes: a server's
 * instance by CreateNamedPipeW, a client's end by CreateFileW, retried with a growing pause while
 * every instance is taken (ERROR_PIPE_BUSY), as {@code IocpProactor.connect_pipe} does.
 */
final class NamedPipes {
    /** The pause after the first ERROR_PIPE_BUSY, doubled each time up to {@link #MAX_DELAY} (CPython's 1 ms and 100 ms). */
    static final double INITIAL_DELAY = 0.001;
    static final double MAX_DELAY = 0.1;
    /** Each instance's buffer sizes, as CPython's windows_utils.BUFSIZE. */
    private static final int BUFFER_SIZE = 8192;

    private NamedPipes() {
    }

    /**
     * A new server instance of {@code address}. The first one claims the name
     * (FILE_FLAG_FIRST_PIPE_INSTANCE: ERROR_ACCESS_DENIED if another server has it). Byte mode,
     * not CPython's message mode: the transport reads a byte stream either way, and byte reads
     * never end with ERROR_MORE_DATA.
     */
    static WindowsSocket serverInstance(IocpCompletionPort port, Win32Processes processes, String address,
                                        boolean first) throws IOException {
        ByteBuffer name = WindowsProcess.wide(address);
        long handle = processes.CreateNamedPipeW(IocpCompletionPort.address(name),
                PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED | (first ? FILE_FLAG_FIRST_PIPE_INSTANCE : 0),
                PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT, PIPE_UNLIMITED_INSTANCES, BUFFER_SIZE, BUFFER_SIZE,
                NMPWAIT_WAIT_FOREVER, 0);
        if (handle == INVALID_HANDLE_VALUE) {
            throw WinErrors.exception(processes.lastError(), "CreateNamedPipeW(" + address + ")");
        }
        return associated(port, processes, handle);
    }

    /**
     * The client's end of {@code address}; on a busy pipe it sleeps (on the loop, in the calling
     * task) and tries again. A pipe nobody serves fails with FileNotFoundError.
     */
    static WindowsSocket connect(IocpCompletionPort port, Win32Processes processes, String address)
            throws IOException {
        ByteBuffer name = WindowsProcess.wide(address);
        double delay = INITIAL_DELAY;
        while (true) {
            long handle = open(processes, name);
            if (handle != INVALID_HANDLE_VALUE) {
                return associated(port, processes, handle);
            }
            int error = processes.lastError();
            if (error == ERROR_FILE_NOT_FOUND) {
                throw new FileNotFoundError("[WinError 2] The system cannot find the file specified: '" + address + "'",
                        2, "The system cannot find the file specified", address);
            }
            if (error != ERROR_PIPE_BUSY) {
                throw WinErrors.exception(error, "CreateFileW(" + address + ")");
            }
            delay = Math.min(delay * 2, MAX_DELAY);
            Asyncio.sleep(delay);
        }
    }

    /** One CreateFileW of the client's end (overlapped, read and write); INVALID_HANDLE_VALUE and lastError when refused. */
    static long open(Win32Processes processes, ByteBuffer wideName) {
        return processes.CreateFileW(IocpCompletionPort.address(wideName), GENERIC_READ | GENERIC_WRITE, 0, 0,
                OPEN_EXISTING, FILE_FLAG_OVERLAPPED, 0);
    }

    private static WindowsSocket associated(IocpCompletionPort port, Win32Processes processes, long handle)
            throws IOException {
        WindowsProcess.PipeHandle pipe = new WindowsProcess.PipeHandle(processes, handle);
        try {
            return WindowsSocket.adopt(port, pipe, handle, 0, 0);
        } catch (IOException | RuntimeException failed) {
            pipe.close();
            throw failed;
        }
    }
}
