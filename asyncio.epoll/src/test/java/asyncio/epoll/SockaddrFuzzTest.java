package asyncio.epoll;

import static asyncio.epoll.ffi.Native.AF_INET;
import static asyncio.epoll.ffi.Native.AF_INET6;
import static asyncio.epoll.ffi.Native.AF_UNIX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the {@link Sockaddr} codec: random IPv4, IPv6 (with random scope ids, IPv4-mapped ones
 * included) and Unix addresses, in random order so that the decoder's one-entry cache is
 * exercised too, must come back equal to what went in (as NIO shows them); random raw bytes must
 * decode to an address or fail with one of the two documented exceptions, never anything else.
 * {@code -Dasyncio.fuzz.tries=N} and {@code -Dasyncio.fuzz.seed=S} as in the conformance suite's
 * fuzz targets; a failure names the seed that replays it.
 */
class SockaddrFuzzTest {
    private static final int DEFAULT_TRIES = 5_000;
    private static final int SUN_PATH_SIZE = 108;
    /** File names are encoded as the JDK encodes them; non-ASCII names only where that is UTF-8. */
    private static final java.nio.charset.Charset NAMES =
            java.nio.charset.Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
    private final NativeIo io = new NativeIo();

    @AfterEach
    void releaseScratch() {
        io.close();
    }

    @Test
    void randomAddressesSurviveRoundTripsInAnyOrder() throws Exception {
        long first = Long.getLong("asyncio.fuzz.seed", 18L);
        int tries = Integer.getInteger("asyncio.fuzz.tries", DEFAULT_TRIES);
        for (int i = 0; i < tries; i++) {
            long seed = first + i;
            try {
                roundTrip(new SplittableRandom(seed));
            } catch (AssertionError | RuntimeException | SocketException failed) {
                throw new AssertionError(failed + " (replay with -Dasyncio.fuzz.seed=" + seed
                        + " -Dasyncio.fuzz.tries=1)", failed);
            }
        }
    }

    @Test
    void randomRawBytesDecodeOrFailOnlyAsDocumented() {
        long first = Long.getLong("asyncio.fuzz.seed", 18L);
        int tries = Integer.getInteger("asyncio.fuzz.tries", DEFAULT_TRIES);
        for (int i = 0; i < tries; i++) {
            long seed = first + i;
            SplittableRandom random = new SplittableRandom(seed);
            ByteBuffer scratch = io.scratch();
            int length = random.nextInt(SUN_PATH_SIZE + 3);
            for (int at = 0; at < length; at++) {
                scratch.put(at, (byte) random.nextInt(256));
            }
            if (random.nextBoolean()) {
                scratch.putShort(0, (short) new int[] {AF_INET, AF_INET6, AF_UNIX}[random.nextInt(3)]);
            }
            try {
                Sockaddr.decode(io, length);
            } catch (UnsupportedAddressTypeException | IllegalStateException documented) {
                // an unknown family, or a sockaddr shorter than its family's
            } catch (RuntimeException undocumented) {
                throw new AssertionError("decoding " + length + " random bytes threw " + undocumented
                        + " (replay with -Dasyncio.fuzz.seed=" + seed + " -Dasyncio.fuzz.tries=1)", undocumented);
            }
        }
    }

    private void roundTrip(SplittableRandom random) throws SocketException, UnknownHostException {
        switch (random.nextInt(4)) {
            case 0 -> {
                InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByAddress(bytes(random, 4)), port(random));
                assertEquals(v4, decode(v4, AF_INET));
            }
            case 1 -> {
                InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByAddress(bytes(random, 4)), port(random));
                // On a dual-stack socket it travels IPv4-mapped and comes back as IPv4; 0.0.0.0 becomes ::.
                SocketAddress back = decode(v4, AF_INET6);
                InetSocketAddress expected = v4.getAddress().isAnyLocalAddress()
                        ? new InetSocketAddress(InetAddress.getByName("::"), v4.getPort()) : v4;
                assertEquals(expected, back);
            }
            case 2 -> ipv6(random);
            default -> unix(random);
        }
    }

    private void ipv6(SplittableRandom random) throws SocketException, UnknownHostException {
        byte[] raw = bytes(random, 16);
        boolean mapped = random.nextInt(4) == 0;
        if (mapped) {
            java.util.Arrays.fill(raw, 0, 10, (byte) 0);
            raw[10] = (byte) 0xff;
            raw[11] = (byte) 0xff;
        }
        int scope = random.nextBoolean() ? 0 : random.nextInt(Integer.MAX_VALUE);
        InetAddress address = scope == 0 || mapped ? InetAddress.getByAddress(raw) : Inet6Address.getByAddress(null, raw, scope);
        InetSocketAddress v6 = new InetSocketAddress(address, port(random));
        InetSocketAddress back = (InetSocketAddress) decode(v6, AF_INET6);
        assertEquals(v6, back);
        if (mapped) {
            assertInstanceOf(Inet4Address.class, back.getAddress(), "an IPv4-mapped address comes back as IPv4");
        } else {
            assertEquals(scope, ((Inet6Address) back.getAddress()).getScopeId(), "the scope id");
        }
    }

    private void unix(SplittableRandom random) throws SocketException {
        int length = random.nextInt(SUN_PATH_SIZE + 8);
        StringBuilder path = new StringBuilder();
        boolean unicode = NAMES.equals(StandardCharsets.UTF_8);
        while (path.toString().getBytes(NAMES).length < length) {
            // Printable ASCII, Latin-1, and a code point past the BMP: file names take all of them.
            int kind = unicode ? random.nextInt(8) : 2;
            path.appendCodePoint(kind == 0 ? 0xe9 : kind == 1 ? 0x1f600 : 0x21 + random.nextInt(0x5e));
        }
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(path.toString());
        // Path.of normalizes (a doubled or trailing slash goes): what is encoded is the Path, as in NIO.
        int encoded = address.getPath().toString().getBytes(NAMES).length;
        if (encoded >= SUN_PATH_SIZE) {
            assertThrows(SocketException.class, () -> Sockaddr.encode(io, address, AF_UNIX), "a path of " + encoded);
            return;
        }
        assertEquals(address, decode(address, AF_UNIX));
    }

    private SocketAddress decode(SocketAddress address, int family) throws SocketException {
        return Sockaddr.decode(io, Sockaddr.encode(io, address, family));
    }

    private static byte[] bytes(SplittableRandom random, int count) {
        byte[] out = new byte[count];
        random.nextBytes(out);
        return out;
    }

    private static int port(SplittableRandom random) {
        return random.nextInt(65536);
    }
}
