package asyncio.windows.ffi;

/**
 * The Win32 constants of the loop's subprocesses (winbase.h, winnt.h, processthreadsapi.h,
 * wincon.h, winerror.h), named as the SDK names them. Kept apart from {@link WinApi} so the
 * process binding stays in files of its own; {@code LayoutTest} checks every field here against
 * the mingw-w64 headers as it checks {@link WinApi}.
 */
public final class ProcessApi {
    private ProcessApi() {
    }

    // named pipes (CreateNamedPipeW, CreateFileW)
    public static final int PIPE_ACCESS_INBOUND = 0x1;
    public static final int PIPE_ACCESS_OUTBOUND = 0x2;
    public static final int FILE_FLAG_OVERLAPPED = 0x40000000;
    public static final int FILE_FLAG_FIRST_PIPE_INSTANCE = 0x00080000;
    public static final int PIPE_TYPE_BYTE = 0;
    public static final int PIPE_READMODE_BYTE = 0;
    public static final int PIPE_WAIT = 0;
    public static final int PIPE_REJECT_REMOTE_CLIENTS = 0x8;
    public static final int NMPWAIT_WAIT_FOREVER = 0xFFFFFFFF;
    public static final int GENERIC_READ = 0x80000000;
    public static final int GENERIC_WRITE = 0x40000000;
    public static final int FILE_SHARE_READ = 0x1;
    public static final int FILE_SHARE_WRITE = 0x2;
    public static final int OPEN_EXISTING = 3;
    public static final int CREATE_ALWAYS = 2;
    public static final int FILE_ATTRIBUTE_NORMAL = 0x80;

    // processes
    public static final int STARTF_USESTDHANDLES = 0x100;
    public static final int CREATE_UNICODE_ENVIRONMENT = 0x400;
    public static final int EXTENDED_STARTUPINFO_PRESENT = 0x80000;
    /** {@code ProcThreadAttributeValue(ProcThreadAttributeHandleList, FALSE, TRUE, FALSE)}, a DWORD_PTR. */
    public static final long PROC_THREAD_ATTRIBUTE_HANDLE_LIST = 0x20002L;
    public static final int STILL_ACTIVE = 259;
    public static final int STD_INPUT_HANDLE = -10;
    public static final int STD_OUTPUT_HANDLE = -11;
    public static final int STD_ERROR_HANDLE = -12;
    public static final int DUPLICATE_SAME_ACCESS = 0x2;
    public static final int CTRL_C_EVENT = 0;
    public static final int CTRL_BREAK_EVENT = 1;

    // waits
    public static final int WAIT_OBJECT_0 = 0;
    public static final int WAIT_FAILED = 0xFFFFFFFF;
    public static final int MAXIMUM_WAIT_OBJECTS = 64;

    // error codes
    public static final int ERROR_FILE_NOT_FOUND = 2;
    public static final int ERROR_PATH_NOT_FOUND = 3;
    public static final int ERROR_ACCESS_DENIED = 5;
    public static final int ERROR_INVALID_HANDLE = 6;
    public static final int ERROR_PIPE_CONNECTED = 535;
    public static final int ERROR_INSUFFICIENT_BUFFER = 122;
}
