package asyncio.api.subprocess;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The keyword arguments of {@code subprocess_exec}: where each stream goes, the working
 * directory and the environment. Setters return {@code this}.
 */
public final class SubprocessOptions {
    private Stdio stdin;
    private Stdio stdout;
    private Stdio stderr;
    private Path cwd;
    private Map<String, String> env;
    private boolean startNewSession;
    private int[] passFds = new int[0];
    private boolean closeFds = true;

    /** Every stream a pipe: the default of {@code loop.subprocess_exec()}. */
    public static SubprocessOptions pipes() {
        return new SubprocessOptions(Stdio.PIPE);
    }

    /** Every stream inherited: the default of {@code asyncio.create_subprocess_exec()}. */
    public static SubprocessOptions inherit() {
        return new SubprocessOptions(Stdio.INHERIT);
    }

    private SubprocessOptions(Stdio all) {
        stdin = all;
        stdout = all;
        stderr = all;
    }

    /** Where stdin comes from ({@link Stdio#STDOUT} is not allowed). */
    public SubprocessOptions stdin(Stdio where) {
        if (where == Stdio.STDOUT) {
            throw new IllegalArgumentException("STDOUT can only be used for stderr");
        }
        stdin = Objects.requireNonNull(where);
        return this;
    }

    /** Where stdout goes ({@link Stdio#STDOUT} is not allowed). */
    public SubprocessOptions stdout(Stdio where) {
        if (where == Stdio.STDOUT) {
            throw new IllegalArgumentException("STDOUT can only be used for stderr");
        }
        stdout = Objects.requireNonNull(where);
        return this;
    }

    /** Where stderr goes; {@link Stdio#STDOUT} merges it into stdout. */
    public SubprocessOptions stderr(Stdio where) {
        stderr = Objects.requireNonNull(where);
        return this;
    }

    /** The child's working directory (null: the parent's). */
    public SubprocessOptions cwd(Path directory) {
        cwd = directory;
        return this;
    }

    /** The child's whole environment (null: the parent's). */
    public SubprocessOptions env(Map<String, String> environment) {
        env = environment == null ? null : new LinkedHashMap<>(environment);
        return this;
    }

    /**
     * Whether the child runs {@code setsid()} before the program starts, leading a new session
     * and process group. Mirrors {@code start_new_session=True}. Only a loop that spawns children
     * itself (the epoll loop) can; elsewhere starting the child fails with
     * {@link UnsupportedOperationException}.
     */
    public SubprocessOptions startNewSession(boolean newSession) {
        startNewSession = newSession;
        return this;
    }

    /**
     * Descriptors the child keeps open, under the same numbers, although they are close-on-exec
     * here. Mirrors {@code pass_fds=(...)}; as there, passing any implies {@code close_fds=True}.
     * Only a loop that spawns children itself (the epoll loop) can; elsewhere starting the child
     * fails with {@link UnsupportedOperationException}.
     */
    public SubprocessOptions passFds(int... fds) {
        for (int fd : fds) {
            if (fd < 3) {
                throw new IllegalArgumentException("pass_fds holds descriptors above 2 (stdio has its own options): " + fd);
            }
        }
        passFds = fds.clone();
        return this;
    }

    /**
     * Whether every descriptor above 2 that {@link #passFds} does not name is closed in the child
     * (true, the default, as in Python). Mirrors {@code close_fds=}. {@code false} lets the child
     * inherit the descriptors that are not close-on-exec, which include most of the JDK's own
     * (it opens files, pipes and sockets without close-on-exec and relies on ProcessBuilder closing
     * them), so the child holds every channel of this process open. Only a loop that
     * spawns children itself (the epoll loop) can keep them: ProcessBuilder always closes them, so
     * elsewhere {@code false} fails with {@link UnsupportedOperationException}.
     */
    public SubprocessOptions closeFds(boolean close) {
        closeFds = close;
        return this;
    }

    /** Whether the child starts a new session. */
    public boolean startNewSession() {
        return startNewSession;
    }

    /** The descriptors the child keeps (a copy). */
    public int[] passFds() {
        return passFds.clone();
    }

    /** Whether the child closes descriptors above 2 but {@link #passFds}; true when any are passed. */
    public boolean closeFds() {
        return closeFds || passFds.length > 0;
    }

    /** Whether only a loop spawning children itself can honour these options. */
    public boolean needsOwnSpawn() {
        return startNewSession || passFds.length > 0 || !closeFds;
    }

    /** Where stdin comes from. */
    public Stdio stdin() {
        return stdin;
    }

    /** Where stdout goes. */
    public Stdio stdout() {
        return stdout;
    }

    /** Where stderr goes. */
    public Stdio stderr() {
        return stderr;
    }

    /** The working directory, or null. */
    public Path cwd() {
        return cwd;
    }

    /** The environment, or null. */
    public Map<String, String> env() {
        return env;
    }
}
