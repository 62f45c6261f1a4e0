package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Task;
import asyncio.api.streams.IncompleteReadError;
import asyncio.api.streams.LimitOverrunError;
import asyncio.api.streams.StreamReader;
import asyncio.api.transports.BaseProtocol;
import asyncio.api.transports.ReadTransport;
import asyncio.tests.StreamReaderModel.Op;
import asyncio.tests.StreamReaderModel.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fuzzes {@link StreamReader}: random data cut into random chunks, fed between random reads
 * ({@code read(n)}, {@code read(-1)}, {@code readexactly}, {@code readuntil} with one to three
 * random separators, {@code readline}), small random limits, EOF and {@code set_exception} at
 * random moments. After every step the reader must agree with {@link StreamReaderModel} (CPython's
 * semantics, written plainly): the same results, the same exceptions with the same
 * {@code partial}/{@code expected}/{@code consumed}, the same bytes left, and the transport paused
 * exactly when CPython's would be. See {@link FuzzInput} for the number of cases and replaying one.
 */
@ExtendWith(NoDescriptorLeaks.class)
class StreamReaderFuzzTest {
    /** About a second per loop and carrier on a quiet machine. */
    private static final int DEFAULT_TRIES = 300;
    private static final byte[][] ALPHABETS = {
        "a\n".getBytes(StandardCharsets.US_ASCII), "ab\n".getBytes(StandardCharsets.US_ASCII),
        "abc\r\n".getBytes(StandardCharsets.US_ASCII), "aaab".getBytes(StandardCharsets.US_ASCII),
        {(byte) 0x80, (byte) 0xff, 0, '\n'}, null,
    };

    @LoopTest
    void everyReadOverRandomChunkingsAnswersAsCPythonsStreamReader(LoopKind kind) {
        long first = FuzzInput.firstSeed();
        int tries = FuzzInput.tries(DEFAULT_TRIES);
        kind.run(() -> {
            for (int i = 0; i < tries; i++) {
                long seed = first + i;
                List<String> steps = new ArrayList<>();
                try {
                    runCase(FuzzInput.seeded(seed), steps);
                } catch (AssertionError failed) {
                    throw new AssertionError(failed.getMessage() + FuzzInput.replay(seed) + "\nsteps: " + steps, failed);
                }
            }
            return null;
        });
    }

    /** One case, run inside a task on a loop; {@code steps} records what was done, for the failure message. */
    static void runCase(FuzzInput in, List<String> steps) {
        EventLoop loop = Asyncio.getRunningLoop();
        int limit = in.intInRange(1, 48);
        byte[] alphabet = in.pick(ALPHABETS);
        StreamReader reader = new StreamReader(limit, loop);
        PausableTransport transport = new PausableTransport();
        reader.setTransport(transport);
        StreamReaderModel model = new StreamReaderModel(limit);
        Case run = new Case(reader, model, transport, steps);
        steps.add("limit=" + limit);
        int count = in.intInRange(1, 40);
        for (int step = 0; step < count; step++) {
            int choice = in.intInRange(0, 19);
            if (choice < 8) {
                if (!run.eof) {
                    run.feed(in.bytes(in.intInRange(1, 3 * limit + 2), alphabet));
                }
            } else if (choice == 8) {
                run.feedEof();
            } else if (choice == 9) {
                if (in.intInRange(0, 3) == 0) {
                    run.setException(new IllegalStateException("fuzzed error " + step));
                }
            } else if (!run.reading()) {
                run.start(randomOp(in, alphabet, limit));
            }
        }
        run.feedEof();
        run.start(new StreamReaderModel.Read(-1));
    }

    private static Op randomOp(FuzzInput in, byte[] alphabet, int limit) {
        return switch (in.intInRange(0, 5)) {
            case 0 -> new StreamReaderModel.Read(in.intInRange(0, 2 * limit));
            case 1 -> new StreamReaderModel.Read(-1);
            case 2 -> new StreamReaderModel.ReadExactly(in.intInRange(-1, 3 * limit));
            case 3 -> new StreamReaderModel.ReadLine();
            default -> {
                // Now and then no separator or an empty one: the argument errors.
                int separators = in.intInRange(0, 20) == 0 ? 0 : in.intInRange(1, 3);
                byte[][] chosen = new byte[separators][];
                for (int i = 0; i < separators; i++) {
                    int length = in.intInRange(0, 30) == 0 ? 0 : in.intInRange(1, 3);
                    chosen[i] = in.bytes(length, alphabet);
                }
                yield new StreamReaderModel.ReadUntil(chosen);
            }
        };
    }

    /** The real reader and the model side by side, with the one read in progress. */
    private static final class Case {
        private final StreamReader reader;
        private final StreamReaderModel model;
        private final PausableTransport transport;
        private final List<String> steps;
        private Task<Outcome> running;
        boolean eof;

        Case(StreamReader reader, StreamReaderModel model, PausableTransport transport, List<String> steps) {
            this.reader = reader;
            this.model = model;
            this.transport = transport;
            this.steps = steps;
        }

        boolean reading() {
            return running != null;
        }

        void feed(byte[] data) {
            steps.add("feed " + data.length + " " + java.util.Arrays.toString(data));
            reader.feedData(data);
            check(model.feed(data));
        }

        void feedEof() {
            if (eof) {
                return;
            }
            eof = true;
            steps.add("eof");
            reader.feedEof();
            check(model.feedEof());
        }

        void setException(RuntimeException error) {
            steps.add("set_exception");
            reader.setException(error);
            check(model.setException(error));
        }

        void start(Op op) {
            steps.add(op.toString());
            running = Asyncio.getRunningLoop().createTask(() -> outcomeOf(reader, op));
            check(model.start(op));
        }

        /** Lets the reading task run, then compares it, the paused flag and the bytes left with the model. */
        private void check(Outcome expected) {
            // One iteration runs a woken or new task; a second one is margin.
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            if (expected == null) {
                assertEquals(running != null && !running.done(), model.hasPending(), "whether a read is still waiting");
            } else {
                assertEquals(true, running != null && running.done(), "the read should have completed with " + expected);
                assertEquals(expected, running.result());
                running = null;
            }
            assertEquals(model.paused(), transport.paused, "whether the transport is paused");
            assertEquals(bufferedIn(reader), model.buffered(), "bytes left in the reader");
        }
    }

    /** The reader's buffered byte count, from its repr ({@code <StreamReader N bytes ...>}). */
    private static int bufferedIn(StreamReader reader) {
        String shown = reader.toString();
        int bytes = shown.indexOf(" bytes");
        if (bytes < 0) {
            return 0;
        }
        int start = shown.lastIndexOf(' ', bytes - 1) + 1;
        return Integer.parseInt(shown.substring(start, bytes));
    }

    private static Outcome outcomeOf(StreamReader reader, Op op) {
        try {
            return Outcome.of(switch (op) {
                case StreamReaderModel.Read read -> reader.read(read.n());
                case StreamReaderModel.ReadExactly exactly -> reader.readexactly(exactly.n());
                case StreamReaderModel.ReadUntil until -> reader.readuntil(until.separators());
                case StreamReaderModel.ReadLine line -> reader.readline();
            });
        } catch (IncompleteReadError incomplete) {
            return new Outcome(null, "IncompleteReadError", incomplete.getMessage(), incomplete.partial(),
                    incomplete.expected(), -1);
        } catch (LimitOverrunError overrun) {
            return new Outcome(null, "LimitOverrunError", overrun.getMessage(), null, null, overrun.consumed());
        } catch (RuntimeException error) {
            return Outcome.failed(error.getClass().getSimpleName(), error.getMessage());
        }
    }

    /** A transport that only records whether the reader paused it. */
    static final class PausableTransport implements ReadTransport {
        boolean paused;

        @Override
        public boolean isReading() {
            return !paused;
        }

        @Override
        public void pauseReading() {
            paused = true;
        }

        @Override
        public void resumeReading() {
            paused = false;
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
}
