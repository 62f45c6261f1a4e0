package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import asyncio.api.subprocess.Process;
import asyncio.api.subprocess.Stdio;
import asyncio.api.subprocess.SubprocessOptions;
import asyncio.api.subprocess.Subprocesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A child still running when its loop closes is killed and reaped, on every loop: nobody can wait
 * for it any more, and a child nobody reaps stays a zombie for the JVM's lifetime. waitpid is the
 * witness: once the loop is closed, the pid is no child of this process any more (ECHILD).
 */
@SpawnsChildren
@ExtendWith(NoDescriptorLeaks.class)
class ChildReapedAtCloseTest {

    /** Ignores SIGTERM (an ignored signal stays ignored across exec): only SIGKILL ends it. */
    private static final List<String> STUBBORN = List.of("sh", "-c", "trap '' TERM; exec sleep 60");

    @LoopTest
    void aChildStillRunningWhenTheLoopClosesIsKilledAndReaped(LoopKind kind) throws Exception {
        long pid = kind.run(() -> {
            Process child = Subprocesses.createSubprocessExec(STUBBORN,
                    SubprocessOptions.pipes().stdin(Stdio.DEVNULL)).await();
            assertEquals(Posix.Reap.RUNNING, Posix.waitpidNoHang(child.pid()), "the child runs as the loop closes");
            return child.pid();
        });
        awaitExit(pid);
        // Someone else reaped it (the loop, or the JDK's reaper for a ProcessBuilder child): not a zombie.
        assertEquals(Posix.Reap.GONE, Posix.waitpidNoHang(pid), "the killed child " + pid + " was left unreaped");
        assertFalse(isZombie(pid), "child " + pid + " is a zombie");
    }

    @LoopTest
    void aChildWhosePipesAreStillOpenIsReapedToo(LoopKind kind) throws Exception {
        long pid = kind.run(() -> {
            Process child = Subprocesses.createSubprocessExec(STUBBORN, SubprocessOptions.pipes()).await();
            child.stdin().write(new byte[] {'x'});
            return child.pid();
        });
        awaitExit(pid);
        assertEquals(Posix.Reap.GONE, Posix.waitpidNoHang(pid), "the killed child " + pid + " was left unreaped");
    }

    /**
     * Waits, up to the bound, for {@code pid} to exit without reaping it. For a ProcessBuilder
     * child the handle's exit is the JDK reaper's, so it completes once the child is reaped; a
     * child the loop spawned itself was reaped as the loop closed, so no handle is found.
     */
    private static void awaitExit(long pid) throws Exception {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return;
        }
        try {
            handle.get().onExit().get((long) LoopbackPeers.BOUND, TimeUnit.SECONDS);
        } catch (TimeoutException stillRunning) {
            Posix.kill(pid, "KILL");
            throw new AssertionError("the child " + pid + " outlived its closed loop");
        }
    }

    /** Whether /proc says {@code pid} has exited and nobody reaped it. */
    private static boolean isZombie(long pid) throws IOException {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (NoSuchFileException gone) {
            return false;
        }
        // "pid (comm) S ...": the state follows the command name's closing parenthesis.
        return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
    }
}
