package asyncio.api.internal;

/** Rethrows any throwable unchanged, so awaiting code sees the very exception the coroutine raised. */
public final class Throwables {
    private Throwables() {
    }

    /** Throws {@code error} without wrapping; declared to return so callers can write {@code throw sneaky(e)}. */
    public static RuntimeException sneaky(Throwable error) {
        throw Throwables.<RuntimeException>uncheckedThrow(error);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E uncheckedThrow(Throwable error) throws E {
        throw (E) error;
    }
}
