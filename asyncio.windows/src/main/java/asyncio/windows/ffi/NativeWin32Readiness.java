package asyncio.windows.ffi;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.intptr_t;

/** {@link Win32Readiness} on ws2_32.dll through jnr-ffi, loaded on first use (fails off Windows). */
public final class NativeWin32Readiness implements Win32Readiness {
    /** ws2_32's WSAPoll as jnr-ffi binds it: three arguments, far from the six-argument fault. */
    @SaveError
    public interface Ws2_32Poll {
        int WSAPoll(@intptr_t long fds, int count, int timeout);
    }

    private final Ws2_32Poll ws2;
    private final Runtime runtime;

    private NativeWin32Readiness(Ws2_32Poll ws2) {
        this.ws2 = ws2;
        this.runtime = Runtime.getRuntime(ws2);
    }

    /** The binding on ws2_32; throws (UnsatisfiedLinkError) where it cannot be loaded. */
    public static NativeWin32Readiness load() {
        return bind("ws2_32");
    }

    /** The binding on another library with the same export (the marshalling test's stand-in). */
    static NativeWin32Readiness bind(String library) {
        return new NativeWin32Readiness(LibraryLoader.create(Ws2_32Poll.class).load(library));
    }

    @Override
    public int WSAPoll(long fds, int count, int timeout) {
        return ws2.WSAPoll(fds, count, timeout);
    }

    @Override
    public int lastError() {
        return LastError.getLastError(runtime);
    }
}
