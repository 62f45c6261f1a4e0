package asyncio.tests;

import asyncio.spi.DefaultEventLoopPolicy;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The loop providers this machine supports: every conformance test runs once for each. The
 * test-scope {@code proactor-emulated} provider (asyncio.tests.proactor) is one of them unless
 * {@code -Dasyncio.tests.proactor=false} leaves it out. {@code -Dasyncio.tests.loops=NAME[,NAME...]} narrows the matrix to the
 * named providers (to run the suite against one loop).
 */
public final class Loops {
    private Loops() {
    }

    /** Source for {@link LoopTest}: one {@link LoopKind} per supported provider found by ServiceLoader. */
    public static Stream<LoopKind> supported() {
        List<LoopKind> kinds = DefaultEventLoopPolicy.discover().stream()
                .filter(DefaultEventLoopPolicy.Candidate::supported)
                .filter(candidate -> selected(candidate.provider().name()))
                .map(candidate -> new LoopKind(candidate.provider()))
                .toList();
        if (kinds.isEmpty()) {
            throw new IllegalStateException("no supported loop provider on the test class path");
        }
        return kinds.stream();
    }

    /** Whether {@code -Dasyncio.tests.loops} (a comma-separated list of names; unset: all) keeps {@code name}. */
    private static boolean selected(String name) {
        String only = System.getProperty("asyncio.tests.loops", "").trim();
        return only.isEmpty() || List.of(only.split("\\s*,\\s*")).contains(name);
    }

    /** Every ordered pair of supported loop kinds (a kind with itself too), for tests of two loops talking. */
    public static Stream<Arguments> pairs() {
        List<LoopKind> kinds = supported().toList();
        return kinds.stream().flatMap(first -> kinds.stream().map(second -> Arguments.of(first, second)));
    }
}
