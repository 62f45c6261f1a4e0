package asyncio.selector.ffi;

/**
 * The one C library call the selector loop makes, bound by jnr-ffi: the JDK can send a child
 * only SIGTERM ({@code Process.destroy}) and SIGKILL ({@code destroyForcibly}), and asyncio's
 * {@code send_signal} sends any signal. Public only because the class jnr-ffi generates for it
 * lives in another module; nothing outside asyncio.selector should call it.
 */
public interface Posix {
    int kill(int pid, int signal);
}
