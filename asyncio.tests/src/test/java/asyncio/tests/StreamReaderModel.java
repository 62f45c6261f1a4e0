package asyncio.tests;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Comparator;

/**
 * What CPython's {@code asyncio.StreamReader} (Lib/asyncio/streams.py, 3.13) answers, written as
 * plainly as possible to check the real reader against: a byte array, an EOF flag, an error, the
 * transport's paused flag, and at most one pending read that is tried again at every wake-up
 * (new data, EOF, an error), as the real one re-runs its loop after {@code _wait_for_data}.
 * Only what is visible is modelled: results, exceptions with their fields, the bytes left, and
 * whether the transport is paused.
 */
final class StreamReaderModel {
    /** One read call. */
    sealed interface Op permits Read, ReadExactly, ReadUntil, ReadLine {
    }

    /** {@code read(n)}. */
    record Read(int n) implements Op {
    }

    /** {@code readexactly(n)}. */
    record ReadExactly(int n) implements Op {
    }

    /** {@code readuntil(separators)}. */
    record ReadUntil(byte[][] separators) implements Op {
        @Override
        public String toString() {
            StringBuilder shown = new StringBuilder("ReadUntil[");
            for (byte[] separator : separators) {
                shown.append(Arrays.toString(separator));
            }
            return shown.append(']').toString();
        }
    }

    /** {@code readline()}. */
    record ReadLine() implements Op {
    }

    /**
     * How a read ended: {@code data} for a result; otherwise the exception's kind (its Java class's
     * simple name), message, and fields ({@code partial}+{@code expected} or {@code consumed}).
     */
    record Outcome(byte[] data, String error, String message, byte[] partial, Integer expected, int consumed) {
        static Outcome of(byte[] data) {
            return new Outcome(data, null, null, null, null, -1);
        }

        static Outcome failed(String error, String message) {
            return new Outcome(null, error, message, null, null, -1);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Outcome that && Arrays.equals(data, that.data)
                    && java.util.Objects.equals(error, that.error) && java.util.Objects.equals(message, that.message)
                    && Arrays.equals(partial, that.partial) && java.util.Objects.equals(expected, that.expected)
                    && consumed == that.consumed;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            if (error == null) {
                return "data" + Arrays.toString(data);
            }
            return error + "(" + message + (partial != null ? ", partial=" + Arrays.toString(partial) : "")
                    + (expected != null ? ", expected=" + expected : "") + (consumed >= 0 ? ", consumed=" + consumed : "")
                    + ")";
        }
    }

    private final int limit;
    private byte[] buffer = new byte[0];
    private boolean eof;
    private RuntimeException exception;
    private boolean paused;
    private Op pending;
    /** What a pending read(-1) took so far. */
    private ByteArrayOutputStream readAll;

    StreamReaderModel(int limit) {
        this.limit = limit;
    }

    boolean paused() {
        return paused;
    }

    int buffered() {
        return buffer.length;
    }

    boolean hasPending() {
        return pending != null;
    }

    /**
     * {@code feed_data}: append, pause the transport past twice the limit, and wake the reader (which
     * runs later, so it sees the pause decision already made).
     */
    Outcome feed(byte[] data) {
        buffer = concat(buffer, data);
        if (!paused && buffer.length > 2 * limit) {
            paused = true;
        }
        return wake();
    }

    /** {@code feed_eof}. */
    Outcome feedEof() {
        eof = true;
        return wake();
    }

    /** {@code set_exception}: a pending read fails with it; later reads raise it. */
    Outcome setException(RuntimeException error) {
        exception = error;
        if (pending == null) {
            return null;
        }
        pending = null;
        readAll = null;
        return Outcome.failed(error.getClass().getSimpleName(), error.getMessage());
    }

    /** Starts {@code op}: its outcome, or null if it waits. */
    Outcome start(Op op) {
        Outcome early = checksBeforeReading(op);
        if (early != null) {
            return early;
        }
        if (op instanceof Read read && read.n() < 0) {
            readAll = new ByteArrayOutputStream();
        }
        pending = op;
        return attempt();
    }

    private Outcome wake() {
        return pending == null ? null : attempt();
    }

    /** The argument and error checks that come before any reading, in CPython's order. */
    private Outcome checksBeforeReading(Op op) {
        if (op instanceof ReadExactly exactly && exactly.n() < 0) {
            return Outcome.failed("IllegalArgumentException", "readexactly size can not be less than zero");
        }
        if (op instanceof ReadUntil until) {
            if (until.separators().length == 0) {
                return Outcome.failed("IllegalArgumentException", "Separator should contain at least one element");
            }
            for (byte[] separator : until.separators()) {
                if (separator.length == 0) {
                    return Outcome.failed("IllegalArgumentException", "Separator should be at least one-byte string");
                }
            }
        }
        if (exception != null) {
            return Outcome.failed(exception.getClass().getSimpleName(), exception.getMessage());
        }
        if (op instanceof Read read && read.n() == 0 || op instanceof ReadExactly exactly && exactly.n() == 0) {
            return Outcome.of(new byte[0]);
        }
        return null;
    }

    /** One pass of the pending read's loop: its outcome, or null when it waits again. */
    private Outcome attempt() {
        Outcome outcome = switch (pending) {
            case Read read when read.n() < 0 -> readAll();
            case Read read -> read(read.n());
            case ReadExactly exactly -> readExactly(exactly.n());
            case ReadUntil until -> readUntil(until.separators());
            case ReadLine line -> readLine();
        };
        if (outcome != null) {
            pending = null;
            readAll = null;
        } else if (paused) {
            // _wait_for_data resumes a paused transport before it waits.
            paused = false;
        }
        return outcome;
    }

    private Outcome readAll() {
        readAll.writeBytes(take(buffer.length));
        return eof ? Outcome.of(readAll.toByteArray()) : null;
    }

    private Outcome read(int n) {
        // read(n) waits once, and only for an empty buffer.
        if (buffer.length == 0 && !eof) {
            return null;
        }
        return Outcome.of(take(Math.min(n, buffer.length)));
    }

    private Outcome readExactly(int n) {
        if (buffer.length >= n) {
            return Outcome.of(take(n));
        }
        if (eof) {
            byte[] partial = buffer;
            buffer = new byte[0];
            return incomplete(partial, n);
        }
        return null;
    }

    private Outcome readUntil(byte[][] separators) {
        byte[][] sorted = separators.clone();
        Arrays.sort(sorted, Comparator.comparingInt(separator -> separator.length));
        int shortest = sorted[0].length;
        int longest = sorted[sorted.length - 1].length;
        int matchStart = -1;
        int matchEnd = -1;
        for (byte[] separator : sorted) {
            int at = indexOf(buffer, separator);
            if (at >= 0 && (matchEnd < 0 || at + separator.length < matchEnd)) {
                matchStart = at;
                matchEnd = at + separator.length;
            }
        }
        if (matchEnd >= 0) {
            if (matchStart > limit) {
                return overrun("Separator is found, but chunk is longer than limit", matchStart);
            }
            return Outcome.of(take(matchEnd));
        }
        if (buffer.length >= shortest) {
            int searched = Math.max(0, buffer.length + 1 - longest);
            if (searched > limit) {
                return overrun("Separator is not found, and chunk exceed the limit", searched);
            }
        }
        if (eof) {
            byte[] partial = buffer;
            buffer = new byte[0];
            return incomplete(partial, null);
        }
        return null;
    }

    private Outcome readLine() {
        Outcome until = readUntil(new byte[][] {{'\n'}});
        if (until == null || until.error() == null) {
            return until;
        }
        if (until.error().equals("IncompleteReadError")) {
            return Outcome.of(until.partial());
        }
        // LimitOverrunError: drop the line if its end is here, else everything; then ValueError.
        int consumed = until.consumed();
        if (consumed < buffer.length && buffer[consumed] == '\n') {
            take(consumed + 1);
        } else {
            take(buffer.length);
        }
        return Outcome.failed("IllegalArgumentException", until.message());
    }

    private static Outcome incomplete(byte[] partial, Integer expected) {
        String message = partial.length + " bytes read on a total of " + (expected == null ? "undefined" : expected)
                + " expected bytes";
        return new Outcome(null, "IncompleteReadError", message, partial, expected, -1);
    }

    private static Outcome overrun(String message, int consumed) {
        return new Outcome(null, "LimitOverrunError", message, null, null, consumed);
    }

    /** Takes {@code count} bytes from the front; a paused transport resumes once at most limit bytes are left. */
    private byte[] take(int count) {
        byte[] taken = Arrays.copyOf(buffer, count);
        buffer = Arrays.copyOfRange(buffer, count, buffer.length);
        if (paused && buffer.length <= limit) {
            paused = false;
        }
        return taken;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int at = 0; at + needle.length <= haystack.length; at++) {
            if (Arrays.equals(haystack, at, at + needle.length, needle, 0, needle.length)) {
                return at;
            }
        }
        return -1;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] joined = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        return joined;
    }
}
