package asyncio.api;

/**
 * A request to end the program. Mirrors Python's {@code SystemExit}, a base exception as
 * {@link KeyboardInterrupt} is: raised in a task, it is stored as the task's exception and also
 * propagates out of {@link EventLoop#runUntilComplete} and {@link EventLoop#runForever}; a
 * {@link TaskGroup} re-raises it as it is, not inside a {@link TaskGroupException}. Raising it
 * does not exit the JVM: whoever catches it decides, as Python's interpreter does at top level.
 */
public final class SystemExit extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The exit status, or null when a message (or nothing) was given. */
    private final Integer status;

    /** An exit without a status (0 at top level). Mirrors {@code SystemExit()}. */
    public SystemExit() {
        super();
        this.status = null;
    }

    /** An exit with {@code status}. Mirrors {@code SystemExit(status)}. */
    public SystemExit(int status) {
        super("exit status " + status);
        this.status = status;
    }

    /** An exit with a message (printed, status 1 at top level). Mirrors {@code SystemExit(message)}. */
    public SystemExit(String message) {
        super(message);
        this.status = null;
    }

    /** The status given, or null if none (or a message) was. Mirrors {@code SystemExit.code} for an int. */
    public Integer status() {
        return status;
    }
}
