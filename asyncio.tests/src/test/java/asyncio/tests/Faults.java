package asyncio.tests;

import asyncio.api.Asyncio;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

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

    /**
     * Lets the loop run until {@code progress} stops moving for {@code turns} iterations in a
     * row, and returns where it stopped: a writer facing a peer that reads nothing stalls once the
     * kernel's buffers are full, which a completion loop reaches only bit by bit. Fails after
     * {@link RecordingProtocol#PATIENCE} seconds of loop time.
     */
    static long untilStalled(LongSupplier progress, int turns, String what) {
        double deadline = Asyncio.getRunningLoop().time() + RecordingProtocol.PATIENCE;
        long last = progress.getAsLong();
        int still = 0;
        while (still < turns) {
            if (Asyncio.getRunningLoop().time() > deadline) {
                throw new AssertionError("waited " + RecordingProtocol.PATIENCE + " s for " + what + " to stall");
            }
            Asyncio.sleep(0);
            long now = progress.getAsLong();
            still = now == last ? still + 1 : 0;
            last = now;
        }
        return last;
    }
}
