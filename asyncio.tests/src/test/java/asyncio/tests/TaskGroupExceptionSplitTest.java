package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import asyncio.api.Asyncio;
import asyncio.api.TaskGroup;
import asyncio.api.TaskGroupException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link TaskGroupException#split} and {@link TaskGroupException#subgroup}: the {@code except*} of
 * Java, with the nesting, message, cause and stack trace kept as {@code ExceptionGroup.split} keeps them.
 */
@ExtendWith(NoDescriptorLeaks.class)
class TaskGroupExceptionSplitTest {
    private final IOException io = new IOException("io");
    private final IllegalArgumentException arg = new IllegalArgumentException("arg");
    private final UncheckedIOException unchecked = new UncheckedIOException(new IOException("wrapped"));
    private final TaskGroupException inner = new TaskGroupException("inner", List.of(arg, io));
    private final TaskGroupException outer = new TaskGroupException("outer", List.of(io, inner, unchecked));

    @Test
    void splitByTypeKeepsNestedGroupsAndTheirMessages() {
        TaskGroupException.Split parts = outer.split(IOException.class);

        TaskGroupException match = parts.match();
        assertEquals("outer", match.groupMessage());
        assertEquals(2, match.exceptions().size());
        assertSame(io, match.exceptions().get(0));
        TaskGroupException nestedMatch = (TaskGroupException) match.exceptions().get(1);
        assertEquals("inner", nestedMatch.groupMessage());
        assertEquals(List.of(io), nestedMatch.exceptions());

        TaskGroupException rest = parts.rest();
        assertEquals("outer", rest.groupMessage());
        TaskGroupException nestedRest = (TaskGroupException) rest.exceptions().get(0);
        assertEquals(List.of(arg), nestedRest.exceptions());
        assertSame(unchecked, rest.exceptions().get(1));
        assertEquals("outer (2 sub-exceptions)", rest.getMessage());
    }

    @Test
    void splitByPredicateAndEmptyPartsAreNull() {
        TaskGroupException.Split parts = outer.split(e -> e instanceof RuntimeException && !(e instanceof TaskGroupException));
        assertEquals(List.of(unchecked), parts.match().exceptions().subList(1, 2));
        assertEquals(List.of(arg), ((TaskGroupException) parts.match().exceptions().get(0)).exceptions());

        TaskGroupException.Split none = outer.split(NullPointerException.class);
        assertNull(none.match());
        assertEquals(3, none.rest().exceptions().size());
        TaskGroupException.Split all = outer.split(Exception.class);
        assertSame(outer, all.match());
        assertNull(all.rest());
    }

    @Test
    void aNestedGroupTheConditionAcceptsMatchesWhole() {
        TaskGroupException.Split parts = outer.split(e -> e == inner);
        assertEquals(List.of(inner), parts.match().exceptions());
        assertEquals(List.of(io, unchecked), parts.rest().exceptions());
    }

    @Test
    void subgroupIsTheMatchingPart() {
        assertEquals(List.of(arg), ((TaskGroupException) outer.subgroup(IllegalArgumentException.class).exceptions().get(0)).exceptions());
        assertNull(outer.subgroup(e -> false));
    }

    @Test
    void derivedGroupsKeepCauseAndStackTrace() {
        IllegalStateException cause = new IllegalStateException("cause");
        TaskGroupException group = new TaskGroupException("g", List.of(io, arg));
        group.initCause(cause);
        TaskGroupException match = group.subgroup(IOException.class);
        assertSame(cause, match.getCause());
        assertEquals(List.of(group.getStackTrace()), List.of(match.getStackTrace()));
        assertEquals(List.of(io), List.of(match.getSuppressed()));
    }

    @LoopTest
    void exceptStarOverARealTaskGroup(LoopKind kind) {
        List<Throwable> handled = kind.run(() -> {
            try {
                TaskGroup.run(tg -> {
                    tg.createTask(() -> { throw new IOException("first"); });
                    tg.createTask(() -> { throw new IllegalArgumentException("second"); });
                });
                return List.of();
            } catch (TaskGroupException eg) {
                TaskGroupException.Split parts = eg.split(IOException.class);
                assertThrows(TaskGroupException.class, () -> {
                    throw parts.rest();
                });
                return parts.match().exceptions();
            }
        });
        assertEquals(1, handled.size());
        assertEquals("first", handled.get(0).getMessage());
        Asyncio.getEventLoopPolicy();
    }
}
