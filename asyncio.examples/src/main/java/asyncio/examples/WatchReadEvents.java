package asyncio.examples;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;

/**
 * The asyncio docs' "watch a file descriptor for read events": {@link EventLoop#addReader} calls
 * back when the read end of a pipe has data; the callback reads it, stops watching and stops
 * the loop. Java's {@link Pipe} stands in for the docs' socket pair.
 */
public final class WatchReadEvents {
    private WatchReadEvents() {
    }

    /** Runs the example. */
    public static void main(String[] args) throws IOException {
        Pipe pipe = Pipe.open();
        EventLoop loop = Asyncio.newEventLoop();
        try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
            // The loop watches through a selector, which takes only non-blocking channels.
            source.configureBlocking(false);
            loop.addReader(source, () -> reader(loop, source));
            // Simulates data arriving from the outside, once the loop runs.
            loop.callSoon(() -> send(sink, "abc"));
            loop.runForever();
        } finally {
            loop.close();
        }
    }

    private static void reader(EventLoop loop, Pipe.SourceChannel source) {
        ByteBuffer data = ByteBuffer.allocate(100);
        try {
            source.read(data);
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
        System.out.println("Received: " + StandardCharsets.UTF_8.decode(data.flip()));
        // Done with the pipe: stop watching it, then stop the loop.
        loop.removeReader(source);
        loop.stop();
    }

    private static void send(Pipe.SinkChannel sink, String text) {
        try {
            sink.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }
}
