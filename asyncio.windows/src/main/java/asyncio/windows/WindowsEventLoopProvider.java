package asyncio.windows;

import asyncio.api.EventLoop;
import asyncio.spi.EventLoopProvider;
import asyncio.windows.ffi.NativeWin32;

/**
 * Provides {@link WindowsEventLoop} under the name {@code proactor}, asyncio's default loop on
 * Windows. Its priority (30) is above epoll (20) and the selector (10), which only matters where it
 * is supported: Windows on x64 with kernel32 and ws2_32 bound by jnr-ffi. Everywhere else the probe
 * refuses, saying why, and the policy picks another loop.
 *
 * <p>Until the loop has run on a real Windows JVM (it is checked here against mingw's layouts,
 * Wine-recorded call sequences and a scripted Winsock only) it is opt-in even on Windows:
 * {@code -Dasyncio.windows=true}, or asked for by name ({@code -Dasyncio.loop=proactor}); without
 * it the policy keeps the selector loop there, as before this module existed.
 */
public final class WindowsEventLoopProvider implements EventLoopProvider {
    static final String NAME = "proactor";
    /** The system property that makes the loop available on Windows. */
    public static final String ENABLE = "asyncio.windows";

    /** The provider; found by {@link java.util.ServiceLoader}. */
    public WindowsEventLoopProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 30;
    }

    @Override
    public String unsupportedReason() {
        String os = System.getProperty("os.name", "");
        if (!os.startsWith("Windows")) {
            return "not Windows: I/O completion ports are a Windows facility (os.name=" + os + ")";
        }
        String arch = System.getProperty("os.arch", "");
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            return "the binding's structure layouts are those of Windows x64 (os.arch=" + arch + ")";
        }
        try {
            Throwable failure = NativeWin32.loadFailure();
            if (failure != null) {
                return "jnr-ffi cannot bind kernel32/ws2_32: " + failure;
            }
        } catch (LinkageError failed) {
            return "the native binding failed: " + failed;
        }
        boolean askedFor = Boolean.getBoolean(ENABLE) || NAME.equals(System.getProperty("asyncio.loop"))
                || NAME.equals(System.getenv("ASYNCIO_LOOP"));
        return askedFor ? null : "the IOCP loop has not yet run on a real Windows JVM: opt in with -D" + ENABLE + "=true";
    }

    @Override
    public EventLoop newEventLoop() {
        return new WindowsEventLoop();
    }
}
