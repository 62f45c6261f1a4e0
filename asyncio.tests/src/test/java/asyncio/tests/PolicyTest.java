package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.EventLoopPolicy;
import asyncio.spi.DefaultEventLoopPolicy;
import asyncio.spi.DefaultEventLoopPolicy.Candidate;
import asyncio.spi.DefaultEventLoopPolicy.Selection;
import asyncio.spi.EventLoopProvider;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Policies and discovery: which loop a program gets, and the current and running loop of a thread. */
@ExtendWith(NoDescriptorLeaks.class)
class PolicyTest {

    /** A provider for selection tests; it is never asked for a loop. */
    record FakeProvider(String name, int priority, String unsupportedReason) implements EventLoopProvider {
        @Override
        public EventLoop newEventLoop() {
            throw new UnsupportedOperationException("fake provider " + name);
        }
    }

    private static Candidate candidate(String name, int priority, String unsupportedReason) {
        return new Candidate(new FakeProvider(name, priority, unsupportedReason), name, priority, unsupportedReason);
    }

    // --- selection among candidates ---

    @Test
    void theSupportedCandidateWithTheHighestPriorityIsChosen() {
        List<Candidate> candidates = List.of(
                candidate("portable", 10, null),
                candidate("native", 50, "library missing"),
                candidate("fast", 30, null),
                candidate("slow", 5, null));

        Selection selection = DefaultEventLoopPolicy.select(candidates, null);

        assertEquals("fast", selection.chosen().name());
        assertEquals(candidates, selection.candidates());
        assertTrue(selection.reason().contains("highest priority"), selection.reason());
    }

    @Test
    void aNamedCandidateIsChosenEvenWithALowerPriority() {
        List<Candidate> candidates = List.of(candidate("fast", 30, null), candidate("portable", 10, null));

        Selection selection = DefaultEventLoopPolicy.select(candidates, "portable");

        assertEquals("portable", selection.chosen().name());
        assertTrue(selection.reason().contains("asyncio.loop=portable"), selection.reason());
    }

    @Test
    void anUnknownNameFailsListingWhatWasFoundAndWhy() {
        List<Candidate> candidates = List.of(candidate("fast", 30, "needs Linux"), candidate("portable", 10, null));

        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> DefaultEventLoopPolicy.select(candidates, "kqueue"));

        String message = error.getMessage();
        assertTrue(message.contains("kqueue"), message);
        assertTrue(message.contains("fast") && message.contains("needs Linux"), message);
        assertTrue(message.contains("portable"), message);
    }

    @Test
    void anUnsupportedNameFailsWithTheReasonAndWhatWasFound() {
        List<Candidate> candidates = List.of(candidate("epoll", 30, "not Linux: Windows 11"), candidate("selector", 10, null));

        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> DefaultEventLoopPolicy.select(candidates, "epoll"));

        String message = error.getMessage();
        assertTrue(message.contains("epoll") && message.contains("not supported"), message);
        assertTrue(message.contains("not Linux: Windows 11"), message);
        assertTrue(message.contains("selector"), message);
    }

    @Test
    void noSupportedCandidateFailsListingEachAndWhy() {
        List<Candidate> candidates = List.of(candidate("epoll", 30, "no libc"), candidate("iocp", 30, "not Windows"));

        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> DefaultEventLoopPolicy.select(candidates, null));

        String message = error.getMessage();
        assertTrue(message.contains("epoll") && message.contains("no libc"), message);
        assertTrue(message.contains("iocp") && message.contains("not Windows"), message);
    }

    @Test
    void noCandidateAtAllSaysSoAndWhatToAdd() {
        IllegalStateException any = assertThrows(IllegalStateException.class,
                () -> DefaultEventLoopPolicy.select(List.of(), null));
        IllegalStateException named = assertThrows(IllegalStateException.class,
                () -> DefaultEventLoopPolicy.select(List.of(), "selector"));

        assertTrue(any.getMessage().contains("none") && any.getMessage().contains("asyncio.selector"), any.getMessage());
        assertTrue(named.getMessage().contains("none"), named.getMessage());
    }

    @Test
    void describeNamesTheChoiceAndEveryCandidate() {
        List<Candidate> candidates = List.of(candidate("fast", 30, "needs Linux"), candidate("portable", 10, null));

        String description = DefaultEventLoopPolicy.select(candidates, null).describe();

        assertTrue(description.startsWith("loop: portable"), description);
        assertTrue(description.contains("fast") && description.contains("needs Linux"), description);
    }

    // --- discovery ---

    @Test
    void discoveryFindsTheSelectorLoopSupportedHere() {
        List<Candidate> found = DefaultEventLoopPolicy.discover();

        Candidate selector = found.stream().filter(c -> c.name().equals("selector")).findFirst().orElseThrow();
        assertTrue(selector.supported(), selector.toString());
        assertTrue(selector.provider().isSupported());
        for (int i = 1; i < found.size(); i++) {
            assertTrue(found.get(i - 1).priority() >= found.get(i).priority(), "sorted by priority: " + found);
        }
    }

    @Test
    void theWindowsProactorIsACandidateThatRefusesOffWindowsWithItsReason() {
        List<Candidate> found = DefaultEventLoopPolicy.discover();

        Candidate proactor = found.stream().filter(c -> c.name().equals("proactor")).findFirst().orElseThrow();
        assertEquals(found.get(0), proactor, "first in priority: chosen wherever it is supported");
        if (!System.getProperty("os.name").startsWith("Windows")) {
            assertFalse(proactor.supported(), proactor.toString());
            assertTrue(proactor.unsupportedReason().startsWith("not Windows"), proactor.unsupportedReason());
            assertTrue(DefaultEventLoopPolicy.select(found, null).describe().contains("not Windows"));
        }
    }

    @Test
    void theDefaultPolicyChoosesEpollOnLinuxAndTheSelectorLoopElsewhereWithoutFlags() {
        withLoopProperty(null, () -> {
            DefaultEventLoopPolicy policy = new DefaultEventLoopPolicy();
            String best = System.getProperty("os.name").startsWith("Linux") ? "epoll" : "selector";

            EventLoop loop = policy.newEventLoop();
            try {
                assertEquals(best, policy.selection().chosen().name());
                assertEquals(best, loop.implementationName());
            } finally {
                loop.close();
            }
        });
    }

    @Test
    void theAsyncioLoopPropertyForcesALoopByName() {
        withLoopProperty("selector", () -> {
            DefaultEventLoopPolicy policy = new DefaultEventLoopPolicy();

            assertEquals("selector", policy.selection().chosen().name());
            assertTrue(policy.selection().reason().contains("asyncio.loop=selector"), policy.selection().reason());
        });
    }

    @Test
    void anUnknownAsyncioLoopPropertyFailsListingTheLoopsFound() {
        withLoopProperty("no-such-loop", () -> {
            DefaultEventLoopPolicy policy = new DefaultEventLoopPolicy();

            IllegalStateException error = assertThrows(IllegalStateException.class, policy::newEventLoop);

            assertTrue(error.getMessage().contains("no-such-loop"), error.getMessage());
            assertTrue(error.getMessage().contains("selector"), error.getMessage());
        });
    }

    /** A provider whose probe itself blows up. */
    public static final class ExplodingProbeProvider implements EventLoopProvider {
        /** Created by ServiceLoader. */
        public ExplodingProbeProvider() {
        }

        @Override
        public String name() {
            return "exploding";
        }

        @Override
        public int priority() {
            return 1000;
        }

        @Override
        public String unsupportedReason() {
            throw new UnsatisfiedLinkError("libnothing.so: cannot open shared object file");
        }

        @Override
        public EventLoop newEventLoop() {
            throw new AssertionError("an unsupported provider must never be asked for a loop");
        }
    }

    @Test
    void providersThatCannotLoadOrWhoseProbeFailsAreRejectedNotFatal(@TempDir Path dir) throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(EventLoopProvider.class.getName()),
                "no.such.LoopProvider\n" + ExplodingProbeProvider.class.getName() + "\n");

        List<Candidate> found;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, PolicyTest.class.getClassLoader())) {
            found = DefaultEventLoopPolicy.discover(loader);
        }
        Selection selection = DefaultEventLoopPolicy.select(found, null);

        assertTrue(selection.chosen().supported(), selection.toString());
        Candidate exploding = found.stream().filter(c -> c.name().equals("exploding")).findFirst().orElseThrow();
        assertFalse(exploding.supported());
        assertTrue(exploding.unsupportedReason().contains("libnothing.so"), exploding.unsupportedReason());
        assertTrue(found.stream().anyMatch(c -> !c.supported() && c.unsupportedReason().contains("no.such.LoopProvider")),
                found.toString());
        IllegalStateException forced = assertThrows(IllegalStateException.class,
                () -> DefaultEventLoopPolicy.select(found, "exploding"));
        assertTrue(forced.getMessage().contains("libnothing.so"), forced.getMessage());
    }

    // --- the thread's current loop ---

    @Test
    void getEventLoopRaisesWhenNoLoopWasSetForTheThread() throws Exception {
        DefaultEventLoopPolicy policy = new DefaultEventLoopPolicy();
        CompletableFuture<Throwable> error = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().name("no-loop-here").start(
                () -> error.complete(LoopLifecycleTest.catchThrowable(policy::getEventLoop)));
        LoopLifecycleTest.join(thread);

        LoopLifecycleTest.assertInstanceOfWithMessage(IllegalStateException.class,
                "There is no current event loop in thread 'no-loop-here'.", error.get(10, TimeUnit.SECONDS));
    }

    @LoopTest
    void setEventLoopSetsTheCurrentLoopOfThisThreadOnly(LoopKind kind) throws Exception {
        DefaultEventLoopPolicy policy = new DefaultEventLoopPolicy();
        try (EventLoop loop = kind.newLoop()) {
            policy.setEventLoop(loop);
            try {
                assertSame(loop, policy.getEventLoop());
                CompletableFuture<Throwable> elsewhere = new CompletableFuture<>();
                Thread other = Thread.ofPlatform().start(
                        () -> elsewhere.complete(LoopLifecycleTest.catchThrowable(policy::getEventLoop)));
                LoopLifecycleTest.join(other);
                assertInstanceOf(IllegalStateException.class, elsewhere.get(10, TimeUnit.SECONDS));
            } finally {
                policy.setEventLoop(null);
            }
            assertThrows(IllegalStateException.class, policy::getEventLoop);
        }
    }

    @Test
    void newEventLoopMakesAFreshLoopEachTime() {
        DefaultEventLoopPolicy policy = new DefaultEventLoopPolicy();
        EventLoop first = policy.newEventLoop();
        EventLoop second = policy.newEventLoop();
        try {
            assertNotSame(first, second);
            assertFalse(first.isRunning() || first.isClosed());
            assertThrows(IllegalStateException.class, policy::getEventLoop, "a new loop is not made current");
        } finally {
            first.close();
            second.close();
        }
    }

    // --- the module-level functions ---

    @Test
    void theDefaultPolicyIsTheDiscoveredOneAndStaysTheSame() {
        EventLoopPolicy policy = Asyncio.getEventLoopPolicy();

        assertInstanceOf(DefaultEventLoopPolicy.class, policy);
        assertSame(policy, Asyncio.getEventLoopPolicy());
    }

    @Test
    void setEventLoopPolicyReplacesThePolicyAndNullRestoresTheDefault() {
        EventLoopPolicy original = Asyncio.getEventLoopPolicy();
        List<String> calls = new ArrayList<>();
        EventLoopPolicy custom = new EventLoopPolicy() {
            @Override
            public EventLoop getEventLoop() {
                calls.add("get");
                throw new IllegalStateException("custom policy has none");
            }

            @Override
            public void setEventLoop(EventLoop loop) {
                calls.add("set");
            }

            @Override
            public EventLoop newEventLoop() {
                calls.add("new");
                return original.newEventLoop();
            }
        };
        try {
            Asyncio.setEventLoopPolicy(custom);
            assertSame(custom, Asyncio.getEventLoopPolicy());
            Asyncio.newEventLoop().close();
            Asyncio.setEventLoop(null);
            assertThrows(IllegalStateException.class, Asyncio::getEventLoop);
            assertEquals(List.of("new", "set", "get"), calls);

            Asyncio.setEventLoopPolicy(null);
            assertInstanceOf(DefaultEventLoopPolicy.class, Asyncio.getEventLoopPolicy());
        } finally {
            Asyncio.setEventLoopPolicy(original);
        }
    }

    @LoopTest
    void getRunningLoopIsTheLoopRunningTheCallbackAndRaisesOutsideOne(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            List<EventLoop> inside = new ArrayList<>();
            loop.callSoon(() -> inside.add(Asyncio.getRunningLoop()));

            IllegalStateException before = assertThrows(IllegalStateException.class, Asyncio::getRunningLoop);
            LoopDriver.runOnce(loop);
            assertThrows(IllegalStateException.class, Asyncio::getRunningLoop);

            assertEquals("no running event loop", before.getMessage());
            assertEquals(List.of(loop), inside);
        }
    }

    @LoopTest
    void getRunningLoopInsideATaskIsTheTasksLoop(LoopKind kind) {
        try (EventLoop loop = kind.newLoop()) {
            assertSame(loop, loop.runUntilComplete(Asyncio::getRunningLoop));
        }
    }

    @LoopTest
    void getEventLoopPrefersTheRunningLoopOverTheCurrentOne(LoopKind kind) {
        try (EventLoop current = kind.newLoop(); EventLoop running = kind.newLoop()) {
            Asyncio.setEventLoop(current);
            try {
                List<EventLoop> inside = new ArrayList<>();
                running.callSoon(() -> inside.add(Asyncio.getEventLoop()));

                LoopDriver.runOnce(running);

                assertEquals(List.of(running), inside);
                assertSame(current, Asyncio.getEventLoop());
            } finally {
                Asyncio.setEventLoop(null);
            }
        }
    }

    @Test
    void getEventLoopRaisesWhenNeitherRunningNorSet() throws Exception {
        CompletableFuture<Throwable> error = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().start(() -> error.complete(LoopLifecycleTest.catchThrowable(Asyncio::getEventLoop)));
        LoopLifecycleTest.join(thread);

        assertInstanceOf(IllegalStateException.class, error.get(10, TimeUnit.SECONDS));
    }

    private static void withLoopProperty(String value, Runnable body) {
        DebugModeTest.withProperty("asyncio.loop", value, body);
    }
}
