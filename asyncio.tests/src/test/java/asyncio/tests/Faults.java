package asyncio.tests;

import asyncio.api.Asyncio;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.function.BooleanSupplier;

/** What the fault-injection tests share: hostile plain peers and a bounded wait for a condition. */
final class Faults {
    private Faults() {
    }

    /**
     * A blocking client socket connected to {@code server} that reads nothing, with a small receive
     * window so that what the server writes backs up into its transport soon.
     */
    static SocketChannel silentPeer(asyncio.api.transports.Server server) {
        try {
            SocketChannel peer = SocketChannel.open();
            peer.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            peer.connect(Net.address(server));
            return peer;
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }

    /**
     * Lets the loop run, one iteration at a time, until {@code condition} holds; fails after
     * {@link RecordingProtocol#PATIENCE} seconds of loop time. For states no future announces.
     */
    static void until(BooleanSupplier condition, String what) {
        double deadline = Asyncio.getRunningLoop().time() + RecordingProtocol.PATIENCE;
        while (!condition.getAsBoolean()) {
            if (Asyncio.getRunningLoop().time() > deadline) {
                throw new AssertionError("waited " + RecordingProtocol.PATIENCE + " s for " + what);
            }
            Asyncio.sleep(0);
        }
    }
}
