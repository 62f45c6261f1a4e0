package asyncio.windows.ffi;

import jnr.ffi.Runtime;
import jnr.ffi.Struct;

/**
 * The Win32 structures the loop lays out in native memory, declared as jnr-ffi structs with
 * fixed-width members only (never {@code long}/{@code NativeLong}, which are 4 bytes on Windows x64
 * and 8 on Linux), so the layout jnr-ffi computes here is the one Windows x64 has. The loop reads
 * and writes those structures in pinned direct buffers at the offsets {@link Offsets} takes from
 * these declarations; {@code LayoutTest} compares both with the mingw-w64 headers.
 */
@SuppressWarnings("exports") // jnr-ffi types in an exported, non-API package: only the binding and its tests use them
public final class Layouts {
    private Layouts() {
    }

    /** {@code OVERLAPPED}: the kernel's record of one operation in flight. */
    public static final class Overlapped extends Struct {
        /** NTSTATUS of the completed operation (STATUS_PENDING while in flight). */
        public final uintptr_t Internal = new uintptr_t();
        /** Bytes transferred. */
        public final uintptr_t InternalHigh = new uintptr_t();
        // union { struct { DWORD Offset; DWORD OffsetHigh; }; PVOID Pointer; }
        public final Unsigned32 Offset = new Unsigned32();
        public final Unsigned32 OffsetHigh = new Unsigned32();
        public final Pointer hEvent = new Pointer();

        public Overlapped(Runtime runtime) {
            super(runtime);
        }
    }

    /** {@code OVERLAPPED_ENTRY}: one completion GetQueuedCompletionStatusEx removed from the port. */
    public static final class OverlappedEntry extends Struct {
        public final uintptr_t lpCompletionKey = new uintptr_t();
        public final Pointer lpOverlapped = new Pointer();
        public final uintptr_t Internal = new uintptr_t();
        public final Unsigned32 dwNumberOfBytesTransferred = new Unsigned32();
        /**
         * The tail padding C adds to make the size a multiple of the pointer alignment (32, not
         * 28): jnr-ffi's struct size leaves it out, and the entries form an array (LayoutTest).
         */
        @SuppressWarnings("unused")
        private final Padding tail = new Padding(jnr.ffi.NativeType.UINT, 1);

        public OverlappedEntry(Runtime runtime) {
            super(runtime);
        }
    }

    /** {@code WSABUF}: one buffer of a WSARecv/WSASend. */
    public static final class WsaBuf extends Struct {
        public final Unsigned32 len = new Unsigned32();
        public final Pointer buf = new Pointer();

        public WsaBuf(Runtime runtime) {
            super(runtime);
        }
    }

    /** {@code struct sockaddr_in}. */
    public static final class SockaddrIn extends Struct {
        public final Unsigned16 sin_family = new Unsigned16();
        /** Network byte order. */
        public final Unsigned16 sin_port = new Unsigned16();
        public final Unsigned32 sin_addr = new Unsigned32();
        public final Unsigned8[] sin_zero = array(new Unsigned8[8]);

        public SockaddrIn(Runtime runtime) {
            super(runtime);
        }
    }

    /** {@code struct sockaddr_in6}. */
    public static final class SockaddrIn6 extends Struct {
        public final Unsigned16 sin6_family = new Unsigned16();
        public final Unsigned16 sin6_port = new Unsigned16();
        public final Unsigned32 sin6_flowinfo = new Unsigned32();
        public final Unsigned8[] sin6_addr = array(new Unsigned8[16]);
        public final Unsigned32 sin6_scope_id = new Unsigned32();

        public SockaddrIn6(Runtime runtime) {
            super(runtime);
        }
    }

    /** {@code GUID}: names an extension function for WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER). */
    public static final class Guid extends Struct {
        public final Unsigned32 Data1 = new Unsigned32();
        public final Unsigned16 Data2 = new Unsigned16();
        public final Unsigned16 Data3 = new Unsigned16();
        public final Unsigned8[] Data4 = array(new Unsigned8[8]);

        public Guid(Runtime runtime) {
            super(runtime);
        }
    }
}
