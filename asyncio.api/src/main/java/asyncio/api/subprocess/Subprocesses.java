package asyncio.api.subprocess;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.Task;
import asyncio.api.streams.StreamReader;
import java.util.List;

/** Starting child processes as {@link Process}es. Mirrors {@code asyncio.create_subprocess_exec()} and {@code _shell()}. */
public final class Subprocesses {
    private Subprocesses() {
    }

    /**
     * Starts {@code args} (program first); streams are inherited unless {@code options} makes them
     * pipes. Mirrors {@code asyncio.create_subprocess_exec()}.
     */
    public static Future<Process> createSubprocessExec(List<String> args, SubprocessOptions options) {
        EventLoop loop = Asyncio.getRunningLoop();
        SubprocessStreamProtocol protocol = new SubprocessStreamProtocol(loop, StreamReader.DEFAULT_LIMIT);
        Future<SubprocessConnection<SubprocessStreamProtocol>> started = loop.subprocessExec(() -> protocol, args, options);
        return new Task<>(() -> {
            started.await();
            return new Process(protocol);
        }, loop, "create_subprocess_exec", true);
    }

    /** Runs {@code command} with {@code /bin/sh -c}. Mirrors {@code asyncio.create_subprocess_shell()}. */
    public static Future<Process> createSubprocessShell(String command, SubprocessOptions options) {
        return createSubprocessExec(List.of("/bin/sh", "-c", command), options);
    }
}
