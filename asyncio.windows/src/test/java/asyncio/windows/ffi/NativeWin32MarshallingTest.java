package asyncio.windows.ffi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.kenai.jffi.Library;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jnr.ffi.LibraryLoader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every call of {@link NativeWin32} reaches C with every argument in place and at full width:
 * the binding is pointed at src/test/c/win32_stub.c (built here with the host's gcc), whose
 * functions have the Win32 signatures and record what they received. This covers what the layout
 * and call-sequence checks cannot: jnr-ffi's marshalling of the interfaces as declared, the
 * trailing dummy arrays of the calls with six or more arguments, the AcceptEx/ConnectEx calls
 * through jffi's invoker, and the saved last error. It runs on the host's calling convention
 * (System V here), not Windows x64's.
 */
class NativeWin32MarshallingTest {
    /** What the stub recorded. */
    public interface Stub {
        String stub_name();

        long stub_arg(int index);

        int stub_count();
    }

    private static Path library;
    private static NativeWin32 win32;
    private static Stub stub;

    @BeforeAll
    static void buildTheStub() throws IOException, InterruptedException {
        Path source = Path.of("src/test/c/win32_stub.c").toAbsolutePath();
        library = Path.of("target/win32-stub/libwin32stub.so").toAbsolutePath();
        Files.createDirectories(library.getParent());
        Process gcc;
        try {
            gcc = new ProcessBuilder("gcc", "-shared", "-fPIC", "-O1", "-o", library.toString(), source.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException noCompiler) {
            Assumptions.abort("no gcc on this machine to build the Win32 stand-in: " + noCompiler.getMessage());
            return;
        }
        String output = new String(gcc.getInputStream().readAllBytes());
        Assumptions.assumeTrue(gcc.waitFor(60, TimeUnit.SECONDS) && gcc.exitValue() == 0,
                "gcc could not build the Win32 stand-in: " + output);
        win32 = NativeWin32.bind(library.toString(), library.toString());
        stub = LibraryLoader.create(Stub.class).load(library.toString());
    }

    @Test
    void everyBoundCallPassesEveryArgumentInOrder() throws ReflectiveOperationException {
        List<String> wrong = new ArrayList<>();
        for (Method method : Win32.class.getMethods()) {
            if (method.getName().equals("lastError") || method.getName().endsWith("Ex")
                    && (method.getName().equals("AcceptEx") || method.getName().equals("ConnectEx"))) {
                continue;
            }
            Object[] args = arguments(method.getParameterTypes(), 0);
            Object result = method.invoke(win32, args);
            check(wrong, method.getName(), args, 0, result);
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void acceptExAndConnectExAreCalledThroughTheirPointers() {
        long acceptEx = Library.getCachedInstance(library.toString(), Library.NOW).getSymbolAddress("AcceptEx_stub");
        long connectEx = Library.getCachedInstance(library.toString(), Library.NOW).getSymbolAddress("ConnectEx_stub");
        List<String> wrong = new ArrayList<>();
        Object[] accept = arguments(new Class<?>[] {long.class, long.class, long.class, long.class, int.class, int.class,
            int.class, long.class, long.class}, 0);
        accept[0] = acceptEx;
        int result = win32.AcceptEx(acceptEx, (Long) accept[1], (Long) accept[2], (Long) accept[3], (Integer) accept[4],
                (Integer) accept[5], (Integer) accept[6], (Long) accept[7], (Long) accept[8]);
        check(wrong, "AcceptEx", accept, 1, result);
        Object[] connect = arguments(new Class<?>[] {long.class, long.class, long.class, int.class, long.class, int.class,
            long.class, long.class}, 0);
        connect[0] = connectEx;
        result = win32.ConnectEx(connectEx, (Long) connect[1], (Long) connect[2], (Integer) connect[3], (Long) connect[4],
                (Integer) connect[5], (Long) connect[6], (Long) connect[7]);
        check(wrong, "ConnectEx", connect, 1, result);
        assertEquals(List.of(), wrong);
    }

    // --- processes ---

    @Test
    void everyProcessCallPassesEveryArgumentInOrder() throws ReflectiveOperationException {
        NativeWin32Processes processes = NativeWin32Processes.bind(library.toString());
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Method method : Win32Processes.class.getMethods()) {
            if (method.getName().equals("lastError")) {
                continue;
            }
            Object[] args = arguments(method.getParameterTypes(), 0);
            Object result = method.invoke(processes, args);
            // DeleteProcThreadAttributeList returns nothing: only its argument is checked
            check(wrong, method.getName(), args, 0, method.getReturnType() == void.class ? 77 : result);
            checked++;
        }
        assertEquals(List.of(), wrong);
        assertEquals(17, checked, "every process call");
        processes.SetEvent(9);
        assertEquals(4242, processes.lastError(), "the last error is saved for the process calls too");
    }

    // --- end of processes ---

    @Test
    void theLastErrorIsTheOneSavedRightAfterTheCall() {
        win32.closesocket(5);
        assertEquals(4242, win32.lastError());
    }

    // --- readiness (addReader/addWriter, h-win-io) ---

    @Test
    void wsaPollPassesItsArgumentsAndSavesTheError() {
        NativeWin32Readiness readiness = NativeWin32Readiness.bind(library.toString());
        List<String> wrong = new ArrayList<>();
        Object[] args = arguments(new Class<?>[] {long.class, int.class, int.class}, 0);
        int result = readiness.WSAPoll((Long) args[0], (Integer) args[1], (Integer) args[2]);
        int error = readiness.lastError(); // at once, before the stub's own calls
        check(wrong, "WSAPoll", args, 0, result);
        assertEquals(List.of(), wrong);
        assertEquals(4242, error);
    }

    // --- end of readiness ---

    // --- TransmitFile (sendfile, h-win-io) ---

    // (jnr's LastError reads what jffi saved after the thread's last call, whichever library it was.)

    @Test
    void transmitFileIsCalledThroughItsPointer() {
        long function = Library.getCachedInstance(library.toString(), Library.NOW).getSymbolAddress("TransmitFile_stub");
        List<String> wrong = new ArrayList<>();
        Object[] args = arguments(new Class<?>[] {long.class, long.class, long.class, int.class, int.class, long.class,
            long.class, int.class}, 0);
        args[0] = function;
        NativeWin32TransmitFile transmit = new NativeWin32TransmitFile();
        int result = transmit.TransmitFile(function, (Long) args[1], (Long) args[2], (Integer) args[3],
                (Integer) args[4], (Long) args[5], (Long) args[6], (Integer) args[7]);
        // Read at once: the stub's own calls below save errno again (jnr saves it after every call).
        int error = transmit.lastError();
        check(wrong, "TransmitFile", args, 1, result);
        assertEquals(List.of(), wrong);
        assertEquals(4242, error, "the error saved right after TransmitFile");
    }

    // --- end of TransmitFile ---

    /** Distinct values that would show truncation, sign errors or a shifted argument. */
    private static Object[] arguments(Class<?>[] types, int from) {
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            if (types[i] == long.class) {
                args[i] = 0x1234_5678_0000_0000L + 0x100L * (i + 1);
            } else if (types[i] == int.class) {
                args[i] = 0x7000 + i + 1;
            } else if (types[i] == short.class) {
                args[i] = (short) 0x0202;
            } else if (types[i] == byte.class) {
                args[i] = (byte) 2;
            } else {
                throw new AssertionError(types[i]);
            }
        }
        return args;
    }

    private static void check(List<String> wrong, String name, Object[] args, int skip, Object result) {
        if (!name.equals(stub.stub_name())) {
            wrong.add(name + ": the stub saw " + stub.stub_name());
            return;
        }
        if (((Number) result).longValue() != 77) {
            wrong.add(name + ": returned " + result);
        }
        if (stub.stub_count() != args.length - skip) {
            wrong.add(name + ": " + stub.stub_count() + " arguments arrived, " + (args.length - skip) + " passed");
        }
        for (int i = skip; i < args.length; i++) {
            long expected = args[i] instanceof Integer n ? n.longValue() : ((Number) args[i]).longValue();
            long seen = stub.stub_arg(i - skip);
            if (seen != expected) {
                wrong.add(name + " argument " + (i - skip) + ": passed 0x" + Long.toHexString(expected)
                        + ", C saw 0x" + Long.toHexString(seen));
            }
        }
    }
}
