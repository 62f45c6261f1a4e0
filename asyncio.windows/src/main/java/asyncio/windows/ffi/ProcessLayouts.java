package asyncio.windows.ffi;

import jnr.ffi.Runtime;
import jnr.ffi.Struct;

/**
 * The structures {@code CreateProcessW} reads and fills, declared as {@link Layouts} declares the
 * I/O ones (fixed-width members, tail padding spelled out), with the offsets the spawn writes at.
 * {@code LayoutTest} compares them with the mingw-w64 headers.
 */
@SuppressWarnings("exports") // jnr-ffi types in an exported, non-API package: only the binding and its tests use them
public final class ProcessLayouts {
    private static final Runtime RUNTIME = Runtime.getSystemRuntime();
    private static final StartupInfoW STARTUP = new StartupInfoW(RUNTIME);
    private static final StartupInfoExW STARTUP_EX = new StartupInfoExW(RUNTIME);
    private static final ProcessInformation INFORMATION = new ProcessInformation(RUNTIME);
    private static final SecurityAttributes SECURITY = new SecurityAttributes(RUNTIME);

    public static final int STARTUPINFOW_SIZE = Struct.size(STARTUP);
    public static final int STARTUPINFOW_CB = (int) STARTUP.cb.offset();
    public static final int STARTUPINFOW_FLAGS = (int) STARTUP.dwFlags.offset();
    public static final int STARTUPINFOW_STD_INPUT = (int) STARTUP.hStdInput.offset();
    public static final int STARTUPINFOW_STD_OUTPUT = (int) STARTUP.hStdOutput.offset();
    public static final int STARTUPINFOW_STD_ERROR = (int) STARTUP.hStdError.offset();

    public static final int STARTUPINFOEXW_SIZE = Struct.size(STARTUP_EX);
    public static final int STARTUPINFOEXW_ATTRIBUTE_LIST = (int) STARTUP_EX.lpAttributeList.offset();

    public static final int PROCESS_INFORMATION_SIZE = Struct.size(INFORMATION);
    public static final int PROCESS_INFORMATION_PROCESS = (int) INFORMATION.hProcess.offset();
    public static final int PROCESS_INFORMATION_THREAD = (int) INFORMATION.hThread.offset();
    public static final int PROCESS_INFORMATION_PROCESS_ID = (int) INFORMATION.dwProcessId.offset();

    public static final int SECURITY_ATTRIBUTES_SIZE = Struct.size(SECURITY);
    public static final int SECURITY_ATTRIBUTES_LENGTH = (int) SECURITY.nLength.offset();
    public static final int SECURITY_ATTRIBUTES_INHERIT = (int) SECURITY.bInheritHandle.offset();

    private ProcessLayouts() {
    }

    /** {@code STARTUPINFOW}: here only for the three standard handles and STARTF_USESTDHANDLES. */
    public static final class StartupInfoW extends Struct {
        public final Unsigned32 cb = new Unsigned32();
        public final Pointer lpReserved = new Pointer();
        public final Pointer lpDesktop = new Pointer();
        public final Pointer lpTitle = new Pointer();
        public final Unsigned32 dwX = new Unsigned32();
        public final Unsigned32 dwY = new Unsigned32();
        public final Unsigned32 dwXSize = new Unsigned32();
        public final Unsigned32 dwYSize = new Unsigned32();
        public final Unsigned32 dwXCountChars = new Unsigned32();
        public final Unsigned32 dwYCountChars = new Unsigned32();
        public final Unsigned32 dwFillAttribute = new Unsigned32();
        public final Unsigned32 dwFlags = new Unsigned32();
        public final Unsigned16 wShowWindow = new Unsigned16();
        public final Unsigned16 cbReserved2 = new Unsigned16();
        public final Pointer lpReserved2 = new Pointer();
        public final Pointer hStdInput = new Pointer();
        public final Pointer hStdOutput = new Pointer();
        public final Pointer hStdError = new Pointer();

        public StartupInfoW(Runtime runtime) {
            super(runtime);
        }
    }

    /**
     * {@code STARTUPINFOEXW}: a STARTUPINFOW (at offset 0, so the STARTUPINFOW offsets hold) and the
     * attribute list that names the handles the child inherits; CreateProcessW reads it with
     * EXTENDED_STARTUPINFO_PRESENT.
     */
    public static final class StartupInfoExW extends Struct {
        public final StartupInfoW StartupInfo = inner(new StartupInfoW(getRuntime()));
        public final Pointer lpAttributeList = new Pointer();

        public StartupInfoExW(Runtime runtime) {
            super(runtime);
        }
    }

    /** {@code PROCESS_INFORMATION}: what CreateProcessW fills in. */
    public static final class ProcessInformation extends Struct {
        public final Pointer hProcess = new Pointer();
        public final Pointer hThread = new Pointer();
        public final Unsigned32 dwProcessId = new Unsigned32();
        public final Unsigned32 dwThreadId = new Unsigned32();

        public ProcessInformation(Runtime runtime) {
            super(runtime);
        }
    }

    /** {@code SECURITY_ATTRIBUTES}: only for bInheritHandle, on the child's pipe ends. */
    public static final class SecurityAttributes extends Struct {
        public final Unsigned32 nLength = new Unsigned32();
        public final Pointer lpSecurityDescriptor = new Pointer();
        public final Signed32 bInheritHandle = new Signed32();
        /** C's tail padding to the pointer alignment (24, not 20), which jnr-ffi leaves out. */
        @SuppressWarnings("unused")
        private final Padding tail = new Padding(jnr.ffi.NativeType.UINT, 1);

        public SecurityAttributes(Runtime runtime) {
            super(runtime);
        }
    }
}
