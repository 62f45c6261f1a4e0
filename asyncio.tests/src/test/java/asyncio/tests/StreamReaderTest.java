package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.Task;
import asyncio.api.streams.IncompleteReadError;
import asyncio.api.streams.LimitOverrunError;
import asyncio.api.streams.StreamReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code StreamReader} fed by hand (no transport): every read method, its errors, EOF and cancellation. */
@ExtendWith(NoDescriptorLeaks.class)
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StreamReaderTest {

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String text(byte[] data) {
        return new String(data, StandardCharsets.ISO_8859_1);
    }

    static StreamReader reader(int limit) {
        return new StreamReader(limit, Asyncio.getRunningLoop());
    }

    /** Feeds {@code chunks} one per loop iteration from another task, then EOF. */
    static Task<Void> feedLater(StreamReader reader, String... chunks) {
        return Asyncio.createTask(() -> {
            for (String chunk : chunks) {
                Asyncio.sleep(0);
                reader.feedData(bytes(chunk));
            }
            Asyncio.sleep(0);
            reader.feedEof();
            return null;
        });
    }

    // --- construction ---

    @LoopTest
    void limitMustBePositive(LoopKind kind) {
        kind.run(() -> {
            IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> reader(0));
            assertEquals("Limit cannot be <= 0", zero.getMessage());
            assertThrows(IllegalArgumentException.class, () -> reader(-1));
            assertEquals(StreamReader.DEFAULT_LIMIT, new StreamReader().limit());
            assertEquals(65536, StreamReader.DEFAULT_LIMIT);
            return null;
        });
    }

    // --- read(n) ---

    @LoopTest
    void readReturnsAtMostNBufferedBytes(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(100);
            reader.feedData(bytes("abcdef"));
            assertEquals("ab", text(reader.read(2)));
            assertEquals("cdef", text(reader.read(10)));
            return null;
        });
    }

    @LoopTest
    void readReturnsTheFirstChunkToArriveWithoutWaitingForN(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(100);
            feedLater(reader, "xy", "z");
            assertEquals("xy", text(reader.read(1000)));
            assertEquals("z", text(reader.read(1000)));
            assertEquals("", text(reader.read(1000)));
            return null;
        });
    }

    @LoopTest
    void readOfAWholeFedChunkReturnsItsBytes(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(100);
            byte[] chunk = bytes("whole");
            reader.feedData(chunk);
            byte[] got = reader.read(5);
            assertEquals("whole", text(got));
            // The reader copied what it was fed: changing the caller's array changes nothing read.
            chunk[0] = 'X';
            reader.feedData(chunk);
            chunk[1] = 'Y';
            assertEquals("Xhole", text(reader.read(5)));
            return null;
        });
    }

    @LoopTest
    void readZeroReturnsEmptyAtOnceEvenWithNothingBuffered(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(100);
            assertEquals(0, reader.read(0).length);
            reader.feedData(bytes("abc"));
            assertEquals(0, reader.read(0).length);
            assertEquals("abc", text(reader.read(3)));
            return null;
        });
    }

    @LoopTest
    void readAllReturnsEverythingUntilEofEvenBeyondTheLimit(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(4);
            feedLater(reader, "0123456789", "abc", "", "defghijklmnop");
            assertEquals("0123456789abcdefghijklmnop", text(reader.read(-1)));
            assertTrue(reader.atEof());
            assertEquals(0, reader.read(-1).length);
            return null;
        });
    }

    @LoopTest
    void readAllOfBufferedDataAndEofNeedsNoWait(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(3);
            reader.feedData(bytes("abcdefgh"));
            reader.feedEof();
            assertEquals("abcdefgh", text(reader.read(-1)));
            return null;
        });
    }

    @LoopTest
    void readAtEofReturnsEmpty(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(100);
            reader.feedEof();
            assertEquals(0, reader.read(10).length);
            assertEquals(0, reader.read(-1).length);
            return null;
        });
    }

    // --- readline ---

    @LoopTest
    void readlineReturnsOneLineWithItsNewline(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(100);
            reader.feedData(bytes("one\ntwo\nthr"));
            assertEquals("one\n", text(reader.readline()));
            assertEquals("two\n", text(reader.readline()));
            feedLater(reader, "ee", "\nfour");
            assertEquals("three\n", text(reader.readline()));
            return null;
        });
    }

    @LoopTest
    void readlineAtEofReturnsThePartialLineThenEmpty(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(100);
            reader.feedData(bytes("last line"));
            reader.feedEof();
            assertFalse(reader.atEof());
            assertEquals("last line", text(reader.readline()));
            assertTrue(reader.atEof());
            assertEquals("", text(reader.readline()));
            return null;
        });
    }

    @LoopTest
    void readlineOfAnEmptyLineReturnsTheNewline(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(100);
            reader.feedData(bytes("\n\nx\n"));
            assertEquals("\n", text(reader.readline()));
            assertEquals("\n", text(reader.readline()));
            assertEquals("x\n", text(reader.readline()));
            return null;
        });
    }

    @LoopTest
    void readlineMayReturnALineOfExactlyTheLimitPlusNewline(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(4);
            reader.feedData(bytes("abcd\nabcde\nok\n"));
            assertEquals("abcd\n", text(reader.readline()));
            assertThrows(IllegalArgumentException.class, reader::readline);
            assertEquals("ok\n", text(reader.readline()));
            return null;
        });
    }

    @LoopTest
    void readlineLongerThanTheLimitDropsThatLineWhenItsNewlineWasFound(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(4);
            reader.feedData(bytes("abcdefg\nrest\n"));
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, reader::readline);
            assertEquals("Separator is found, but chunk is longer than limit", error.getMessage());
            assertEquals("rest\n", text(reader.readline()));
            return null;
        });
    }

    @LoopTest
    void readlineLongerThanTheLimitClearsTheBufferWhenNoNewlineWasFound(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(4);
            feedLater(reader, "ab", "cd", "efgh", "ij\nnext\n");
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, reader::readline);
            assertEquals("Separator is not found, and chunk exceed the limit", error.getMessage());
            // "abcdefgh" is gone; the tail of the long line arrives later and reads as a line.
            assertEquals("ij\n", text(reader.readline()));
            assertEquals("next\n", text(reader.readline()));
            return null;
        });
    }

    @LoopTest
    void readlineOverLimitWithoutNewlineLeavesNothingBuffered(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(3);
            reader.feedData(bytes("0123456789"));
            reader.feedEof();
            assertThrows(IllegalArgumentException.class, reader::readline);
            assertTrue(reader.atEof());
            return null;
        });
    }

    // --- readexactly ---

    @LoopTest
    void readexactlyReturnsExactlyNBytesAcrossFeeds(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(2);
            feedLater(reader, "ab", "cde", "fghij");
            assertEquals("abcdefg", text(reader.readexactly(7)));
            assertEquals("hi", text(reader.readexactly(2)));
            assertEquals("j", text(reader.readexactly(1)));
            return null;
        });
    }

    @LoopTest
    void readexactlyZeroReturnsEmptyAndNegativeRaises(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(100);
            assertEquals(0, reader.readexactly(0).length);
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> reader.readexactly(-1));
            assertEquals("readexactly size can not be less than zero", error.getMessage());
            return null;
        });
    }

    @LoopTest
    void readexactlyShortAtEofRaisesIncompleteReadWithThePartialBytes(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(100);
            feedLater(reader, "ab", "c");
            IncompleteReadError error = assertThrows(IncompleteReadError.class, () -> reader.readexactly(5));
            assertEquals("abc", text(error.partial()));
            assertEquals(5, error.expected());
            assertEquals("3 bytes read on a total of 5 expected bytes", error.getMessage());
            assertTrue(reader.atEof(), "the partial bytes left the buffer");
            return null;
        });
    }

    // --- readuntil ---

    @LoopTest
    void readuntilReturnsDataUpToAndIncludingTheSeparator(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(100);
            reader.feedData(bytes("key=value;next"));
            assertEquals("key=", text(reader.readuntil(bytes("="))));
            assertEquals("value;", text(reader.readuntil(bytes(";"))));
            return null;
        });
    }

    @LoopTest
    void readuntilFindsASeparatorSpanningTwoFeeds(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(100);
            feedLater(reader, "head\r", "\nbody");
            assertEquals("head\r\n", text(reader.readuntil(bytes("\r\n"))));
            return null;
        });
    }

    @LoopTest
    void readuntilFindsALongSeparatorArrivingOneByteAtATime(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(100);
            feedLater(reader, "x", "<", "<", "E", "N", "D", ">", ">", "tail");
            assertEquals("x<<END>>", text(reader.readuntil(bytes("<<END>>"))));
            assertEquals("tail", text(reader.read(-1)));
            return null;
        });
    }

    @LoopTest
    void readuntilSkipsPartialMatchesOfAMultiByteSeparator(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(100);
            reader.feedData(bytes("aab-ab-aab-aaab-abc"));
            assertEquals("aab-ab-aab-aaab-abc", text(reader.readuntil(bytes("ab-abc"))));
            reader.feedData(bytes("ababababac"));
            assertEquals("ababababac", text(reader.readuntil(bytes("abac"))));
            return null;
        });
    }

    @LoopTest
    void readuntilWithSeveralSeparatorsReturnsTheShortestPossibleChunk(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(100);
            reader.feedData(bytes("xabcd|y;z"));
            // "c" ends before "abcd" although "abcd" starts first.
            assertEquals("xabc", text(reader.readuntil(bytes("abcd"), bytes("c"))));
            assertEquals("d|", text(reader.readuntil(bytes(";"), bytes("|"))));
            assertEquals("y;", text(reader.readuntil(bytes("|"), bytes(";"))));
            return null;
        });
    }

    @LoopTest
    void readuntilWithSeparatorsEndingAtOnePlaceCountsTheShortestForTheLimit(LoopKind kind) {
        kind.run(() -> {
            // "\n" and "\r\n" end together; the shorter one is the match, so the chunk before it is
            // "a\r" (2 bytes), over a limit of 1, although "a" before "\r\n" would fit.
            StreamReader reader = reader(1);
            reader.feedData(bytes("a\r\nb"));
            LimitOverrunError error = assertThrows(LimitOverrunError.class,
                    () -> reader.readuntil(bytes("\r\n"), bytes("\n")));
            assertEquals(2, error.consumed());
            StreamReader wider = reader(2);
            wider.feedData(bytes("a\r\nb"));
            assertEquals("a\r\n", text(wider.readuntil(bytes("\r\n"), bytes("\n"))));
            return null;
        });
    }

    @LoopTest
    void readuntilWithSeveralSeparatorsWaitsForTheLongestToBeComplete(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(100);
            // The search must restart far enough back for the longest separator, not the shortest.
            feedLater(reader, "data--", "-", "--", "en", "d!");
            assertEquals("data-----end", text(reader.readuntil(bytes("!"), bytes("-----end"))));
            assertEquals("!", text(reader.read(-1)));
            return null;
        });
    }

    @LoopTest
    void readuntilRejectsAnEmptySeparatorAndAnEmptyList(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(100);
            reader.feedData(bytes("abc"));
            IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> reader.readuntil(new byte[0]));
            assertEquals("Separator should be at least one-byte string", empty.getMessage());
            IllegalArgumentException oneEmpty = assertThrows(IllegalArgumentException.class,
                    () -> reader.readuntil(bytes("b"), new byte[0]));
            assertEquals("Separator should be at least one-byte string", oneEmpty.getMessage());
            IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> reader.readuntil());
            assertEquals("Separator should contain at least one element", none.getMessage());
            assertEquals("abc", text(reader.read(3)), "a rejected call consumes nothing");
            return null;
        });
    }

    @LoopTest
    void readuntilFoundButTooLongRaisesLimitOverrunAndKeepsTheData(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(3);
            reader.feedData(bytes("abcdef\nxyz"));
            LimitOverrunError error = assertThrows(LimitOverrunError.class, () -> reader.readuntil(bytes("\n")));
            assertEquals("Separator is found, but chunk is longer than limit", error.getMessage());
            assertEquals(6, error.consumed());
            assertEquals("abcdef\nxyz", text(reader.read(100)));
            return null;
        });
    }

    @LoopTest
    void readuntilNotFoundPastTheLimitRaisesLimitOverrunAndKeepsTheData(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(3);
            feedLater(reader, "ab", "cdeXY");
            LimitOverrunError error = assertThrows(LimitOverrunError.class, () -> reader.readuntil(bytes("XYZ")));
            assertEquals("Separator is not found, and chunk exceed the limit", error.getMessage());
            // Of the 7 bytes the last 2 could still start "XYZ": 5 are known not to hold it.
            assertEquals(5, error.consumed());
            assertEquals("abcdeXY", text(reader.read(100)));
            return null;
        });
    }

    @LoopTest
    void readuntilAtExactlyTheLimitStillWaits(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(3);
            feedLater(reader, "abc", "\n");
            assertEquals("abc\n", text(reader.readuntil(bytes("\n"))));
            return null;
        });
    }

    @LoopTest
    void readuntilAtEofWithoutTheSeparatorRaisesIncompleteReadAndEmptiesTheBuffer(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(100);
            feedLater(reader, "no separator", " he");
            IncompleteReadError error = assertThrows(IncompleteReadError.class, () -> reader.readuntil(bytes("here")));
            assertEquals("no separator he", text(error.partial()));
            assertNull(error.expected());
            assertEquals("15 bytes read on a total of undefined expected bytes", error.getMessage());
            assertTrue(reader.atEof());
            return null;
        });
    }

    @LoopTest
    void readuntilFindsTheSeparatorInDataThatCameWithEof(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(100);
            reader.feedData(bytes("done;"));
            reader.feedEof();
            assertEquals("done;", text(reader.readuntil(bytes(";"))));
            assertTrue(reader.atEof());
            return null;
        });
    }

    @LoopTest
    void readuntilAtEofWithLessThanTheSeparatorRaisesIncompleteRead(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(100);
            reader.feedData(bytes("ab"));
            reader.feedEof();
            IncompleteReadError error = assertThrows(IncompleteReadError.class, () -> reader.readuntil(bytes("abc")));
            assertEquals("ab", text(error.partial()));
            return null;
        });
    }

    // --- EOF ---

    @LoopTest
    void atEofOnlyOnceTheEndWasFedAndEveryByteRead(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(100);
            assertFalse(reader.atEof());
            reader.feedData(bytes("x"));
            reader.feedEof();
            assertFalse(reader.atEof());
            reader.read(1);
            assertTrue(reader.atEof());
            return null;
        });
    }

    @LoopTest
    void feedDataAfterFeedEofRaises(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(100);
            reader.feedEof();
            IllegalStateException error = assertThrows(IllegalStateException.class, () -> reader.feedData(bytes("late")));
            assertEquals("feed_data after feed_eof", error.getMessage());
            assertThrows(IllegalStateException.class, () -> reader.feedData(new byte[0]));
            return null;
        });
    }

    @LoopTest
    void feedEofWakesAWaitingRead(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(100);
            Task<byte[]> read = Asyncio.createTask(() -> reader.read(10));
            Turns.pass(2);
            assertFalse(read.done());
            reader.feedEof();
            assertEquals(0, read.await().length);
            return null;
        });
    }

    @LoopTest
    void feedingEmptyDataDoesNotWakeAWaitingRead(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(100);
            Task<byte[]> read = Asyncio.createTask(() -> reader.read(10));
            Turns.pass(2);
            reader.feedData(new byte[0]);
            reader.feedData(ByteBuffer.allocate(0));
            Turns.pass(3);
            assertFalse(read.done());
            reader.feedData(bytes("go"));
            assertEquals("go", text(read.await()));
            return null;
        });
    }

    @LoopTest
    void feedDataConsumesTheByteBuffer(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(100);
            ByteBuffer data = ByteBuffer.wrap(bytes("0123456789"));
            data.position(3).limit(7);
            reader.feedData(data);
            assertFalse(data.hasRemaining());
            assertEquals("3456", text(reader.read(100)));
            return null;
        });
    }

    // --- exceptions ---

    @LoopTest
    void setExceptionWakesEveryKindOfWaitingReadWithThatException(LoopKind kind) {
        kind.run(() -> {
            for (int which = 0; which < 4; which++) {
                StreamReader reader = reader(100);
                int method = which;
                Task<byte[]> read = Asyncio.createTask(() -> switch (method) {
                    case 0 -> reader.read(5);
                    case 1 -> reader.readline();
                    case 2 -> reader.readexactly(5);
                    default -> reader.readuntil(bytes("!"));
                });
                Turns.pass(2);
                reader.feedData(bytes("ab"));
                // As in asyncio, the error must find the reader waiting again: a read already woken
                // checks for it only when it is called.
                Turns.pass(2);
                if (method == 0) {
                    assertEquals("ab", text(read.await()));
                    read = Asyncio.createTask(() -> reader.read(5));
                    Turns.pass(2);
                }
                IOException failure = new IOException("boom " + method);
                reader.setException(failure);
                Task<byte[]> failed = read;
                IOException raised = assertThrows(IOException.class, failed::await);
                assertSame(failure, raised);
                assertSame(failure, reader.exception());
            }
            return null;
        });
    }

    @LoopTest
    void everyReadRaisesTheSetExceptionEvenWithDataBuffered(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(100);
            reader.feedData(bytes("line\n"));
            IllegalStateException failure = new IllegalStateException("broken");
            assertNull(reader.exception());
            reader.setException(failure);
            assertSame(failure, assertThrows(IllegalStateException.class, () -> reader.read(1)));
            assertSame(failure, assertThrows(IllegalStateException.class, () -> reader.read(-1)));
            assertSame(failure, assertThrows(IllegalStateException.class, reader::readline));
            assertSame(failure, assertThrows(IllegalStateException.class, () -> reader.readexactly(1)));
            assertSame(failure, assertThrows(IllegalStateException.class, () -> reader.readuntil(bytes("\n"))));
            // read(0) and readexactly(0) check for the error first too.
            assertSame(failure, assertThrows(IllegalStateException.class, () -> reader.read(0)));
            assertSame(failure, assertThrows(IllegalStateException.class, () -> reader.readexactly(0)));
            return null;
        });
    }

    @LoopTest
    void setExceptionAfterACancelledReadDoesNotFail(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(100);
            Task<byte[]> read = Asyncio.createTask(() -> reader.read(5));
            Turns.pass(2);
            read.cancel();
            reader.setException(new IOException("later"));
            assertThrows(CancelledError.class, read::await);
            assertInstanceOf(IOException.class, reader.exception());
            return null;
        });
    }

    // --- concurrency and cancellation ---

    @LoopTest
    void aSecondWaitingReaderRaisesWhileTheFirstWaits(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(100);
            Task<byte[]> first = Asyncio.createTask(() -> reader.read(5));
            Turns.pass(2);
            String[] expected = {
                "read() called while another coroutine is already waiting for incoming data",
                "readuntil() called while another coroutine is already waiting for incoming data",
                "readexactly() called while another coroutine is already waiting for incoming data",
                "readuntil() called while another coroutine is already waiting for incoming data",
            };
            for (int which = 0; which < expected.length; which++) {
                int method = which;
                Task<byte[]> second = Asyncio.createTask(() -> switch (method) {
                    case 0 -> reader.read(5);
                    case 1 -> reader.readline();
                    case 2 -> reader.readexactly(5);
                    default -> reader.readuntil(bytes(";"));
                });
                IllegalStateException error = assertThrows(IllegalStateException.class, second::await);
                assertEquals(expected[which], error.getMessage());
            }
            reader.feedData(bytes("first"));
            assertEquals("first", text(first.await()), "the first reader still gets the data");
            return null;
        });
    }

    @LoopTest
    void aSecondReaderWithDataBufferedDoesNotWaitAndDoesNotRaise(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(100);
            Task<byte[]> first = Asyncio.createTask(() -> reader.readexactly(10));
            Turns.pass(2);
            reader.feedData(bytes("abc"));
            // The first is woken but has not run yet; a read that needs no wait just takes the bytes.
            assertEquals("abc", text(reader.read(3)));
            reader.feedData(bytes("0123456789"));
            assertEquals("0123456789", text(first.await()));
            return null;
        });
    }

    @LoopTest
    void cancellingAWaitingReadLosesNoBytesAndLeavesTheReaderUsable(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(100);
            Task<byte[]> waiting = Asyncio.createTask(() -> reader.readexactly(10));
            Turns.pass(2);
            reader.feedData(bytes("abc"));
            Turns.pass(2);
            assertFalse(waiting.done());
            waiting.cancel();
            assertThrows(CancelledError.class, waiting::await);
            reader.feedData(bytes("def"));
            assertEquals("abcdef", text(reader.readexactly(6)));
            Task<byte[]> next = Asyncio.createTask(reader::readline);
            Turns.pass(2);
            reader.feedData(bytes("line\n"));
            assertEquals("line\n", text(next.await()));
            return null;
        });
    }

    @LoopTest
    void cancellingAReadAlreadyWokenByDataKeepsThatDataForTheNextRead(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(100);
            Task<byte[]> waiting = Asyncio.createTask(() -> reader.read(100));
            Turns.pass(2);
            reader.feedData(bytes("payload"));
            waiting.cancel();
            assertThrows(CancelledError.class, waiting::await);
            assertEquals("payload", text(reader.read(100)));
            return null;
        });
    }

    @LoopTest
    void cancellingAWaitingReaduntilKeepsThePartialData(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = reader(100);
            Task<byte[]> waiting = Asyncio.createTask(() -> reader.readuntil(bytes("\r\n")));
            Turns.pass(2);
            reader.feedData(bytes("GET / HTTP/1.1\r"));
            Turns.pass(2);
            waiting.cancel();
            assertThrows(CancelledError.class, waiting::await);
            reader.feedData(bytes("\nHost: x\r\n"));
            assertEquals("GET / HTTP/1.1\r\n", text(reader.readuntil(bytes("\r\n"))));
            assertEquals("Host: x\r\n", text(reader.readuntil(bytes("\r\n"))));
            return null;
        });
    }

    @LoopTest
    void toStringShowsWhatAsyncioReprShows(LoopKind kind) {
        kind.run(() -> {
            assertEquals("<StreamReader>", new StreamReader().toString());
            assertEquals("<StreamReader limit=123>", reader(123).toString());
            StreamReader ended = new StreamReader();
            ended.feedEof();
            assertEquals("<StreamReader eof>", ended.toString());
            StreamReader holding = new StreamReader();
            holding.feedData(bytes("data"));
            assertEquals("<StreamReader 4 bytes>", holding.toString());
            StreamReader failed = new StreamReader();
            failed.setException(new IllegalStateException("x"));
            assertEquals("<StreamReader exception=java.lang.IllegalStateException: x>", failed.toString());
            StreamReader waiting = new StreamReader();
            Task<byte[]> read = Asyncio.createTask(() -> waiting.read(1));
            Turns.pass(2);
            assertTrue(waiting.toString().startsWith("<StreamReader waiter="), waiting.toString());
            waiting.feedEof();
            read.await();
            assertEquals("<StreamReader eof>", waiting.toString());
            return null;
        });
    }

    @Test
    void theErrorsSurviveSerialization() throws Exception {
        IncompleteReadError incomplete = roundTrip(new IncompleteReadError(bytes("abc"), 10));
        assertEquals("abc", text(incomplete.partial()));
        assertEquals(10, incomplete.expected());
        assertEquals("3 bytes read on a total of 10 expected bytes", incomplete.getMessage());
        LimitOverrunError overrun = roundTrip(new LimitOverrunError("message", 10));
        assertEquals("message", overrun.getMessage());
        assertEquals(10, overrun.consumed());
    }

    @SuppressWarnings("unchecked")
    private static <T extends Serializable> T roundTrip(T value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
