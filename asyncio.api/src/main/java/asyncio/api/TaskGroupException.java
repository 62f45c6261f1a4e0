package asyncio.api;

import java.util.List;

/**
 * Every failure of a {@link TaskGroup}'s tasks (and of its block), reported together. The Java
 * twin of the {@code BaseExceptionGroup('unhandled errors in a TaskGroup', ...)} asyncio raises;
 * each failure is also attached as a suppressed exception so stack traces show them all.
 */
public final class TaskGroupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<Throwable> exceptions;

    /** A group of {@code exceptions}, in the order they happened. */
    public TaskGroupException(String message, List<Throwable> exceptions) {
        super(message + " (" + exceptions.size() + " sub-exception" + (exceptions.size() == 1 ? "" : "s") + ")");
        this.exceptions = List.copyOf(exceptions);
        for (Throwable exception : this.exceptions) {
            addSuppressed(exception);
        }
    }

    /** The failures, in the order they happened. Mirrors {@code ExceptionGroup.exceptions}. */
    public List<Throwable> exceptions() {
        return exceptions;
    }
}
