package asyncio.api.streams;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.internal.Throwables;
import asyncio.api.transports.ReadTransport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Buffered reading of a byte stream from coroutine code. Mirrors {@code asyncio.StreamReader}:
 * the read methods suspend the calling task until data (or EOF) arrives; reading from the
 * transport pauses while more than twice the limit is buffered.
 */
public class StreamReader implements Iterable<byte[]> {
    /** asyncio's default buffer limit: 64 KiB. */
    public static final int DEFAULT_LIMIT = 64 * 1024;
    private static final byte[] NEWLINE = {'\n'};

    private final int limit;
    private final EventLoop loop;
    private final StreamBuffer buffer = new StreamBuffer();
    private boolean eof;
    private Future<Void> waiter;
    private Throwable exception;
    private ReadTransport transport;
    private boolean paused;

    /** A reader with the default limit on the running loop. */
    public StreamReader() {
        this(DEFAULT_LIMIT, Asyncio.getEventLoop());
    }

    /**
     * A reader with {@code limit} on the running loop (else the current one). Mirrors
     * {@code StreamReader(limit)}.
     */
    public StreamReader(int limit) {
        this(limit, Asyncio.getEventLoop());
    }

    /** A reader with {@code limit} on {@code loop}. Mirrors {@code StreamReader(limit, loop)}. */
    public StreamReader(int limit, EventLoop loop) {
        if (limit <= 0) {
            throw new IllegalArgumentException("Limit cannot be <= 0");
        }
        this.limit = limit;
        this.loop = Objects.requireNonNull(loop, "loop");
    }

    /** The buffer limit. */
    public int limit() {
        return limit;
    }

    /** The loop this reader's reads suspend on. Mirrors the reader's {@code _loop}, which asyncio keeps private. */
    public EventLoop getLoop() {
        return loop;
    }

    /**
     * The lines of the stream, each with its {@code \n} (the last may lack it), ending at EOF:
     * {@code for (byte[] line : reader)} is {@code async for line in reader}. {@code hasNext()}
     * suspends the calling task in {@link #readline()}; a read error is thrown from it. Mirrors
     * {@code StreamReader.__aiter__()}/{@code __anext__()}, which stop when {@code readline()}
     * returns {@code b''}.
     */
    @Override
    public Iterator<byte[]> iterator() {
        return new Iterator<>() {
            private byte[] next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    next = readline();
                }
                return next.length > 0;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("end of stream");
                }
                byte[] line = next;
                next = null;
                return line;
            }
        };
    }

    /** The error the stream ended with, or null. Mirrors {@code exception()}. */
    public Throwable exception() {
        return exception;
    }

    /** Ends the stream with {@code error}: a waiting read raises it. Mirrors {@code set_exception()}. */
    public void setException(Throwable error) {
        exception = error;
        Future<Void> waiting = waiter;
        if (waiting != null) {
            waiter = null;
            if (!waiting.cancelled()) {
                waiting.setException(error);
            }
        }
    }

    /** Connects the reader to the transport it pauses and resumes. Mirrors {@code set_transport()}. */
    public void setTransport(ReadTransport readTransport) {
        if (transport != null) {
            throw new IllegalStateException("Transport already set");
        }
        transport = readTransport;
    }

    /** Marks the end of the stream. Mirrors {@code feed_eof()}. */
    public void feedEof() {
        eof = true;
        wakeUpWaiter();
    }

    /** Whether the stream ended and every byte was read. Mirrors {@code at_eof()}. */
    public boolean atEof() {
        return eof && buffer.isEmpty();
    }

    /** Adds received bytes (copied; {@code data} is consumed). Mirrors {@code feed_data()}. */
    public void feedData(ByteBuffer data) {
        if (eof) {
            throw new IllegalStateException("feed_data after feed_eof");
        }
        if (!data.hasRemaining()) {
            return;
        }
        buffer.append(data);
        wakeUpWaiter();
        if (transport != null && !paused && buffer.size() > 2 * limit) {
            transport.pauseReading();
            paused = true;
        }
    }

    /** Adds received bytes. */
    public void feedData(byte[] data) {
        feedData(ByteBuffer.wrap(data));
    }

    /**
     * Reads up to {@code n} bytes (at least one unless at EOF, then none); {@code n < 0} reads to
     * EOF. Mirrors {@code read(n)}.
     */
    public byte[] read(int n) {
        throwIfFailed();
        if (n == 0) {
            return new byte[0];
        }
        if (n < 0) {
            return readToEof();
        }
        if (buffer.isEmpty() && !eof) {
            waitForData("read");
        }
        byte[] data = buffer.take(Math.min(n, buffer.size()));
        maybeResumeTransport();
        return data;
    }

    private byte[] readToEof() {
        // asyncio reads limit-sized blocks so that a sender of more than the limit cannot stall the
        // transport; taking all that is buffered does the same (the buffer drops to zero, which
        // resumes the transport) and hands whole received chunks over without copying them.
        List<byte[]> blocks = new ArrayList<>();
        long total = 0;
        while (true) {
            throwIfFailed();
            if (buffer.isEmpty()) {
                if (eof) {
                    // asyncio's last read(limit) returns b'' and resumes a transport still paused.
                    maybeResumeTransport();
                    return join(blocks, total);
                }
                waitForData("read");
                continue;
            }
            byte[] block = buffer.take(buffer.size());
            maybeResumeTransport();
            blocks.add(block);
            total += block.length;
        }
    }

    private static byte[] join(List<byte[]> blocks, long total) {
        if (blocks.size() == 1) {
            return blocks.get(0);
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new OutOfMemoryError("read(-1): " + total + " bytes do not fit in one Java array");
        }
        byte[] all = new byte[(int) total];
        int at = 0;
        for (byte[] block : blocks) {
            System.arraycopy(block, 0, all, at, block.length);
            at += block.length;
        }
        return all;
    }

    /** Reads one line, {@code \n} included; at EOF the partial line (maybe empty). Mirrors {@code readline()}. */
    public byte[] readline() {
        try {
            return readuntil(NEWLINE);
        } catch (IncompleteReadError partial) {
            return partial.partial();
        } catch (LimitOverrunError overrun) {
            if (buffer.startsWith(NEWLINE, overrun.consumed())) {
                buffer.discard(overrun.consumed() + NEWLINE.length);
            } else {
                buffer.clear();
            }
            maybeResumeTransport();
            throw new IllegalArgumentException(overrun.getMessage(), overrun);
        }
    }

    /** Reads one line and decodes it as UTF-8. */
    public String readlineUtf8() {
        return new String(readline(), StandardCharsets.UTF_8);
    }

    /**
     * Reads exactly {@code n} bytes; raises {@link IncompleteReadError} with what arrived if the
     * stream ends first. Mirrors {@code readexactly()}.
     */
    public byte[] readexactly(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("readexactly size can not be less than zero");
        }
        throwIfFailed();
        if (n == 0) {
            return new byte[0];
        }
        while (buffer.size() < n) {
            if (eof) {
                byte[] incomplete = buffer.take(buffer.size());
                throw new IncompleteReadError(incomplete, n);
            }
            waitForData("readexactly");
        }
        byte[] data = buffer.take(n);
        maybeResumeTransport();
        return data;
    }

    /**
     * Reads up to and including the first of {@code separators} to appear (the shortest wins at
     * one position). Raises {@link LimitOverrunError} when the limit is reached first and
     * {@link IncompleteReadError} at EOF. Mirrors {@code readuntil()} (tuple form since 3.13).
     */
    public byte[] readuntil(byte[]... separators) {
        if (separators.length == 0) {
            throw new IllegalArgumentException("Separator should contain at least one element");
        }
        byte[][] sorted = separators.clone();
        Arrays.sort(sorted, Comparator.comparingInt(separator -> separator.length));
        int shortest = sorted[0].length;
        int longest = sorted[sorted.length - 1].length;
        if (shortest == 0) {
            throw new IllegalArgumentException("Separator should be at least one-byte string");
        }
        throwIfFailed();
        int offset = 0;
        int matchEnd = -1;
        int matchStart = -1;
        while (true) {
            int size = buffer.size();
            if (size - offset >= shortest) {
                for (byte[] separator : sorted) {
                    int found = buffer.indexOf(separator, offset);
                    if (found >= 0 && (matchEnd < 0 || found + separator.length < matchEnd)) {
                        matchStart = found;
                        matchEnd = found + separator.length;
                    }
                }
                if (matchEnd >= 0) {
                    break;
                }
                // Only the tail that could still hold the start of a separator is searched again.
                offset = Math.max(0, size + 1 - longest);
                if (offset > limit) {
                    throw new LimitOverrunError("Separator is not found, and chunk exceed the limit", offset);
                }
            }
            // Data that completes a separator may come with EOF: check the buffer first, then EOF.
            if (eof) {
                throw new IncompleteReadError(buffer.take(buffer.size()), null);
            }
            waitForData("readuntil");
        }
        if (matchStart > limit) {
            throw new LimitOverrunError("Separator is found, but chunk is longer than limit", matchStart);
        }
        byte[] chunk = buffer.take(matchEnd);
        maybeResumeTransport();
        return chunk;
    }

    private void throwIfFailed() {
        if (exception != null) {
            throw Throwables.sneaky(exception);
        }
    }

    private void waitForData(String operation) {
        if (waiter != null) {
            throw new IllegalStateException(operation
                    + "() called while another coroutine is already waiting for incoming data");
        }
        // Waiting while paused would wait forever: the transport would never deliver.
        if (paused) {
            paused = false;
            transport.resumeReading();
        }
        Future<Void> waiting = loop.createFuture();
        waiter = waiting;
        try {
            waiting.await();
        } finally {
            waiter = null;
        }
    }

    private void wakeUpWaiter() {
        Future<Void> waiting = waiter;
        if (waiting != null) {
            waiter = null;
            if (!waiting.cancelled()) {
                waiting.setResult(null);
            }
        }
    }

    private void maybeResumeTransport() {
        if (paused && buffer.size() <= limit) {
            paused = false;
            transport.resumeReading();
        }
    }

    @Override
    public String toString() {
        // The same fields as asyncio's repr, in the same order.
        StringBuilder shown = new StringBuilder("<StreamReader");
        if (!buffer.isEmpty()) {
            shown.append(' ').append(buffer.size()).append(" bytes");
        }
        if (eof) {
            shown.append(" eof");
        }
        if (limit != DEFAULT_LIMIT) {
            shown.append(" limit=").append(limit);
        }
        if (waiter != null) {
            shown.append(" waiter=").append(waiter);
        }
        if (exception != null) {
            shown.append(" exception=").append(exception);
        }
        if (transport != null) {
            shown.append(" transport=").append(transport);
        }
        if (paused) {
            shown.append(" paused");
        }
        return shown.append('>').toString();
    }
}
