package asyncio.api.subprocess;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a child's stdin, stdout or stderr goes. Mirrors {@code asyncio.subprocess.PIPE},
 * {@code STDOUT}, {@code DEVNULL}, {@code None} (inherit) and file objects.
 */
public final class Stdio {
    /** A pipe to and from the loop. Mirrors {@code PIPE}. */
    public static final Stdio PIPE = new Stdio("PIPE", null);
    /** stderr only: into the same place as stdout. Mirrors {@code STDOUT}. */
    public static final Stdio STDOUT = new Stdio("STDOUT", null);
    /** The null device. Mirrors {@code DEVNULL}. */
    public static final Stdio DEVNULL = new Stdio("DEVNULL", null);
    /** The parent's own stream. Mirrors {@code None}. */
    public static final Stdio INHERIT = new Stdio("INHERIT", null);

    private final String kind;
    private final Path file;

    private Stdio(String kind, Path file) {
        this.kind = kind;
        this.file = file;
    }

    /** A file: read for stdin, truncated and written for stdout and stderr. */
    public static Stdio file(Path path) {
        return new Stdio("FILE", Objects.requireNonNull(path, "path"));
    }

    /** The file, or null. */
    public Path path() {
        return file;
    }

    /** Whether this is {@link #PIPE}. */
    public boolean isPipe() {
        return this == PIPE;
    }

    @Override
    public String toString() {
        return file == null ? kind : "file(" + file + ")";
    }
}
