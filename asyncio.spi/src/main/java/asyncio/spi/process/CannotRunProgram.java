package asyncio.spi.process;

import asyncio.api.FileNotFoundError;
import asyncio.api.PermissionError;
import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one exception every loop raises when a program cannot be started: the same type, words,
 * errno and file name whichever way the loop spawns children. asyncio raises what
 * {@code subprocess.Popen} raises, an {@code OSError} subclass chosen by errno whose filename is
 * the program as given: {@link FileNotFoundError} for ENOENT, {@link PermissionError} for
 * EACCES and EPERM, a plain {@link IOException} for anything else.
 */
public final class CannotRunProgram {
    /** Linux and the BSDs (macOS) agree on these numbers and on the words for them. */
    private static final int EPERM = 1;
    private static final int ENOENT = 2;
    private static final int EACCES = 13;

    /** How ProcessBuilder words the errno of a failed exec, whichever launch mechanism the JDK uses. */
    private static final Pattern JDK_ERRNO = Pattern.compile("error(?:=|: )(\\d+)");

    private CannotRunProgram() {
    }

    /**
     * The exception for {@code program} (run in {@code cwd}, or null) failing with {@code errno};
     * {@code strerror} is the system's words for it; {@code cause} (or null) is kept as the cause.
     */
    public static IOException of(String program, Path cwd, int errno, String strerror, Throwable cause) {
        String message = "Cannot run program \"" + program + "\"" + (cwd == null ? "" : " (in directory \"" + cwd + "\")")
                + ": error=" + errno + ", " + strerror;
        IOException error = switch (errno) {
            case ENOENT -> new FileNotFoundError(message, errno, strerror, program);
            case EACCES, EPERM -> new PermissionError(message, errno, strerror, program);
            default -> new IOException(message);
        };
        if (cause != null) {
            error.initCause(cause);
        }
        return error;
    }

    /**
     * The same exception for a failure of {@link ProcessBuilder#start()}: its errno is read from
     * the JDK's message, the only place the JDK keeps it. A failure that names no errno (a
     * redirect file that cannot be opened, say) is returned as it is.
     */
    public static IOException fromProcessBuilder(String program, Path cwd, IOException failed) {
        String text = String.valueOf(failed.getMessage());
        Matcher errno = JDK_ERRNO.matcher(text);
        if (!text.startsWith("Cannot run program") || !errno.find()) {
            return failed;
        }
        int number = Integer.parseInt(errno.group(1));
        return of(program, cwd, number, strerror(text.substring(errno.end())), failed);
    }

    /** The words after the errno: ", No such file..." or " (No such file...)". */
    private static String strerror(String rest) {
        String words = rest.trim().replaceFirst("^[,(\\s]+", "");
        return words.endsWith(")") ? words.substring(0, words.length() - 1) : words;
    }
}
