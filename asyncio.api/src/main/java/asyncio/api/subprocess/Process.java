package asyncio.api.subprocess;

import asyncio.api.Asyncio;
import asyncio.api.Future;
import asyncio.api.streams.StreamReader;
import asyncio.api.streams.StreamWriter;
import java.io.IOException;
import java.util.List;

/**
 * A child process driven from coroutine code: its pipes as streams, waiting for its exit, and
 * {@link #communicate(byte[])}. Mirrors {@code asyncio.subprocess.Process}.
 */
public final class Process {
    private final SubprocessStreamProtocol protocol;

    Process(SubprocessStreamProtocol protocol) {
        this.protocol = protocol;
    }

    /** The child's stdin, or null when it is not a pipe. Mirrors {@code stdin}. */
    public StreamWriter stdin() {
        return protocol.stdin();
    }

    /** The child's stdout, or null when it is not a pipe. Mirrors {@code stdout}. */
    public StreamReader stdout() {
        return protocol.stdout();
    }

    /** The child's stderr, or null when it is not a pipe. Mirrors {@code stderr}. */
    public StreamReader stderr() {
        return protocol.stderr();
    }

    /** The process id. Mirrors {@code pid}. */
    public long pid() {
        return protocol.transport().getPid();
    }

    /** The exit status, or null while running (negative: killed by that signal). Mirrors {@code returncode}. */
    public Integer returncode() {
        return protocol.transport().getReturncode();
    }

    /** Suspends until the child exits and returns its status. Mirrors {@code wait()}. */
    public int waitFor() {
        return protocol.exitCode().await();
    }

    /** Sends a signal by number. Mirrors {@code send_signal()}. */
    public void sendSignal(int signal) {
        protocol.transport().sendSignal(signal);
    }

    /** Sends SIGTERM. Mirrors {@code terminate()}. */
    public void terminate() {
        protocol.transport().terminate();
    }

    /** Sends SIGKILL. Mirrors {@code kill()}. */
    public void kill() {
        protocol.transport().kill();
    }

    /**
     * Writes {@code input} (may be null) to stdin and closes it, reads stdout and stderr to the end
     * at the same time (so large input and output cannot deadlock), then waits for the exit.
     * Mirrors {@code communicate()}.
     */
    public Output communicate(byte[] input) {
        Future<Object> feeding = stdin() == null ? done(null) : Asyncio.createTask(() -> {
            feed(input);
            return null;
        });
        Future<Object> out = stdout() == null ? done(null) : Asyncio.createTask(() -> readAll(1));
        Future<Object> err = stderr() == null ? done(null) : Asyncio.createTask(() -> readAll(2));
        List<Object> results = Asyncio.gather(feeding, out, err).await();
        waitFor();
        return new Output((byte[]) results.get(1), (byte[]) results.get(2));
    }

    /** What {@link #communicate(byte[])} read: null for a stream that is not a pipe. */
    public record Output(byte[] stdout, byte[] stderr) {
    }

    private void feed(byte[] input) {
        StreamWriter writer = stdin();
        try {
            if (input != null) {
                writer.write(input);
                writer.drain();
            }
        } catch (Exception lostPipe) {
            // The child closed its stdin early: communicate() ignores that, as asyncio does.
            if (!(lostPipe instanceof IOException)) {
                throw asyncio.api.internal.Throwables.sneaky(lostPipe);
            }
        }
        writer.close();
    }

    private byte[] readAll(int fd) {
        StreamReader reader = fd == 1 ? stdout() : stderr();
        byte[] output = reader.read(-1);
        protocol.transport().getPipeTransport(fd).close();
        return output;
    }

    private static Future<Object> done(Object value) {
        Future<Object> future = Asyncio.getRunningLoop().createFuture();
        future.setResult(value);
        return future;
    }

    @Override
    public String toString() {
        return "<Process " + pid() + (returncode() == null ? "" : " returncode=" + returncode()) + ">";
    }
}
