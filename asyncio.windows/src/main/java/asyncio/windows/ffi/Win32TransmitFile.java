package asyncio.windows.ffi;

/**
 * {@code TransmitFile}, for {@code loop.sendfile}/{@code sock_sendfile} on the IOCP loop: like
 * AcceptEx an mswsock extension called through the pointer {@code WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER)}
 * gives for {@link #WSAID_TRANSMITFILE}. Apart from {@link Win32} so the tests can script it beside
 * the fake Winsock. The file's position is the OVERLAPPED's Offset/OffsetHigh; {@code LayoutTest}
 * compares the GUID and those offsets with the mingw-w64 headers.
 */
public interface Win32TransmitFile {
    /** WSAID_TRANSMITFILE {b5367df0-cbac-11cf-95ca-00805f48a192}, as its 16 bytes lie in memory. */
    byte[] WSAID_TRANSMITFILE = {
        (byte) 0xf0, 0x7d, 0x36, (byte) 0xb5, (byte) 0xac, (byte) 0xcb, (byte) 0xcf, 0x11,
        (byte) 0x95, (byte) 0xca, 0x00, (byte) 0x80, 0x5f, 0x48, (byte) 0xa1, (byte) 0x92,
    };
    /** offsetof(OVERLAPPED, Offset) and OffsetHigh on x64: where the file position goes. */
    int OVERLAPPED_OFFSET = 16;
    int OVERLAPPED_OFFSET_HIGH = 20;

    /**
     * {@code TransmitFile(socket, file, bytes, 0, overlapped, NULL, 0)} through {@code function}:
     * TRUE, or FALSE with the error saved for the calling thread (ERROR_IO_PENDING/WSA_IO_PENDING:
     * in flight). {@code bytes} is never 0 here (0 would mean the whole file).
     */
    int TransmitFile(long function, long socket, long file, int bytes, int bytesPerSend, long overlapped,
                     long buffers, int flags);

    /** The calling thread's error saved after its last call here. */
    int lastError();
}
