package asyncio.spi;

import asyncio.api.transports.DatagramOptions;
import java.net.SocketAddress;
import java.util.StringJoiner;

/**
 * The argument checks of {@code create_datagram_endpoint}, made at the call before any task runs,
 * the same for every loop family. Mirrors the checks at the top of
 * {@code BaseEventLoop.create_datagram_endpoint}.
 */
public final class DatagramEndpointChecks {
    private DatagramEndpointChecks() {
    }

    /** Raises at the call for option combinations asyncio refuses before doing anything. */
    public static void check(SocketAddress local, SocketAddress remote, DatagramOptions options) {
        if (options.sock() != null) {
            StringJoiner problems = new StringJoiner(", ");
            if (local != null) {
                problems.add("local_addr=" + local);
            }
            if (remote != null) {
                problems.add("remote_addr=" + remote);
            }
            if (options.family() != null) {
                problems.add("family=" + options.family());
            }
            if (options.reusePort()) {
                problems.add("reuse_port=true");
            }
            if (options.allowBroadcast()) {
                problems.add("allow_broadcast=true");
            }
            if (problems.length() > 0) {
                throw new IllegalArgumentException("socket modifier keyword arguments can not be used when sock is specified. ("
                        + problems + ")");
            }
        } else if (local == null && remote == null && options.family() == null) {
            throw new IllegalArgumentException("unexpected address family");
        }
    }
}
