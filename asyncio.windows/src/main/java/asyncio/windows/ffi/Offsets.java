package asyncio.windows.ffi;

import jnr.ffi.Runtime;
import jnr.ffi.Struct;

/**
 * Sizes and member offsets of the {@link Layouts} structures, computed once by jnr-ffi from their
 * declarations, for the loop's hot path, which reads and writes direct buffers at plain offsets
 * (no struct object per operation). Also the extension-function GUIDs of mswsock.h as bytes.
 */
public final class Offsets {
    private static final Runtime RUNTIME = Runtime.getSystemRuntime();
    private static final Layouts.Overlapped OVERLAPPED = new Layouts.Overlapped(RUNTIME);
    private static final Layouts.OverlappedEntry ENTRY = new Layouts.OverlappedEntry(RUNTIME);
    private static final Layouts.WsaBuf WSABUF = new Layouts.WsaBuf(RUNTIME);
    private static final Layouts.SockaddrIn IN = new Layouts.SockaddrIn(RUNTIME);
    private static final Layouts.SockaddrIn6 IN6 = new Layouts.SockaddrIn6(RUNTIME);

    public static final int OVERLAPPED_SIZE = Struct.size(OVERLAPPED);
    public static final int OVERLAPPED_INTERNAL = (int) OVERLAPPED.Internal.offset();
    public static final int OVERLAPPED_INTERNAL_HIGH = (int) OVERLAPPED.InternalHigh.offset();
    public static final int OVERLAPPED_OFFSET = (int) OVERLAPPED.Offset.offset();
    public static final int OVERLAPPED_OFFSET_HIGH = (int) OVERLAPPED.OffsetHigh.offset();
    public static final int OVERLAPPED_HEVENT = (int) OVERLAPPED.hEvent.offset();

    public static final int ENTRY_SIZE = Struct.size(ENTRY);
    public static final int ENTRY_KEY = (int) ENTRY.lpCompletionKey.offset();
    public static final int ENTRY_OVERLAPPED = (int) ENTRY.lpOverlapped.offset();
    public static final int ENTRY_BYTES = (int) ENTRY.dwNumberOfBytesTransferred.offset();

    public static final int WSABUF_SIZE = Struct.size(WSABUF);
    public static final int WSABUF_LEN = (int) WSABUF.len.offset();
    public static final int WSABUF_BUF = (int) WSABUF.buf.offset();

    public static final int SOCKADDR_IN_SIZE = Struct.size(IN);
    public static final int SIN_FAMILY = (int) IN.sin_family.offset();
    public static final int SIN_PORT = (int) IN.sin_port.offset();
    public static final int SIN_ADDR = (int) IN.sin_addr.offset();
    public static final int SOCKADDR_IN6_SIZE = Struct.size(IN6);
    public static final int SIN6_FAMILY = (int) IN6.sin6_family.offset();
    public static final int SIN6_PORT = (int) IN6.sin6_port.offset();
    public static final int SIN6_FLOWINFO = (int) IN6.sin6_flowinfo.offset();
    public static final int SIN6_ADDR = (int) IN6.sin6_addr[0].offset();
    public static final int SIN6_SCOPE_ID = (int) IN6.sin6_scope_id.offset();
    /** {@code SOCKADDR_STORAGE}: room for any address. */
    public static final int SOCKADDR_STORAGE_SIZE = 128;

    /** WSAID_ACCEPTEX {b5367df1-cbac-11cf-95ca-00805f48a192}, as laid out in memory (little-endian Data1..3). */
    public static final byte[] WSAID_ACCEPTEX = guid(0xb5367df1, (short) 0xcbac, (short) 0x11cf,
            0x95, 0xca, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92);
    /** WSAID_CONNECTEX {25a207b9-ddf3-4660-8ee9-76e58c74063e}. */
    public static final byte[] WSAID_CONNECTEX = guid(0x25a207b9, (short) 0xddf3, (short) 0x4660,
            0x8e, 0xe9, 0x76, 0xe5, 0x8c, 0x74, 0x06, 0x3e);
    public static final int GUID_SIZE = Struct.size(new Layouts.Guid(RUNTIME));

    private Offsets() {
    }

    private static byte[] guid(int data1, short data2, short data3, int... data4) {
        byte[] bytes = new byte[16];
        for (int i = 0; i < 4; i++) {
            bytes[i] = (byte) (data1 >>> (8 * i));
        }
        bytes[4] = (byte) data2;
        bytes[5] = (byte) (data2 >>> 8);
        bytes[6] = (byte) data3;
        bytes[7] = (byte) (data3 >>> 8);
        for (int i = 0; i < 8; i++) {
            bytes[8 + i] = (byte) data4[i];
        }
        return bytes;
    }
}
