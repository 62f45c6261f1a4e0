package asyncio.api;

import java.io.FileNotFoundException;

/**
 * A file or program that does not exist (errno {@code ENOENT}), with the errno, the system's
 * words for it and the file name, as Python's {@code FileNotFoundError} carries them in
 * {@code errno}, {@code strerror} and {@code filename}. Raised, for one, by
 * {@code subprocessExec} for a program that cannot be found. It is the JDK's
 * {@link FileNotFoundException}, so code written for the JDK's exception catches it too.
 */
public class FileNotFoundError extends FileNotFoundException {
    private static final long serialVersionUID = 1L;

    private final int errno;
    private final String strerror;
    private final String filename;

    /** An error with the given message about {@code filename}; {@code errno} and {@code strerror} as the system gave them. */
    public FileNotFoundError(String message, int errno, String strerror, String filename) {
        super(message);
        this.errno = errno;
        this.strerror = strerror;
        this.filename = filename;
    }

    /** The system's error number. Mirrors {@code OSError.errno}. */
    public int errno() {
        return errno;
    }

    /** The system's words for {@link #errno()}. Mirrors {@code OSError.strerror}. */
    public String strerror() {
        return strerror;
    }

    /** The file (or program) the error is about. Mirrors {@code OSError.filename}. */
    public String filename() {
        return filename;
    }
}
