package asyncio.api;

/** When {@link Asyncio#wait} returns. Mirrors {@code asyncio.FIRST_COMPLETED} and its siblings. */
public enum ReturnWhen {
    /** As soon as any future finishes or is cancelled. */
    FIRST_COMPLETED,
    /** As soon as any future finishes with an exception; else when all finish. */
    FIRST_EXCEPTION,
    /** When every future has finished or been cancelled. */
    ALL_COMPLETED
}
