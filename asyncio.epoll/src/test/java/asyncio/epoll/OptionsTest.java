package asyncio.epoll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.NetworkInterface;
import java.net.ProtocolFamily;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every option behaves as on the NIO channel of the same kind and family: same set, defaults, results, failures. */
@ExtendWith(NoDescriptorLeaks.class)
class OptionsTest {
    private final NativeIo io = new NativeIo();

    @AfterEach
    void releaseScratch() {
        io.close();
    }

    enum Kind { STREAM, LISTENING, DATAGRAM }

    static Stream<Arguments> kinds() {
        List<Arguments> all = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            for (StandardProtocolFamily family : StandardProtocolFamily.values()) {
                // NIO has no Unix datagram channel to compare with.
                if (!(kind == Kind.DATAGRAM && family == StandardProtocolFamily.UNIX)) {
                    all.add(Arguments.of(kind, family));
                }
            }
        }
        return all.stream();
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

    /**
     * Options NIO has that the native sockets leave out: SO_OOBINLINE is the JDK's internal option
     * (no public constant to accept), SO_INCOMING_NAPI_ID a read-only diagnostic, SO_PEERCRED needs
     * user and group lookups.
     */
    private static final Set<String> LEFT_OUT = Set.of("SO_OOBINLINE", "SO_INCOMING_NAPI_ID", "SO_PEERCRED");

    @ParameterizedTest
    @MethodSource("kinds")
    void supportedOptionsAreNiosSaveTheFewLeftOut(Kind kind, StandardProtocolFamily family) throws IOException {
        try (BaseNativeSocket socket = nativeSocket(kind, family); NetworkChannel nio = nioChannel(kind, family)) {
            Set<SocketOption<?>> expected = new HashSet<>(nio.supportedOptions());
            expected.removeIf(option -> LEFT_OUT.contains(option.name()));
            assertEquals(expected, supported(socket));
        }
    }

    private static Set<SocketOption<?>> supported(BaseNativeSocket socket) {
        Set<SocketOption<?>> found = new HashSet<>();
        for (SocketOption<?> option : everyOption()) {
            try {
                socket.getOption(option);
                found.add(option);
            } catch (UnsupportedOperationException unsupported) {
                // not in this socket's set
            } catch (IOException unexpected) {
                throw new AssertionError(option + " failed", unexpected);
            }
        }
        return found;
    }

    private static List<SocketOption<?>> everyOption() {
        return List.of(StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_REUSEPORT,
                StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_RCVBUF,
                StandardSocketOptions.SO_LINGER, StandardSocketOptions.TCP_NODELAY, StandardSocketOptions.SO_BROADCAST,
                StandardSocketOptions.IP_TOS, StandardSocketOptions.IP_MULTICAST_IF,
                StandardSocketOptions.IP_MULTICAST_TTL, StandardSocketOptions.IP_MULTICAST_LOOP,
                ExtendedSocketOptions.TCP_KEEPIDLE, ExtendedSocketOptions.TCP_KEEPINTERVAL,
                ExtendedSocketOptions.TCP_KEEPCOUNT, ExtendedSocketOptions.TCP_QUICKACK,
                ExtendedSocketOptions.IP_DONTFRAGMENT);
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void defaultsAreNios(Kind kind, StandardProtocolFamily family) throws IOException {
        try (BaseNativeSocket socket = nativeSocket(kind, family); NetworkChannel nio = nioChannel(kind, family)) {
            for (SocketOption<?> option : supported(socket)) {
                assertEquals(nio.getOption(option), socket.getOption(option), option.name());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void valuesSetReadBackAsOnNio(Kind kind, StandardProtocolFamily family) throws IOException {
        try (BaseNativeSocket socket = nativeSocket(kind, family); NetworkChannel nio = nioChannel(kind, family)) {
            for (SocketOption<?> option : supported(socket)) {
                for (Object value : samples(option)) {
                    assertSameOutcome(option, value, socket, nio);
                }
            }
        }
    }

    private static List<Object> samples(SocketOption<?> option) throws IOException {
        if (option.type() == Boolean.class) {
            return List.of(true, false);
        }
        if (option == StandardSocketOptions.IP_MULTICAST_IF) {
            NetworkInterface loopback = NetworkInterface.getByName("lo");
            return loopback == null ? List.of() : List.of(loopback);
        }
        if (option == StandardSocketOptions.SO_LINGER) {
            return List.of(0, 5, 70000, -3);
        }
        if (option == StandardSocketOptions.IP_TOS || option == StandardSocketOptions.IP_MULTICAST_TTL) {
            return List.of(0, 16, 255, 256, -1);
        }
        if (option == StandardSocketOptions.SO_SNDBUF || option == StandardSocketOptions.SO_RCVBUF) {
            return List.of(1000, 65536, -1);
        }
        return List.of(1, 60);
    }

    @SuppressWarnings("unchecked")
    private static void assertSameOutcome(SocketOption<?> option, Object value, BaseNativeSocket socket,
                                          NetworkChannel nio) throws IOException {
        SocketOption<Object> any = (SocketOption<Object>) option;
        Class<? extends Throwable> nioFailure = null;
        try {
            nio.setOption(any, value);
        } catch (IllegalArgumentException | IOException failed) {
            nioFailure = failed.getClass();
        }
        if (nioFailure != null) {
            assertThrows(nioFailure, () -> socket.setOption(any, value), option + " = " + value);
            return;
        }
        socket.setOption(any, value);
        assertEquals(nio.getOption(option), socket.getOption(option), option + " = " + value);
    }

    @Test
    void unsupportedOptionsAndBadValuesFailWithNiosExceptionsAndMessages() throws IOException {
        try (NativeStreamSocket socket = NativeStreamSocket.open(io, StandardProtocolFamily.UNIX);
             SocketChannel nio = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            UnsupportedOperationException expected = assertThrows(UnsupportedOperationException.class,
                    () -> nio.getOption(StandardSocketOptions.TCP_NODELAY));
            UnsupportedOperationException actual = assertThrows(UnsupportedOperationException.class,
                    () -> socket.getOption(StandardSocketOptions.TCP_NODELAY));
            assertEquals(expected.getMessage(), actual.getMessage());
            IllegalArgumentException nullValue = assertThrows(IllegalArgumentException.class,
                    () -> socket.setOption(StandardSocketOptions.SO_RCVBUF, null));
            assertEquals("Invalid value 'null'", nullValue.getMessage());
            assertThrows(NullPointerException.class, () -> socket.getOption(null));
        }
    }

    @Test
    void optionsOfAClosedSocketFailAsClosedButUnsupportedOnesStillFailAsUnsupported() throws IOException {
        NativeDatagramSocket socket = NativeDatagramSocket.open(io, null);
        socket.close();
        assertThrows(ClosedChannelException.class, () -> socket.getOption(StandardSocketOptions.SO_BROADCAST));
        assertThrows(UnsupportedOperationException.class, () -> socket.getOption(StandardSocketOptions.TCP_NODELAY));
    }

    @Test
    void aListeningSocketReusesItsAddressFromTheStartAsNiosDoes() throws IOException {
        try (NativeListeningSocket socket = NativeListeningSocket.open(io, null)) {
            assertTrue(socket.getOption(StandardSocketOptions.SO_REUSEADDR));
        }
    }
}
