package asyncio.spi;

import asyncio.api.EventLoop;
import asyncio.api.EventLoopPolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The policy applications get by default: it discovers {@link EventLoopProvider}s, keeps the
 * supported ones and creates loops from the one with the highest priority, unless
 * {@code -Dasyncio.loop=NAME} (or {@code ASYNCIO_LOOP}) names one. Mirrors
 * {@code asyncio.DefaultEventLoopPolicy}; each thread has its own current loop.
 */
public class DefaultEventLoopPolicy implements EventLoopPolicy {
    /** One provider found, with its probe's verdict; {@code provider} is null for one that could not be loaded. */
    public record Candidate(EventLoopProvider provider, String name, int priority, String unsupportedReason) {
        /** Whether the probe passed. */
        public boolean supported() {
            return unsupportedReason == null;
        }

        @Override
        public String toString() {
            return name + " (priority " + priority + ", " + (supported() ? "supported" : "unsupported: " + unsupportedReason) + ")";
        }
    }

    /** The provider chosen, why, and every provider that was considered. */
    public record Selection(Candidate chosen, String reason, List<Candidate> candidates) {
        /** A few lines saying which loop was chosen and why, for people. */
        public String describe() {
            StringBuilder text = new StringBuilder("loop: " + chosen.name() + " (" + reason + ")");
            for (Candidate candidate : candidates) {
                text.append(System.lineSeparator()).append("  - ").append(candidate);
            }
            return text.toString();
        }
    }

    /** How many providers that fail to load discovery reports before it gives up on the rest. */
    private static final int MAX_LOAD_FAILURES = 100;

    private final ThreadLocal<EventLoop> current = new ThreadLocal<>();
    private volatile Selection selection;

    /** A policy that discovers providers on first use. */
    public DefaultEventLoopPolicy() {
    }

    @Override
    public EventLoop getEventLoop() {
        EventLoop loop = current.get();
        if (loop == null) {
            // A task on the virtual-thread carrier runs on its own thread but on behalf of its
            // loop's thread: it sees that loop, as a task on the loop thread itself would.
            loop = asyncio.api.internal.RunningLoop.get();
        }
        if (loop == null) {
            throw new IllegalStateException("There is no current event loop in thread '"
                    + Thread.currentThread().getName() + "'.");
        }
        return loop;
    }

    @Override
    public void setEventLoop(EventLoop loop) {
        if (loop == null) {
            current.remove();
        } else {
            current.set(loop);
        }
    }

    @Override
    public EventLoop newEventLoop() {
        return selection().chosen().provider().newEventLoop();
    }

    /** Which provider this policy uses, discovered on first call. */
    public Selection selection() {
        Selection chosen = selection;
        if (chosen == null) {
            chosen = select(discover(), requestedLoop());
            selection = chosen;
        }
        return chosen;
    }

    /** Every provider on the module path and class path, probed; highest priority first. */
    public static List<Candidate> discover() {
        return discover(DefaultEventLoopPolicy.class.getClassLoader());
    }

    /**
     * Every provider {@code loader} finds, probed; highest priority first. A provider that cannot
     * be loaded (a loop module without its native library on the class path) or whose probe throws
     * is kept as unsupported, with the reason: one broken loop module must not hide the others.
     */
    public static List<Candidate> discover(ClassLoader loader) {
        List<Candidate> candidates = new ArrayList<>();
        Iterator<EventLoopProvider> providers = ServiceLoader.load(EventLoopProvider.class, loader).iterator();
        // ServiceLoader moves past a provider that fails to load; the bound guards against one that would not.
        for (int failures = 0; failures < MAX_LOAD_FAILURES; ) {
            EventLoopProvider provider;
            try {
                if (!providers.hasNext()) {
                    break;
                }
                provider = providers.next();
            } catch (ServiceConfigurationError unloadable) {
                failures++;
                candidates.add(new Candidate(null, "(unloadable)", 0, "cannot be loaded: " + unloadable.getMessage()
                        + (unloadable.getCause() == null ? "" : " (" + unloadable.getCause() + ")")));
                continue;
            }
            candidates.add(probe(provider));
        }
        candidates.sort(Comparator.comparingInt(Candidate::priority).reversed());
        return candidates;
    }

    private static Candidate probe(EventLoopProvider provider) {
        String name = provider.getClass().getName();
        int priority = 0;
        String reason;
        try {
            name = provider.name();
            priority = provider.priority();
            reason = provider.unsupportedReason();
        } catch (RuntimeException | LinkageError probeFailed) {
            reason = "probe failed: " + probeFailed;
        }
        return new Candidate(provider, name, priority, reason);
    }

    /** Picks from {@code candidates}: the one named by {@code requested} if not null, else the best supported. */
    public static Selection select(List<Candidate> candidates, String requested) {
        String found = candidates.isEmpty() ? "none" : candidates.stream().map(Candidate::toString)
                .collect(Collectors.joining("; "));
        if (requested != null) {
            Candidate named = candidates.stream().filter(c -> c.name().equals(requested)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("asyncio.loop=" + requested
                            + " names no loop on the module path or class path; found: " + found));
            if (!named.supported()) {
                throw new IllegalStateException("asyncio.loop=" + requested + " is not supported here: "
                        + named.unsupportedReason() + "; found: " + found);
            }
            return new Selection(named, "forced by asyncio.loop=" + requested, candidates);
        }
        Candidate best = null;
        for (Candidate candidate : candidates) {
            if (candidate.supported() && (best == null || candidate.priority() > best.priority())) {
                best = candidate;
            }
        }
        if (best == null) {
            throw new IllegalStateException("no supported event loop provider; found: " + found
                    + ". Put asyncio.selector (portable) on the module path or class path");
        }
        return new Selection(best, "highest priority of the supported loops", candidates);
    }

    private static String requestedLoop() {
        String requested = System.getProperty("asyncio.loop");
        if (requested == null || requested.isBlank()) {
            requested = System.getenv("ASYNCIO_LOOP");
        }
        return requested == null || requested.isBlank() ? null : requested.trim();
    }
}
