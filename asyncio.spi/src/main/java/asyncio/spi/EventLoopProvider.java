package asyncio.spi;

import asyncio.api.EventLoop;

/**
 * A loop implementation, found with {@link java.util.ServiceLoader}. The policy keeps the
 * providers whose probe passes on this platform and picks the highest priority.
 */
public interface EventLoopProvider {
    /** The loop's short name ({@code selector}, {@code epoll}, {@code iocp}), as {@code -Dasyncio.loop} takes it. */
    String name();

    /** Higher wins among supported providers. */
    int priority();

    /**
     * Why this loop cannot run here (a failed probe: wrong OS, native library missing), or null
     * when it can. The probe must really try what the loop needs, not only read the OS name.
     */
    String unsupportedReason();

    /** Whether this loop can run here. */
    default boolean isSupported() {
        return unsupportedReason() == null;
    }

    /**
     * Why this loop's {@code subprocessExec}/{@code subprocessShell} cannot start children here
     * although the loop itself runs (a kernel call or C library function they need is missing), or
     * null when they can. Only asked once {@link #unsupportedReason()} is null.
     */
    default String subprocessUnsupportedReason() {
        return null;
    }

    /** A new, not yet running loop. */
    EventLoop newEventLoop();
}
