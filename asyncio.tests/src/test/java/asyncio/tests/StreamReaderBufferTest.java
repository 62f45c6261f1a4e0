package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.Task;
import asyncio.api.streams.IncompleteReadError;
import asyncio.api.streams.LimitOverrunError;
import asyncio.api.streams.StreamReader;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The byte store under {@code StreamReader}: separators at every alignment of the eight-bytes-at-a-
 * time search, high bytes, many small feeds, buffer growth and compaction, and a randomized
 * comparison with a plain model of asyncio's reading rules.
 */
@ExtendWith(NoDescriptorLeaks.class)
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StreamReaderBufferTest {

    private static StreamReader reader(int limit) {
        return new StreamReader(limit, Asyncio.getRunningLoop());
    }

    private static byte[] filled(int length, byte value) {
        byte[] data = new byte[length];
        Arrays.fill(data, value);
        return data;
    }

    @LoopTest
    void aOneByteSeparatorIsFoundAtEveryOffsetAndEveryStartAlignment(LoopKind kind) {
        kind.run(() -> {
            for (int skip = 0; skip < 8; skip++) {
                for (int at = 0; at < 40; at++) {
                    StreamReader reader = reader(1000);
                    // A near-miss byte (0x7F next to 0xFF) on every position but one.
                    byte[] data = filled(skip + at + 1 + 9, (byte) 0x7F);
                    data[skip + at] = (byte) 0xFF;
                    reader.feedData(data);
                    reader.readexactly(skip);
                    byte[] line = reader.readuntil(new byte[] {(byte) 0xFF});
                    assertEquals(at + 1, line.length, "skip " + skip + " at " + at);
                    assertEquals(9, reader.read(100).length);
                }
            }
            return null;
        });
    }

    @LoopTest
    void everyHighByteValueIsASeparatorLikeAnyOther(LoopKind kind) {
        kind.run(() -> {
            for (int value = 0; value < 256; value++) {
                StreamReader reader = reader(1000);
                byte separator = (byte) value;
                byte[] data = new byte[300];
                int put = 0;
                // Every other byte value first, in an order that puts the separator's neighbours close.
                for (int other = 255; other >= 0; other--) {
                    if (other != value) {
                        data[put++] = (byte) other;
                    }
                }
                data[put] = separator;
                reader.feedData(data);
                byte[] chunk = reader.readuntil(new byte[] {separator});
                assertEquals(256, chunk.length, "separator 0x" + Integer.toHexString(value));
                assertEquals(separator, chunk[255]);
            }
            return null;
        });
    }

    @LoopTest
    void theFirstOfSeveralOccurrencesInOneWordWins(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(1000);
            byte[] data = {1, 2, 0, 0, 3, 0, 4, 5, 0, 0, 0, 0, 0, 0, 0, 0, 9};
            reader.feedData(data);
            assertArrayEquals(new byte[] {1, 2, 0}, reader.readuntil(new byte[] {0}));
            assertArrayEquals(new byte[] {0}, reader.readuntil(new byte[] {0}));
            assertArrayEquals(new byte[] {3, 0}, reader.readuntil(new byte[] {0}));
            assertArrayEquals(new byte[] {4, 5, 0, 0}, reader.readuntil(new byte[] {0, 0}));
            return null;
        });
    }

    @LoopTest
    void aMultiByteSeparatorIsFoundAtEveryOffsetAfterPartialMatches(LoopKind kind) {
        kind.run(() -> {
            byte[] separator = {(byte) 0xE2, (byte) 0x80, (byte) 0xA8};
            for (int at = 0; at < 33; at++) {
                StreamReader reader = reader(1000);
                ByteArrayOutputStream data = new ByteArrayOutputStream();
                for (int i = 0; i < at; i++) {
                    // Prefixes of the separator that do not complete it.
                    data.write(i % 3 == 2 ? 0x80 : 0xE2);
                }
                data.write(separator, 0, separator.length);
                data.write(0xE2);
                reader.feedData(data.toByteArray());
                reader.feedEof();
                byte[] chunk = reader.readuntil(separator);
                assertEquals(at + 3, chunk.length, "at " + at);
                assertArrayEquals(new byte[] {(byte) 0xE2}, reader.read(-1));
            }
            return null;
        });
    }

    @LoopTest
    void manyOneByteFeedsReadBackIntactThroughEveryReadMethod(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(1 << 20);
            Random random = new Random(7);
            byte[] all = new byte[20_000];
            random.nextBytes(all);
            for (byte b : all) {
                reader.feedData(new byte[] {b});
            }
            reader.feedEof();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            int round = 0;
            while (!reader.atEof()) {
                switch (round++ % 3) {
                    case 0 -> got.writeBytes(reader.read(1 + random.nextInt(700)));
                    case 1 -> {
                        try {
                            got.writeBytes(reader.readexactly(1 + random.nextInt(700)));
                        } catch (IncompleteReadError end) {
                            got.writeBytes(end.partial());
                        }
                    }
                    default -> {
                        try {
                            got.writeBytes(reader.readuntil(new byte[] {(byte) random.nextInt(256)}));
                        } catch (IncompleteReadError end) {
                            got.writeBytes(end.partial());
                        }
                    }
                }
            }
            assertArrayEquals(all, got.toByteArray());
            return null;
        });
    }

    @LoopTest
    void interleavedFeedsAndPartialReadsKeepOrderWhileTheBufferGrowsAndCompacts(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(1 << 20);
            Random random = new Random(11);
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            int counter = 0;
            for (int round = 0; round < 3000; round++) {
                byte[] chunk = new byte[random.nextInt(200)];
                for (int i = 0; i < chunk.length; i++) {
                    chunk[i] = (byte) counter++;
                }
                reader.feedData(chunk);
                sent.writeBytes(chunk);
                int pending = sent.size() - got.size();
                if (pending > 0 && random.nextBoolean()) {
                    got.writeBytes(reader.readexactly(1 + random.nextInt(pending)));
                }
            }
            reader.feedEof();
            got.writeBytes(reader.read(-1));
            assertArrayEquals(sent.toByteArray(), got.toByteArray());
            return null;
        });
    }

    /** A record stream fed in random pieces from another task parses exactly as a direct split does. */
    @LoopTest
    void recordsFedInRandomPiecesParseAsTheReferenceSplit(LoopKind kind) {
        kind.run(() -> {
            Random random = new Random(23);
            byte[][] separators = {{'\r', '\n'}, {'\n'}, {(byte) 0xFE, (byte) 0xFF, 0x00}};
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            List<byte[]> expected = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                byte[] body = new byte[random.nextInt(40)];
                for (int j = 0; j < body.length; j++) {
                    // Separator bytes only where they cannot complete a separator: 0xFE, 0xFF, '\r' alone.
                    int pick = random.nextInt(10);
                    body[j] = (byte) (pick == 0 ? 0xFE : pick == 1 ? 0xFF : pick == 2 ? 'x' : 'a' + random.nextInt(26));
                }
                byte[] separator = separators[random.nextInt(separators.length)];
                ByteArrayOutputStream record = new ByteArrayOutputStream();
                record.writeBytes(body);
                record.writeBytes(separator);
                expected.add(record.toByteArray());
                stream.writeBytes(record.toByteArray());
            }
            byte[] all = stream.toByteArray();
            StreamReader reader = reader(64);
            Task<Void> feeder = Asyncio.createTask(() -> {
                int at = 0;
                while (at < all.length) {
                    int size = Math.min(all.length - at, 1 + random.nextInt(random.nextBoolean() ? 3 : 300));
                    reader.feedData(Arrays.copyOfRange(all, at, at + size));
                    at += size;
                    if (random.nextInt(4) == 0) {
                        Asyncio.sleep(0);
                    }
                }
                reader.feedEof();
                return null;
            });
            for (byte[] record : expected) {
                assertArrayEquals(record, reader.readuntil(separators));
            }
            assertTrue(reader.read(-1).length == 0);
            feeder.await();
            return null;
        });
    }

    /**
     * Random data, separators, limits and operations on a reader fed everything up front, against
     * a plain model of asyncio's rules.
     */
    @LoopTest
    void randomOperationsMatchAPlainModelOfAsyncioRules(LoopKind kind) {
        kind.run(() -> {
            Random random = new Random(1234);
            for (int trial = 0; trial < 400; trial++) {
                byte[] alphabet = {'a', 'b', '\n', (byte) 0x80, (byte) 0xFF, 0};
                byte[] data = new byte[random.nextInt(300)];
                for (int i = 0; i < data.length; i++) {
                    data[i] = alphabet[random.nextInt(random.nextBoolean() ? 2 : alphabet.length)];
                }
                int limit = 1 + random.nextInt(40);
                StreamReader reader = reader(limit);
                int fed = 0;
                while (fed < data.length) {
                    int size = Math.min(data.length - fed, 1 + random.nextInt(17));
                    reader.feedData(Arrays.copyOfRange(data, fed, fed + size));
                    fed += size;
                }
                reader.feedEof();
                Model model = new Model(data, limit);
                for (int step = 0; step < 30; step++) {
                    Op op = Op.random(random, alphabet);
                    String where = "trial " + trial + " step " + step + " " + op;
                    Object want = model.apply(op);
                    Object got;
                    try {
                        got = op.on(reader);
                    } catch (IncompleteReadError e) {
                        got = List.of("incomplete", Arrays.toString(e.partial()), String.valueOf(e.expected()));
                    } catch (LimitOverrunError e) {
                        got = List.of("overrun", e.consumed());
                    } catch (IllegalArgumentException e) {
                        got = List.of("value", e.getMessage());
                    }
                    if (got instanceof byte[] array) {
                        got = Arrays.toString(array);
                    }
                    assertEquals(want, got, where);
                    assertEquals(model.buffer.length == 0, reader.atEof(), where);
                }
            }
            return null;
        });
    }

    /** One read call with its arguments. */
    private record Op(int kind, int n, byte[][] separators) {
        static Op random(Random random, byte[] alphabet) {
            int kind = random.nextInt(4);
            int n = random.nextInt(50);
            byte[][] separators = new byte[1 + random.nextInt(3)][];
            for (int i = 0; i < separators.length; i++) {
                separators[i] = new byte[1 + random.nextInt(3)];
                for (int j = 0; j < separators[i].length; j++) {
                    separators[i][j] = alphabet[random.nextInt(alphabet.length)];
                }
            }
            return new Op(kind, n, separators);
        }

        byte[] on(StreamReader reader) {
            return switch (kind) {
                case 0 -> reader.read(n);
                case 1 -> reader.readexactly(n);
                case 2 -> reader.readline();
                default -> reader.readuntil(separators);
            };
        }

        @Override
        public String toString() {
            return switch (kind) {
                case 0 -> "read(" + n + ")";
                case 1 -> "readexactly(" + n + ")";
                case 2 -> "readline()";
                default -> "readuntil(" + Arrays.deepToString(separators) + ")";
            };
        }
    }

    /** What asyncio returns when every byte and the EOF are already buffered, stated plainly. */
    private static final class Model {
        byte[] buffer;
        final int limit;

        Model(byte[] data, int limit) {
            this.buffer = data.clone();
            this.limit = limit;
        }

        Object apply(Op op) {
            return switch (op.kind()) {
                case 0 -> Arrays.toString(take(Math.min(op.n(), buffer.length)));
                case 1 -> {
                    if (buffer.length < op.n()) {
                        yield List.of("incomplete", Arrays.toString(take(buffer.length)), String.valueOf(op.n()));
                    }
                    yield Arrays.toString(take(op.n()));
                }
                case 2 -> readline();
                default -> readuntil(op.separators());
            };
        }

        private Object readline() {
            Object result = readuntil(new byte[][] {{'\n'}});
            if (result instanceof List<?> list && list.get(0).equals("incomplete")) {
                return list.get(1);
            }
            if (result instanceof List<?> list && list.get(0).equals("overrun")) {
                int consumed = (Integer) list.get(1);
                if (consumed < buffer.length && buffer[consumed] == '\n') {
                    take(consumed + 1);
                    return List.of("value", "Separator is found, but chunk is longer than limit");
                }
                take(buffer.length);
                return List.of("value", "Separator is not found, and chunk exceed the limit");
            }
            return result;
        }

        /** The match that ends first; on a tie the shorter separator, as asyncio sorts them by length. */
        private Object readuntil(byte[][] separators) {
            int bestStart = -1;
            int bestEnd = Integer.MAX_VALUE;
            int longest = 0;
            int shortest = Integer.MAX_VALUE;
            for (byte[] separator : separators) {
                longest = Math.max(longest, separator.length);
                shortest = Math.min(shortest, separator.length);
            }
            for (int end = 1; end <= buffer.length && bestStart < 0; end++) {
                for (int length = 1; length <= Math.min(end, longest) && bestStart < 0; length++) {
                    for (byte[] separator : separators) {
                        if (separator.length == length
                                && Arrays.equals(buffer, end - length, end, separator, 0, length)) {
                            bestStart = end - length;
                            bestEnd = end;
                            break;
                        }
                    }
                }
            }
            if (bestStart >= 0) {
                if (bestStart > limit) {
                    return List.of("overrun", bestStart);
                }
                return Arrays.toString(take(bestEnd));
            }
            if (buffer.length >= shortest) {
                int known = Math.max(0, buffer.length + 1 - longest);
                if (known > limit) {
                    return List.of("overrun", known);
                }
            }
            return List.of("incomplete", Arrays.toString(take(buffer.length)), "null");
        }

        private byte[] take(int count) {
            byte[] taken = Arrays.copyOfRange(buffer, 0, count);
            buffer = Arrays.copyOfRange(buffer, count, buffer.length);
            return taken;
        }
    }

    @LoopTest
    void theModelAgreesOnAHandPickedOverrun(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(2);
            reader.feedData(new byte[] {'a', 'b', 'c', 'd'});
            reader.feedEof();
            LimitOverrunError error = assertThrows(LimitOverrunError.class, () -> reader.readuntil(new byte[] {'x', 'y'}));
            assertEquals(3, error.consumed());
            IncompleteReadError end = assertThrows(IncompleteReadError.class, () -> reader.readuntil(new byte[] {'d', 'x', 'y', 'z'}));
            assertNull(end.expected());
            assertEquals(4, end.partial().length, "the whole buffer is the partial read");
            return null;
        });
    }
}
