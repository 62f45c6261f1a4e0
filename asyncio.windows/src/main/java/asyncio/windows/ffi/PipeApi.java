package asyncio.windows.ffi;

/**
 * The Win32 constants of the loop's named pipes (create_pipe_connection, start_serving_pipe) that
 * {@link ProcessApi} does not hold already, named as winbase.h and winerror.h name them. The calls
 * are {@link Win32Processes}' CreateNamedPipeW, ConnectNamedPipe and CreateFileW; {@code LayoutTest}
 * checks every field here against the mingw-w64 headers.
 */
public final class PipeApi {
    private PipeApi() {
    }

    public static final int PIPE_ACCESS_DUPLEX = 0x3;
    public static final int PIPE_UNLIMITED_INSTANCES = 255;
    /** CreateFileW on a pipe whose instances are all connected: try again later. */
    public static final int ERROR_PIPE_BUSY = 231;
}
