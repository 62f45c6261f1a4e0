package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.Task;
import asyncio.api.streams.StreamReader;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.ReadTransport;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The reader's side of flow control, with a transport that only counts: paused once more than
 * twice the limit is buffered, resumed once the buffer is back to the limit or a read must wait.
 */
@ExtendWith(NoDescriptorLeaks.class)
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StreamReaderFlowControlTest {

    /** A read transport that records pause and resume calls. */
    static final class CountingTransport implements ReadTransport {
        boolean reading = true;
        int pauses;
        int resumes;

        @Override
        public boolean isReading() {
            return reading;
        }

        @Override
        public void pauseReading() {
            reading = false;
            pauses++;
        }

        @Override
        public void resumeReading() {
            reading = true;
            resumes++;
        }

        @Override
        public void close() {
        }

        @Override
        public boolean isClosing() {
            return false;
        }

        @Override
        public Object getExtraInfo(String name, Object defaultValue) {
            return defaultValue;
        }

        @Override
        public void setProtocol(BaseProtocol protocol) {
        }

        @Override
        public BaseProtocol getProtocol() {
            return null;
        }
    }

    private static StreamReader readerOver(CountingTransport transport, int limit) {
        StreamReader reader = new StreamReader(limit, Asyncio.getRunningLoop());
        reader.setTransport(transport);
        return reader;
    }

    @LoopTest
    void pausesOnlyWhenMoreThanTwiceTheLimitIsBuffered(LoopKind kind) {
        kind.run(() -> {
            CountingTransport transport = new CountingTransport();
            StreamReader reader = readerOver(transport, 10);
            reader.feedData(new byte[20]);
            assertTrue(transport.reading, "exactly twice the limit does not pause");
            reader.feedData(new byte[1]);
            assertFalse(transport.reading);
            reader.feedData(new byte[50]);
            assertEquals(1, transport.pauses, "an already paused transport is not paused again");
            return null;
        });
    }

    @LoopTest
    void resumesWhenReadsBringTheBufferDownToTheLimit(LoopKind kind) {
        kind.run(() -> {
            CountingTransport transport = new CountingTransport();
            StreamReader reader = readerOver(transport, 10);
            reader.feedData(new byte[25]);
            reader.read(14);
            assertFalse(transport.reading, "11 bytes left: still over the limit");
            reader.read(1);
            assertTrue(transport.reading, "10 bytes left: back at the limit");
            assertEquals(1, transport.resumes);
            return null;
        });
    }

    @LoopTest
    void everyReadMethodResumesOnceTheBufferIsBackAtTheLimit(LoopKind kind) {
        kind.run(() -> {
            for (int method = 0; method < 3; method++) {
                CountingTransport transport = new CountingTransport();
                StreamReader reader = readerOver(transport, 4);
                // 9 bytes pause a limit of 4; a 5-byte line at the limit leaves exactly 4.
                byte[] data = new byte[9];
                data[4] = '\n';
                reader.feedData(data);
                assertFalse(transport.reading);
                switch (method) {
                    case 0 -> reader.readexactly(5);
                    case 1 -> reader.readline();
                    default -> reader.readuntil(new byte[] {'\n'});
                }
                assertTrue(transport.reading, "method " + method);
            }
            return null;
        });
    }

    @LoopTest
    void aLineOverTheLimitDroppedByReadlineResumesTheTransport(LoopKind kind) {
        kind.run(() -> {
            CountingTransport transport = new CountingTransport();
            StreamReader reader = readerOver(transport, 4);
            reader.feedData(new byte[20]);
            assertFalse(transport.reading);
            assertThrows(IllegalArgumentException.class, reader::readline);
            assertTrue(transport.reading);
            return null;
        });
    }

    @LoopTest
    void aReadThatMustWaitResumesAPausedTransportFirst(LoopKind kind) {
        kind.run(() -> {
            CountingTransport transport = new CountingTransport();
            StreamReader reader = readerOver(transport, 4);
            reader.feedData(new byte[9]);
            assertFalse(transport.reading);
            // More than is buffered: without resuming, the transport would never deliver the rest.
            Task<byte[]> read = Asyncio.createTask(() -> reader.readexactly(30));
            Turns.pass(2);
            assertTrue(transport.reading);
            assertFalse(read.done());
            reader.feedData(new byte[21]);
            assertEquals(30, read.await().length);
            return null;
        });
    }

    @LoopTest
    void aLimitOverrunLeavesTheTransportPausedWithTheDataKept(LoopKind kind) {
        kind.run(() -> {
            CountingTransport transport = new CountingTransport();
            StreamReader reader = readerOver(transport, 4);
            reader.feedData(new byte[20]);
            assertThrows(asyncio.api.streams.LimitOverrunError.class, () -> reader.readuntil(new byte[] {'\n'}));
            assertFalse(transport.reading, "nothing was consumed");
            assertEquals(20, reader.read(100).length);
            assertTrue(transport.reading);
            return null;
        });
    }

    /**
     * Found by StreamReaderFuzzTest: an incomplete read at EOF empties the buffer without
     * resuming (as in asyncio); asyncio's read(-1) then ends with a read(limit) of nothing, which
     * resumes the transport all the same.
     */
    @LoopTest
    void readToEofOverAnEmptiedBufferResumesAPausedTransport(LoopKind kind) {
        kind.run(() -> {
            CountingTransport transport = new CountingTransport();
            StreamReader reader = readerOver(transport, 4);
            reader.feedData(new byte[9]);
            reader.feedEof();
            assertThrows(asyncio.api.streams.IncompleteReadError.class, () -> reader.readexactly(10));
            assertFalse(transport.reading, "the incomplete read does not resume, as in asyncio");
            assertEquals(0, reader.read(-1).length);
            assertTrue(transport.reading);
            return null;
        });
    }

    @LoopTest
    void aSecondTransportIsRefused(LoopKind kind) {
        kind.run(() -> {
            StreamReader reader = readerOver(new CountingTransport(), 4);
            assertThrows(IllegalStateException.class, () -> reader.setTransport(new CountingTransport()));
            return null;
        });
    }
}
