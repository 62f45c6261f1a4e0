package asyncio.examples;

import asyncio.api.Asyncio;
import asyncio.api.subprocess.Process;
import asyncio.api.subprocess.Stdio;
import asyncio.api.subprocess.SubprocessOptions;
import asyncio.api.subprocess.Subprocesses;
import java.nio.charset.StandardCharsets;

/**
 * The asyncio docs' "subprocess using streams": {@link Subprocesses#createSubprocessExec} starts
 * a program that prints the current date, the example reads one line of its stdout as a stream
 * and waits for it to exit. The docs' child is Python; here it is {@code date}.
 */
public final class SubprocessDateStreams {
    private SubprocessDateStreams() {
    }

    /** Runs the example. */
    public static void main(String[] args) {
        String date = Asyncio.run(SubprocessDateStreams::getDate);
        System.out.println("Current date: " + date);
    }

    /** Coroutine: the date the child printed. */
    public static String getDate() {
        Process child = Subprocesses.createSubprocessExec(SubprocessDateProtocol.DATE_COMMAND,
                SubprocessOptions.pipes().stdin(Stdio.DEVNULL).stderr(Stdio.INHERIT)).await();
        // Reads one line of output, then waits for the child to exit.
        String line = new String(child.stdout().readline(), StandardCharsets.US_ASCII).strip();
        child.waitFor();
        return line;
    }
}
