package asyncio.api;

import java.nio.file.AccessDeniedException;

/**
 * Access to a file or program was refused (errno {@code EACCES} or {@code EPERM}), with the
 * errno, the system's words for it and the file name, as Python's {@code PermissionError}
 * carries them in {@code errno}, {@code strerror} and {@code filename}. Raised, for one, by
 * {@code subprocessExec} for a program that is not executable. It is the JDK's
 * {@link AccessDeniedException} ({@code getFile()} is the file name, {@code getReason()} the
 * system's words), with this error's own message.
 */
public class PermissionError extends AccessDeniedException {
    private static final long serialVersionUID = 1L;

    private final String message;
    private final int errno;

    /** An error with the given message about {@code filename}; {@code errno} and {@code strerror} as the system gave them. */
    public PermissionError(String message, int errno, String strerror, String filename) {
        super(filename, null, strerror);
        this.message = message;
        this.errno = errno;
    }

    @Override
    public String getMessage() {
        return message;
    }

    /** The system's error number. Mirrors {@code OSError.errno}. */
    public int errno() {
        return errno;
    }

    /** The system's words for {@link #errno()}. Mirrors {@code OSError.strerror}. */
    public String strerror() {
        return getReason();
    }

    /** The file (or program) the error is about. Mirrors {@code OSError.filename}. */
    public String filename() {
        return getFile();
    }
}
