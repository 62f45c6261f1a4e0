package asyncio.tests;

import asyncio.spi.DefaultEventLoopPolicy;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The loop providers of the matrix: every conformance test runs once for each. By default these
 * are the providers this machine supports, and on Linux the {@code epoll} and {@code uring} loops
 * whatever their probes say: a refused one stays in the matrix and its cases are reported skipped
 * with the probe's reason ({@link UnsupportedLoops}), never dropped unseen. The test-scope
 * {@code proactor-emulated} provider (asyncio.tests.proactor) is in the matrix unless
 * {@code -Dasyncio.tests.proactor=false} leaves it out, and {@code uring} unless
 * {@code -Dasyncio.tests.uring=false} does. {@code -Dasyncio.tests.loops=NAME[,NAME...]} narrows
 * the matrix to the named providers (to run the suite against one loop); a named provider the
 * probe refuses is reported skipped too.
 */
public final class Loops {
    /** The system property that, set to false, leaves the io_uring loop out of the matrix. */
    public static final String URING = "asyncio.tests.uring";
    /** Loops this suite expects on Linux: a refusal there is news, so it is shown. */
    private static final Set<String> EXPECTED_ON_LINUX = Set.of("epoll", "uring");

    private Loops() {
    }

    /** Source for {@link LoopTest}: one {@link LoopKind} per provider of the matrix found by ServiceLoader. */
    public static Stream<LoopKind> supported() {
        List<LoopKind> kinds = DefaultEventLoopPolicy.discover().stream()
                .filter(candidate -> candidate.provider() != null && inMatrix(candidate))
                .map(candidate -> new LoopKind(candidate.provider(), candidate.unsupportedReason()))
                .toList();
        if (kinds.isEmpty()) {
            throw new IllegalStateException("no loop provider of the matrix on the test class path");
        }
        return kinds.stream();
    }

    private static boolean inMatrix(DefaultEventLoopPolicy.Candidate candidate) {
        String name = candidate.provider().name();
        String only = System.getProperty("asyncio.tests.loops", "").trim();
        if (!only.isEmpty()) {
            // Asked for by name: in the matrix, skipped if its probe refuses it.
            return List.of(only.split("\\s*,\\s*")).contains(name);
        }
        if (name.equals("uring") && "false".equalsIgnoreCase(System.getProperty(URING))) {
            return false;
        }
        return candidate.supported()
                || System.getProperty("os.name", "").startsWith("Linux") && EXPECTED_ON_LINUX.contains(name);
    }

    /** Every ordered pair of the matrix's loop kinds (a kind with itself too), for tests of two loops talking. */
    public static Stream<Arguments> pairs() {
        List<LoopKind> kinds = supported().toList();
        return kinds.stream().flatMap(first -> kinds.stream().map(second -> Arguments.of(first, second)));
    }
}
