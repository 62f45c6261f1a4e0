package asyncio.api.internal;

import asyncio.api.KeyboardInterrupt;
import asyncio.api.SystemExit;

/** Rethrows any throwable unchanged, so awaiting code sees the very exception the coroutine raised. */
public final class Throwables {
    private Throwables() {
    }

    /** Throws {@code error} without wrapping; declared to return so callers can write {@code throw sneaky(e)}. */
    public static RuntimeException sneaky(Throwable error) {
        throw Throwables.<RuntimeException>uncheckedThrow(error);
    }

    /**
     * Whether {@code error} is one of Python's base exceptions that asyncio lets through the loop
     * ({@code KeyboardInterrupt}, {@code SystemExit}): a callback or task raising one stops the
     * loop's run instead of going to the exception handler.
     */
    public static boolean endsTheRun(Throwable error) {
        return error instanceof KeyboardInterrupt || error instanceof SystemExit;
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E uncheckedThrow(Throwable error) throws E {
        throw (E) error;
    }
}
