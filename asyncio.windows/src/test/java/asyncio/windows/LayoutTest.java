package asyncio.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.windows.ffi.Layouts;
import asyncio.windows.ffi.Offsets;
import asyncio.windows.ffi.ProcessApi;
import asyncio.windows.ffi.ProcessLayouts;
import asyncio.windows.ffi.WinApi;
import asyncio.windows.ffi.Win32Readiness;
import asyncio.windows.ffi.Win32TransmitFile;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jnr.ffi.Runtime;
import jnr.ffi.Struct;
import org.junit.jupiter.api.Test;

/**
 * The Java binding's structure layouts and constants against the Windows SDK: win64-layout.txt is
 * what src/test/c/layout.c, compiled by mingw-w64 and run under Wine, printed (run-under-wine.sh
 * regenerates it). Every struct member the binding declares, every GUID and every {@link WinApi}
 * constant must be there with the same value, and the loop's own offsets ({@link Offsets},
 * {@link OpBlock}) must agree with them.
 */
class LayoutTest {
    private static final Runtime RUNTIME = Runtime.getSystemRuntime();

    @Test
    void structuresAreLaidOutAsWindowsX64LaysThemOut() throws IOException {
        Map<String, String> windows = windows();
        Map<String, String> java = new TreeMap<>();
        struct(java, "OVERLAPPED", new Layouts.Overlapped(RUNTIME));
        struct(java, "OVERLAPPED_ENTRY", new Layouts.OverlappedEntry(RUNTIME));
        struct(java, "WSABUF", new Layouts.WsaBuf(RUNTIME));
        struct(java, "sockaddr_in", new Layouts.SockaddrIn(RUNTIME));
        struct(java, "sockaddr_in6", new Layouts.SockaddrIn6(RUNTIME));
        java.put("GUID.size", Integer.toString(Struct.size(new Layouts.Guid(RUNTIME))));
        java.put("SOCKADDR_STORAGE.size", Integer.toString(Offsets.SOCKADDR_STORAGE_SIZE));
        java.put("WSAID_ACCEPTEX", HexFormat.of().formatHex(Offsets.WSAID_ACCEPTEX));
        java.put("WSAID_CONNECTEX", HexFormat.of().formatHex(Offsets.WSAID_CONNECTEX));
        assertSameAsWindows(windows, java);
    }

    @Test
    void constantsHaveTheirWindowsValues() throws IOException, IllegalAccessException {
        Map<String, String> windows = windows();
        Map<String, String> java = new TreeMap<>();
        for (Field field : WinApi.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers())) {
                java.put(field.getName(), field.get(null).toString());
            }
        }
        assertSameAsWindows(windows, java);
    }

    @Test
    void theLoopsOffsetsAreTheDeclaredOnes() throws IOException {
        Map<String, String> windows = windows();
        assertEquals(windows.get("OVERLAPPED.Internal"), Integer.toString(Offsets.OVERLAPPED_INTERNAL));
        assertEquals(windows.get("OVERLAPPED.size"), Integer.toString(Offsets.OVERLAPPED_SIZE));
        assertEquals(windows.get("OVERLAPPED_ENTRY.size"), Integer.toString(Offsets.ENTRY_SIZE));
        assertEquals(windows.get("OVERLAPPED_ENTRY.lpOverlapped"), Integer.toString(Offsets.ENTRY_OVERLAPPED));
        assertEquals(windows.get("OVERLAPPED_ENTRY.dwNumberOfBytesTransferred"), Integer.toString(Offsets.ENTRY_BYTES));
        assertEquals(windows.get("WSABUF.buf"), Integer.toString(Offsets.WSABUF_BUF));
        assertEquals(windows.get("sockaddr_in6.sin6_addr"), Integer.toString(Offsets.SIN6_ADDR));
        // The completion port hands back the OVERLAPPED's address: it must be the block's first byte,
        // and the pointers the kernel reads in the block must be 8-byte aligned.
        assertEquals(0, Offsets.OVERLAPPED_INTERNAL);
        assertEquals(0, OpBlock.WSABUF % 8, "WSABUF alignment");
        assertEquals(0, OpBlock.LISTEN_HANDLE % 8, "SOCKET alignment");
        assertEquals(0, OpBlock.ADDRESS % 4, "sockaddr alignment");
        assertTrue(Integer.parseInt(windows.get("WSADATA.size")) <= 512, "the WSAStartup buffer holds a WSADATA");
        assertEquals(windows.get("SOCKET.size"), "8");
        assertEquals(windows.get("HANDLE.size"), "8");
    }

    // --- processes ---

    @Test
    void theProcessStructuresAndConstantsAreTheWindowsOnes() throws IOException, IllegalAccessException {
        Map<String, String> windows = windows();
        Map<String, String> java = new TreeMap<>();
        struct(java, "STARTUPINFOW", new ProcessLayouts.StartupInfoW(RUNTIME));
        struct(java, "PROCESS_INFORMATION", new ProcessLayouts.ProcessInformation(RUNTIME));
        // STARTUPINFOEXW holds a STARTUPINFOW as an inner struct, which has no offset() of its own:
        // its first member's offset is where it starts
        ProcessLayouts.StartupInfoExW extended = new ProcessLayouts.StartupInfoExW(RUNTIME);
        java.put("STARTUPINFOEXW.size", Integer.toString(Struct.size(extended)));
        java.put("STARTUPINFOEXW.StartupInfo", Long.toString(extended.StartupInfo.cb.offset()));
        java.put("STARTUPINFOEXW.lpAttributeList", Long.toString(extended.lpAttributeList.offset()));
        struct(java, "SECURITY_ATTRIBUTES", new ProcessLayouts.SecurityAttributes(RUNTIME));
        for (Field field : ProcessApi.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers())) {
                java.put(field.getName(), field.get(null).toString());
            }
        }
        assertSameAsWindows(windows, java);
        // the offsets the spawn writes at are the declared ones
        assertEquals(windows.get("STARTUPINFOW.size"), Integer.toString(ProcessLayouts.STARTUPINFOW_SIZE));
        assertEquals(windows.get("STARTUPINFOW.dwFlags"), Integer.toString(ProcessLayouts.STARTUPINFOW_FLAGS));
        assertEquals(windows.get("STARTUPINFOW.hStdInput"), Integer.toString(ProcessLayouts.STARTUPINFOW_STD_INPUT));
        assertEquals(windows.get("STARTUPINFOW.hStdOutput"), Integer.toString(ProcessLayouts.STARTUPINFOW_STD_OUTPUT));
        assertEquals(windows.get("STARTUPINFOW.hStdError"), Integer.toString(ProcessLayouts.STARTUPINFOW_STD_ERROR));
        assertEquals(windows.get("STARTUPINFOEXW.size"), Integer.toString(ProcessLayouts.STARTUPINFOEXW_SIZE));
        assertEquals(windows.get("STARTUPINFOEXW.lpAttributeList"),
                Integer.toString(ProcessLayouts.STARTUPINFOEXW_ATTRIBUTE_LIST));
        assertEquals("0", windows.get("STARTUPINFOEXW.StartupInfo"), "the STARTUPINFOW offsets hold in a STARTUPINFOEXW");
        assertEquals(windows.get("PROCESS_INFORMATION.size"), Integer.toString(ProcessLayouts.PROCESS_INFORMATION_SIZE));
        assertEquals(windows.get("PROCESS_INFORMATION.dwProcessId"),
                Integer.toString(ProcessLayouts.PROCESS_INFORMATION_PROCESS_ID));
        assertEquals(windows.get("SECURITY_ATTRIBUTES.size"), Integer.toString(ProcessLayouts.SECURITY_ATTRIBUTES_SIZE));
        assertEquals(windows.get("SECURITY_ATTRIBUTES.bInheritHandle"),
                Integer.toString(ProcessLayouts.SECURITY_ATTRIBUTES_INHERIT));
        // one doorbell and up to 63 children per waiter thread
        assertEquals(Integer.parseInt(windows.get("MAXIMUM_WAIT_OBJECTS")), ExitWaiters.PER_THREAD + 1);
    }

    // --- end of processes ---
    // --- readiness (addReader/addWriter, h-win-io): WSAPOLLFD and the WSAPoll bits ---

    @Test
    void theReadinessHelpersPollArrayAndBitsAreWindowsOnes() throws IOException, IllegalAccessException {
        Map<String, String> windows = windows();
        Map<String, String> java = new TreeMap<>();
        java.put("WSAPOLLFD.size", Integer.toString(Win32Readiness.WSAPOLLFD_SIZE));
        java.put("WSAPOLLFD.fd", Integer.toString(Win32Readiness.WSAPOLLFD_FD));
        java.put("WSAPOLLFD.events", Integer.toString(Win32Readiness.WSAPOLLFD_EVENTS));
        java.put("WSAPOLLFD.revents", Integer.toString(Win32Readiness.WSAPOLLFD_REVENTS));
        for (Field field : Win32Readiness.class.getFields()) {
            if (field.getName().startsWith("POLL")) {
                java.put(field.getName(), field.get(null).toString());
            }
        }
        assertEquals(10, java.size(), "every WSAPoll constant is compared");
        assertSameAsWindows(windows, java);
    }

    // --- end of readiness ---

    // --- TransmitFile (sendfile, h-win-io): its GUID and where the file offset goes ---

    @Test
    void transmitFilesGuidAndOffsetAreWindowsOnes() throws IOException {
        Map<String, String> windows = windows();
        Map<String, String> java = new TreeMap<>();
        java.put("WSAID_TRANSMITFILE", HexFormat.of().formatHex(Win32TransmitFile.WSAID_TRANSMITFILE));
        java.put("OVERLAPPED.Offset", Integer.toString(Win32TransmitFile.OVERLAPPED_OFFSET));
        java.put("OVERLAPPED.OffsetHigh", Integer.toString(Win32TransmitFile.OVERLAPPED_OFFSET_HIGH));
        assertSameAsWindows(windows, java);
    }

    // --- end of TransmitFile ---

    // --- named pipes (create_pipe_connection, start_serving_pipe, h-win-pipes) ---

    @Test
    void theNamedPipeConstantsAreTheWindowsOnes() throws IOException, IllegalAccessException {
        Map<String, String> java = new TreeMap<>();
        for (Field field : asyncio.windows.ffi.PipeApi.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers())) {
                java.put(field.getName(), field.get(null).toString());
            }
        }
        assertEquals(3, java.size(), "every named-pipe constant is compared");
        assertSameAsWindows(windows(), java);
    }

    // --- end of named pipes ---

    private static void struct(Map<String, String> into, String name, Struct struct) {
        into.put(name + ".size", Integer.toString(Struct.size(struct)));
        for (Field field : struct.getClass().getFields()) {
            try {
                Object member = field.get(struct);
                Object first = member instanceof Object[] array ? array[0] : member;
                // Struct.Member is protected in jnr-ffi; its offset() is what a struct's users read.
                java.lang.reflect.Method offset = memberOffset(first.getClass());
                into.put(name + "." + field.getName(), offset.invoke(first).toString());
            } catch (ReflectiveOperationException impossible) {
                throw new AssertionError(impossible);
            }
        }
    }

    private static java.lang.reflect.Method memberOffset(Class<?> type) throws NoSuchMethodException {
        for (Class<?> at = type; at != null; at = at.getSuperclass()) {
            try {
                java.lang.reflect.Method offset = at.getDeclaredMethod("offset");
                offset.setAccessible(true);
                return offset;
            } catch (NoSuchMethodException next) {
                // declared higher up
            }
        }
        throw new NoSuchMethodException(type + ".offset()");
    }

    /** Every Java entry must be in the Windows file with the same value. */
    private static void assertSameAsWindows(Map<String, String> windows, Map<String, String> java) {
        List<String> wrong = new ArrayList<>();
        java.forEach((name, value) -> {
            String expected = windows.get(name);
            if (!value.equals(expected)) {
                wrong.add(name + ": Java " + value + ", Windows " + (expected == null ? "(not printed by layout.c)" : expected));
            }
        });
        assertTrue(wrong.isEmpty(), "the binding differs from the Windows SDK:\n  " + String.join("\n  ", wrong));
    }

    static Map<String, String> windows() throws IOException {
        try (InputStream in = LayoutTest.class.getResourceAsStream("win64-layout.txt")) {
            assertTrue(in != null, "win64-layout.txt is missing (src/test/c/run-under-wine.sh makes it)");
            Map<String, String> values = new TreeMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                int space = line.indexOf(' ');
                if (space > 0) {
                    values.put(line.substring(0, space), line.substring(space + 1).trim());
                }
            }
            return values;
        }
    }
}
