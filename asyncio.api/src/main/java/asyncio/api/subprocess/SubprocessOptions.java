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
