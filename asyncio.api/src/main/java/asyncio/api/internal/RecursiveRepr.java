package asyncio.api.internal;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Guards a {@code toString()} against describing an object inside its own description (a task
 * whose result holds the task): the inner mention becomes {@code ...}. Mirrors
 * {@code reprlib.recursive_repr()}, which asyncio puts on its futures' and tasks' {@code repr}.
 */
public final class RecursiveRepr {
    private static final ThreadLocal<Map<Object, Boolean>> IN_PROGRESS =
            ThreadLocal.withInitial(IdentityHashMap::new);

    private RecursiveRepr() {
    }

    /** {@code describe}'s text for {@code self}, or {@code ...} if {@code self} is already being described on this thread. */
    public static String of(Object self, Supplier<String> describe) {
        Map<Object, Boolean> inProgress = IN_PROGRESS.get();
        if (inProgress.putIfAbsent(self, Boolean.TRUE) != null) {
            return "...";
        }
        try {
            return describe.get();
        } finally {
            inProgress.remove(self);
        }
    }
}
