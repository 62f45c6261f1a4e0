package asyncio.epoll;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.NetworkInterface;
import java.net.ProtocolFamily;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fuzzes the socket option codec ({@link Options}): random sequences of random values for random
 * options, on a native socket and on the NIO channel of the same kind and family side by side.
 * Each set must fail with NIO's exception or succeed, and each value read back must be NIO's,
 * whatever came before (the kernel's clamping and rounding included). NIO is the oracle: the
 * epoll loop promises the selector loop's answers. {@code -Dasyncio.fuzz.tries} and
 * {@code -Dasyncio.fuzz.seed} as in the other fuzz targets.
 */
@ExtendWith(NoDescriptorLeaks.class)
class OptionsFuzzTest {
    private static final int DEFAULT_TRIES = 150;
    private static final int SETS_PER_CASE = 12;
    private final NativeIo io = new NativeIo();

    @AfterEach
    void releaseScratch() {
        io.close();
    }

    private enum Kind { STREAM, LISTENING, DATAGRAM }

    @Test
    void randomOptionSequencesAnswerAsNioDoes() throws IOException {
        long first = Long.getLong("asyncio.fuzz.seed", 18L);
        int tries = Integer.getInteger("asyncio.fuzz.tries", DEFAULT_TRIES);
        for (int i = 0; i < tries; i++) {
            long seed = first + i;
            List<String> steps = new ArrayList<>();
            try {
                runCase(new SplittableRandom(seed), steps);
            } catch (AssertionError | RuntimeException failed) {
                throw new AssertionError(failed + " after " + steps + " (replay with -Dasyncio.fuzz.seed=" + seed
                        + " -Dasyncio.fuzz.tries=1)", failed);
            }
        }
    }

    private void runCase(SplittableRandom random, List<String> steps) throws IOException {
        Kind kind = Kind.values()[random.nextInt(3)];
        StandardProtocolFamily family = StandardProtocolFamily.values()[random.nextInt(3)];
        if (kind == Kind.DATAGRAM && family == StandardProtocolFamily.UNIX) {
            // NIO has no Unix datagram channel to compare with.
            family = StandardProtocolFamily.INET6;
        }
        steps.add(kind + "/" + family);
        try (BaseNativeSocket socket = nativeSocket(kind, family); NetworkChannel nio = nioChannel(kind, family)) {
            java.util.Set<SocketOption<?>> ours = Options.supported(Options.Kind.valueOf(kind.name()),
                    family == StandardProtocolFamily.UNIX);
            List<SocketOption<?>> options = new ArrayList<>(nio.supportedOptions());
            options.removeIf(option -> !ours.contains(option));
            options.sort(java.util.Comparator.comparing(SocketOption::name));
            for (int i = 0; i < SETS_PER_CASE && !options.isEmpty(); i++) {
                SocketOption<?> option = options.get(random.nextInt(options.size()));
                Object value = value(option, random);
                steps.add(option.name() + "=" + value);
                assertSameOutcome(option, value, socket, nio, options);
            }
        }
    }

    private static Object value(SocketOption<?> option, SplittableRandom random) throws IOException {
        if (option.type() == Boolean.class) {
            return random.nextBoolean();
        }
        if (option.type() == NetworkInterface.class) {
            return NetworkInterface.getByName("lo");
        }
        // Edges of the ranges NIO and the kernel check (a byte, a 16-bit linger, shorts), and anything.
        int[] edges = {-1, 0, 1, 2, 127, 128, 255, 256, 1023, 1024, 32767, 32768, 65535, 65536, 70000,
            Integer.MAX_VALUE, Integer.MIN_VALUE};
        return random.nextInt(3) == 0 ? random.nextInt() : edges[random.nextInt(edges.length)];
    }

    private BaseNativeSocket nativeSocket(Kind kind, ProtocolFamily family) throws IOException {
        return switch (kind) {
            case STREAM -> NativeStreamSocket.open(io, family);
            case LISTENING -> NativeListeningSocket.open(io, family);
            case DATAGRAM -> NativeDatagramSocket.open(io, family);
        };
    }

    private static NetworkChannel nioChannel(Kind kind, ProtocolFamily family) throws IOException {
        return switch (kind) {
            case STREAM -> SocketChannel.open(family);
            case LISTENING -> ServerSocketChannel.open(family);
            case DATAGRAM -> DatagramChannel.open(family);
        };
    }

    @SuppressWarnings("unchecked")
    private static void assertSameOutcome(SocketOption<?> option, Object value, BaseNativeSocket socket,
                                          NetworkChannel nio, List<SocketOption<?>> shared) throws IOException {
        SocketOption<Object> any = (SocketOption<Object>) option;
        Class<? extends Throwable> nioFailure = null;
        try {
            nio.setOption(any, value);
        } catch (IllegalArgumentException | IOException failed) {
            nioFailure = failed.getClass();
        }
        Class<? extends Throwable> ourFailure = null;
        try {
            socket.setOption(any, value);
        } catch (IllegalArgumentException | IOException failed) {
            ourFailure = failed.getClass();
        }
        assertEquals(nioFailure, ourFailure, "how setting " + option + " = " + value + " failed");
        for (SocketOption<?> each : shared) {
            assertEquals(nio.getOption(each), socket.getOption(each), each + " after setting " + option + " = " + value);
        }
    }
}
