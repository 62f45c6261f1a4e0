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
        return createSubprocessExec(args, options, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * {@link #createSubprocessExec(List, SubprocessOptions)} whose stdout and stderr readers hold at
     * most {@code limit} bytes for {@code readline}/{@code readuntil} (a line longer than that
     * raises). Mirrors {@code asyncio.create_subprocess_exec(..., limit=limit)}.
     */
    public static Future<Process> createSubprocessExec(List<String> args, SubprocessOptions options, int limit) {
        return start(limit, (loop, protocol) -> loop.subprocessExec(() -> protocol, args, options));
    }

    /** Starts the child as {@code how} says, with stream readers of {@code limit} bytes. */
    private static Future<Process> start(int limit, java.util.function.BiFunction<EventLoop, SubprocessStreamProtocol,
            Future<SubprocessConnection<SubprocessStreamProtocol>>> how) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        EventLoop loop = Asyncio.getRunningLoop();
        SubprocessStreamProtocol protocol = new SubprocessStreamProtocol(loop, limit);
        Future<SubprocessConnection<SubprocessStreamProtocol>> started = how.apply(loop, protocol);
        return new Task<>(() -> {
            started.await();
            return new Process(protocol);
        }, loop, "create_subprocess_exec", true);
    }

    /**
     * Runs {@code command} in the loop's shell ({@code /bin/sh -c}; {@code %COMSPEC% /c} on the
     * Windows loop). Mirrors {@code asyncio.create_subprocess_shell()}, which goes through
     * {@code loop.subprocess_shell}.
     */
    public static Future<Process> createSubprocessShell(String command, SubprocessOptions options) {
        return createSubprocessShell(command, options, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * {@link #createSubprocessShell(String, SubprocessOptions)} with stream readers of {@code limit}
     * bytes. Mirrors {@code asyncio.create_subprocess_shell(..., limit=limit)}.
     */
    public static Future<Process> createSubprocessShell(String command, SubprocessOptions options, int limit) {
        return start(limit, (loop, protocol) -> loop.subprocessShell(() -> protocol, command, options));
    }
}
