package asyncio.epoll;

import asyncio.api.subprocess.SubprocessOptions;
import asyncio.epoll.ffi.Native;
import asyncio.spi.process.SpawnedProcess;
import java.io.IOException;
import java.util.List;

/**
 * Not API: this loop's way of starting children ({@code posix_spawnp}, pipes from {@code pipe2},
 * a pidfd for the exit) lent to {@code asyncio.uring}, whose ring watches the pidfd and moves the
 * pipes' bytes itself. The pipe ends and the pidfd are native descriptors that
 * {@link NativeSockets#fd} reads. One per loop; {@link #spawn} may be called from any thread
 * (the proactor loops start children off the loop thread), one spawn at a time.
 */
public final class NativeChildren {
    private ChildSpawner spawner;

    /** Children for one loop. */
    public NativeChildren() {
    }

    /** Why this system cannot spawn children this way, or null when it can. */
    public static String unsupportedReason() {
        return ChildSpawner.unsupportedReason(Native.libc());
    }

    /**
     * Starts {@code args} as {@code options} say; null when this system or these options need
     * another way (see {@link #unsupportedReason()}; a working directory without
     * {@code posix_spawn_file_actions_addchdir_np}). Failures are ProcessBuilder's, nothing left open.
     * The result's {@link SpawnedProcess#reap()} and signals belong to the loop thread.
     */
    public synchronized SpawnedProcess spawn(List<String> args, SubprocessOptions options) throws IOException {
        if (spawner == null) {
            spawner = new ChildSpawner(Native.libc());
        }
        return spawner.spawn(args, options);
    }
}
