package asyncio.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Every failure of a {@link TaskGroup}'s tasks (and of its block), reported together. The Java
 * twin of the {@code BaseExceptionGroup('unhandled errors in a TaskGroup', ...)} asyncio raises;
 * each failure is also attached as a suppressed exception so stack traces show them all.
 * {@link #split} and {@link #subgroup} are the Java spelling of {@code except*}.
 */
public final class TaskGroupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<Throwable> exceptions;
    private final String groupMessage;

    /**
     * The two parts of a {@link #split}: the group of what matched and the group of the rest, each
     * null when empty. Mirrors the {@code (match, rest)} pair of {@code BaseExceptionGroup.split()}.
     */
    public record Split(TaskGroupException match, TaskGroupException rest) {
    }

    /** A group of {@code exceptions}, in the order they happened. */
    public TaskGroupException(String message, List<Throwable> exceptions) {
        super(message + " (" + exceptions.size() + " sub-exception" + (exceptions.size() == 1 ? "" : "s") + ")");
        this.groupMessage = message;
        this.exceptions = List.copyOf(exceptions);
        for (Throwable exception : this.exceptions) {
            addSuppressed(exception);
        }
    }

    /** The failures, in the order they happened. Mirrors {@code ExceptionGroup.exceptions}. */
    public List<Throwable> exceptions() {
        return exceptions;
    }

    /** The group's message without the count of sub-exceptions. Mirrors {@code ExceptionGroup.message}. */
    public String groupMessage() {
        return groupMessage;
    }

    /**
     * Splits the group into what is an instance of {@code type} and the rest, keeping nested
     * groups' structure, message, cause and stack trace; a group that is itself of {@code type}
     * matches whole. Mirrors {@code BaseExceptionGroup.split(type)}, as {@code except* type} uses it.
     */
    public Split split(Class<? extends Throwable> type) {
        Objects.requireNonNull(type, "type");
        return split(type::isInstance);
    }

    /**
     * Splits the group into the exceptions {@code condition} accepts and the rest. The condition
     * is asked about this group and each nested group first: a group it accepts matches whole.
     * Mirrors {@code BaseExceptionGroup.split(condition)}.
     */
    public Split split(Predicate<? super Throwable> condition) {
        Objects.requireNonNull(condition, "condition");
        if (condition.test(this)) {
            return new Split(this, null);
        }
        List<Throwable> matched = new ArrayList<>();
        List<Throwable> rest = new ArrayList<>();
        for (Throwable exception : exceptions) {
            if (exception instanceof TaskGroupException nested) {
                Split parts = nested.split(condition);
                addIfPresent(matched, parts.match());
                addIfPresent(rest, parts.rest());
            } else if (condition.test(exception)) {
                matched.add(exception);
            } else {
                rest.add(exception);
            }
        }
        return new Split(derive(matched), derive(rest));
    }

    /** The group of the exceptions of {@code type}, or null. Mirrors {@code BaseExceptionGroup.subgroup(type)}. */
    public TaskGroupException subgroup(Class<? extends Throwable> type) {
        return split(type).match();
    }

    /** The group of the exceptions {@code condition} accepts, or null. Mirrors {@code BaseExceptionGroup.subgroup(condition)}. */
    public TaskGroupException subgroup(Predicate<? super Throwable> condition) {
        return split(condition).match();
    }

    private static void addIfPresent(List<Throwable> into, TaskGroupException part) {
        if (part != null) {
            into.add(part);
        }
    }

    /** A group like this one around {@code subset}, or null if it is empty. Mirrors {@code derive()} and its copied fields. */
    private TaskGroupException derive(List<Throwable> subset) {
        if (subset.isEmpty()) {
            return null;
        }
        TaskGroupException derived = new TaskGroupException(groupMessage, subset);
        if (getCause() != null) {
            derived.initCause(getCause());
        }
        derived.setStackTrace(getStackTrace());
        return derived;
    }
}
