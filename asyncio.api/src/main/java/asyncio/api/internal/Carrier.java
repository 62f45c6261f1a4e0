package asyncio.api.internal;

/**
 * What lets a task's code suspend in the middle of a Java method: a JDK continuation or a
 * virtual thread. One carrier serves the whole JVM; {@link Carriers} picks it.
 */
public interface Carrier {
    /** The carrier's name: {@code continuation} or {@code virtual}. */
    String name();

    /** A suspended strand that will run {@code body} on its first {@link Strand#resume()}. */
    Strand newStrand(String name, Runnable body);
}
