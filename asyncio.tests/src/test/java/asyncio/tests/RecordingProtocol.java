package asyncio.tests;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.transports.BaseTransport;
import asyncio.api.transports.Protocol;
import asyncio.api.transports.Transport;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A stream protocol that records what its transport tells it (made, data, eof, pause, resume,
 * lost) for a test to await and inspect. Create it on the loop thread.
 */
class RecordingProtocol implements Protocol {
    /** How long a test waits for an event before it fails, in seconds. */
    static final double PATIENCE = 10.0;

    final EventLoop loop = Asyncio.getEventLoop();
    final Future<Transport> made = loop.createFuture();
    final Future<Void> eof = loop.createFuture();
    final Future<Throwable> lost = loop.createFuture();
    final List<String> events = new ArrayList<>();
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    /** What {@code eofReceived} returns. */
    boolean keepOpenOnEof;
    private final java.util.Map<String, Future<Void>> eventWaiters = new java.util.HashMap<>();
    private int awaitedSize;
    private Future<byte[]> awaitedData;

    Transport transport() {
        return made.result();
    }

    @Override
    public void connectionMade(BaseTransport transport) {
        record("made");
        made.setResult((Transport) transport);
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        if (events.isEmpty() || !events.get(events.size() - 1).equals("data")) {
            record("data");
        }
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        received.write(bytes, 0, bytes.length);
        if (awaitedData != null && received.size() >= awaitedSize) {
            Future<byte[]> waiter = awaitedData;
            awaitedData = null;
            waiter.setResult(received.toByteArray());
        }
    }

    @Override
    public boolean eofReceived() {
        record("eof");
        eof.setResult(null);
        return keepOpenOnEof;
    }

    @Override
    public void pauseWriting() {
        record("pause");
    }

    @Override
    public void resumeWriting() {
        record("resume");
    }

    @Override
    public void connectionLost(Throwable error) {
        record("lost");
        lost.setResult(error);
    }

    private void record(String event) {
        events.add(event);
        Future<Void> waiter = eventWaiters.remove(event);
        if (waiter != null) {
            waiter.setResult(null);
        }
    }

    /** Awaits until {@code event} has been recorded at least once. */
    void awaitEvent(String event) {
        if (!events.contains(event)) {
            Asyncio.waitFor(eventWaiters.computeIfAbsent(event, key -> loop.createFuture()), PATIENCE);
        }
    }

    /** Awaits until {@code size} bytes arrived in all; returns everything received so far. */
    byte[] awaitReceived(int size) {
        if (received.size() < size) {
            awaitedSize = size;
            awaitedData = loop.createFuture();
            Asyncio.waitFor(awaitedData, PATIENCE);
        }
        return received.toByteArray();
    }

    /** Awaits {@code connectionLost} and returns its argument. */
    Throwable awaitLost() {
        return Asyncio.waitFor(lost, PATIENCE);
    }

    /** Awaits {@code eofReceived}. */
    void awaitEof() {
        Asyncio.waitFor(eof, PATIENCE);
    }

    /** Awaits {@code connectionMade} and returns the transport. */
    Transport awaitMade() {
        return Asyncio.waitFor(made, PATIENCE);
    }

    /** How many times {@code event} was recorded. */
    long count(String event) {
        return events.stream().filter(event::equals).count();
    }
}
