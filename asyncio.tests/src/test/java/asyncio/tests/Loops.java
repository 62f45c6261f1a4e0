package asyncio.tests;

import asyncio.spi.DefaultEventLoopPolicy;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The loop providers this machine supports: every conformance test runs once for each. The
 * test-scope {@code proactor-emulated} provider (asyncio.tests.proactor) is one of them unless
 * {@code -Dasyncio.tests.proactor=false} leaves it out.
 */
public final class Loops {
    private Loops() {
    }

    /** Source for {@link LoopTest}: one {@link LoopKind} per supported provider found by ServiceLoader. */
    public static Stream<LoopKind> supported() {
        List<LoopKind> kinds = DefaultEventLoopPolicy.discover().stream()
                .filter(DefaultEventLoopPolicy.Candidate::supported)
                .map(candidate -> new LoopKind(candidate.provider()))
                .toList();
        if (kinds.isEmpty()) {
            throw new IllegalStateException("no supported loop provider on the test class path");
        }
        return kinds.stream();
    }

    /** Every ordered pair of supported loop kinds (a kind with itself too), for tests of two loops talking. */
    public static Stream<Arguments> pairs() {
        List<LoopKind> kinds = supported().toList();
        return kinds.stream().flatMap(first -> kinds.stream().map(second -> Arguments.of(first, second)));
    }
}
