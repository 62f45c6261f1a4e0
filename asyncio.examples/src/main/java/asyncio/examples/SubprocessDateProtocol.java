package asyncio.examples;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.subprocess.Stdio;
import asyncio.api.subprocess.SubprocessConnection;
import asyncio.api.subprocess.SubprocessOptions;
import asyncio.api.subprocess.SubprocessProtocol;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The asyncio docs' "subprocess using transport and protocol": {@code loop.subprocessExec}
 * runs a program that prints the current date, and a {@link SubprocessProtocol} collects its
 * output until both the pipe has closed and the process has exited. The docs' child is Python;
 * here it is {@code date}.
 */
public final class SubprocessDateProtocol {
    /** The child: prints the date and time in UTC, to the second. */
    static final List<String> DATE_COMMAND = List.of("date", "-u", "+%Y-%m-%d %H:%M:%S");

    private SubprocessDateProtocol() {
    }

    /** Collects stdout and completes a future once the child is done. Mirrors the docs' {@code DateProtocol}. */
    public static final class DateProtocol implements SubprocessProtocol {
        private final Future<Boolean> exitFuture;
        private final ByteArrayOutputStream output = new ByteArrayOutputStream();
        private boolean pipeClosed;
        private boolean exited;

        /** A protocol that completes {@code exitFuture} when the child's output is complete. */
        public DateProtocol(Future<Boolean> exitFuture) {
            this.exitFuture = exitFuture;
        }

        @Override
        public void pipeDataReceived(int fd, ByteBuffer data) {
            try {
                Channels.newChannel(output).write(data);
            } catch (java.io.IOException impossible) {
                throw new java.io.UncheckedIOException(impossible);
            }
        }

        @Override
        public void pipeConnectionLost(int fd, Throwable error) {
            pipeClosed = true;
            checkForExit();
        }

        @Override
        public void processExited() {
            exited = true;
            checkForExit();
        }

        // The exit and the end of the output come in either order: wait for both.
        private void checkForExit() {
            if (pipeClosed && exited) {
                exitFuture.setResult(true);
            }
        }

        /** What the child wrote so far. */
        public String output() {
            return output.toString(StandardCharsets.US_ASCII);
        }
    }

    /** Runs the example. */
    public static void main(String[] args) {
        String date = Asyncio.run(SubprocessDateProtocol::getDate);
        System.out.println("Current date: " + date);
    }

    /** Coroutine: the date the child printed. */
    public static String getDate() {
        EventLoop loop = Asyncio.getRunningLoop();
        Future<Boolean> exitFuture = loop.createFuture();
        // Only stdout is a pipe, so exactly one pipeConnectionLost comes (the docs' stdin=None, stderr=None).
        SubprocessConnection<DateProtocol> connection = loop.subprocessExec(() -> new DateProtocol(exitFuture),
                DATE_COMMAND, SubprocessOptions.pipes().stdin(Stdio.DEVNULL).stderr(Stdio.INHERIT)).await();
        try {
            exitFuture.await();
        } finally {
            connection.transport().close();
        }
        return connection.protocol().output().strip();
    }
}
