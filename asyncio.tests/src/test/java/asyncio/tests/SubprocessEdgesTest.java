package asyncio.tests;

import static asyncio.tests.LoopbackPeers.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.CancelledError;
import asyncio.api.EventLoop;
import asyncio.api.FileNotFoundError;
import asyncio.api.Future;
import asyncio.api.PermissionError;
import asyncio.api.Task;
import asyncio.api.subprocess.Process;
import asyncio.api.subprocess.Stdio;
import asyncio.api.subprocess.SubprocessConnection;
import asyncio.api.subprocess.SubprocessOptions;
import asyncio.api.subprocess.SubprocessProtocol;
import asyncio.api.subprocess.Subprocesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a child's end reaches the application on every loop: a stdin pipe left open does not keep
 * the transport from completing, no zombie outlives the loop, a program that cannot start fails
 * with the same errno-carrying exception, and the transport shows the same kind of handle.
 */
@SpawnsChildren
@ExtendWith(NoDescriptorLeaks.class)
class SubprocessEdgesTest {

    /** Records the low-level protocol's events; {@code lost} completes at connectionLost. */
    static final class Recording implements SubprocessProtocol {
        final List<String> events = new ArrayList<>();
        final Future<Void> lost = Asyncio.getRunningLoop().createFuture();

        @Override
        public void pipeConnectionLost(int fd, Throwable error) {
            events.add("pipe" + fd + " lost " + error);
        }

        @Override
        public void processExited() {
            events.add("exited");
        }

        @Override
        public void connectionLost(Throwable error) {
            events.add("lost");
            lost.setResult(null);
        }
    }

    private static List<String> endOfAChildWithItsStdinOpen(LoopKind kind, List<String> command, boolean kill) {
        return kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            SubprocessConnection<Recording> child = loop.subprocessExec(Recording::new, command,
                    SubprocessOptions.pipes().stdout(Stdio.DEVNULL).stderr(Stdio.DEVNULL)).await();
            if (kill) {
                child.transport().kill();
            }
            within(child.protocol().lost);
            child.transport().close();
            return child.protocol().events;
        });
    }

    @LoopTest
    void aChildExitingWithItsStdinOpenLosesThePipeAndTheConnection(LoopKind kind) {
        List<String> events = endOfAChildWithItsStdinOpen(kind, List.of("/bin/sh", "-c", "exit 3"), false);
        assertTrue(events.contains("pipe0 lost null"), events.toString());
        assertTrue(events.contains("exited"), events.toString());
        assertEquals("lost", events.get(events.size() - 1), events.toString());
    }

    @LoopTest
    void aKilledChildWithItsStdinOpenLosesThePipeAndTheConnection(LoopKind kind) {
        List<String> events = endOfAChildWithItsStdinOpen(kind, List.of("sleep", "60"), true);
        assertTrue(events.contains("pipe0 lost null"), events.toString());
        assertEquals("lost", events.get(events.size() - 1), events.toString());
    }

    @LoopTest
    void communicateWithAChildThatExitsWithoutReadingItsInputCompletes(LoopKind kind) {
        int code = kind.run(() -> {
            Process child = Subprocesses.createSubprocessExec(List.of("/bin/sh", "-c", "exit 3"),
                    SubprocessOptions.pipes()).await();
            // More than a pipe holds: most of it is still buffered when the reader goes away.
            Asyncio.waitFor(Asyncio.createTask(() -> child.communicate(new byte[4 * 1024 * 1024])), LoopbackPeers.BOUND);
            return child.returncode();
        });
        assertEquals(3, code);
    }

    /** Whether {@code pid} is a zombie (exited, not reaped) now. */
    private static boolean isZombie(long pid) throws Exception {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) {
            return false;
        }
        String text;
        try {
            text = Files.readString(stat);
        } catch (java.nio.file.NoSuchFileException reapedMeanwhile) {
            return false;
        }
        // "pid (comm) S ...": the state follows the command name's closing parenthesis.
        return text.charAt(text.lastIndexOf(')') + 2) == 'Z';
    }

    @LoopTest
    void noChildIsLeftAZombieOnceTheLoopClosed(LoopKind kind) throws Exception {
        List<Long> pids = kind.run(() -> {
            List<Long> started = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Process child = Subprocesses.createSubprocessExec(List.of("sleep", "60"), SubprocessOptions.pipes()).await();
                started.add(child.pid());
                Task<Process.Output> talking = Asyncio.createTask(() -> child.communicate(null));
                Task<Integer> waiting = Asyncio.createTask(child::waitFor);
                Asyncio.sleep(0);
                talking.cancel();
                waiting.cancel();
                for (Task<?> cancelled : List.of(talking, waiting)) {
                    try {
                        cancelled.await();
                    } catch (CancelledError expected) {
                        // As the test wants.
                    }
                }
                if (i == 0) {
                    child.kill();
                }
            }
            return started;
        });
        for (long pid : pids) {
            // The JDK reaps the children it started on its own thread: wait for that, boundedly.
            ProcessHandle.of(pid).ifPresent(handle -> {
                try {
                    handle.onExit().get((long) LoopbackPeers.BOUND, TimeUnit.SECONDS);
                } catch (Exception notReaped) {
                    throw new AssertionError("child " + pid + " still runs", notReaped);
                }
            });
            assertFalse(isZombie(pid), "child " + pid + " is a zombie");
        }
    }

    /**
     * A child whose start is under way when the loop stops, and whose loop then closes, is
     * killed: nobody could ever talk to it or wait for it. (The selector loop starts children on
     * a starter thread that posts each to the loop; a post the closing loop drops unrun is the
     * case this pins.)
     */
    @LoopTest
    void aChildStillStartingWhenTheLoopClosesIsKilled(LoopKind kind) throws Exception {
        Set<Long> before = childPids();
        EventLoop loop = kind.newLoop();
        try {
            loop.runUntilComplete(() -> {
                // Started, not awaited: the loop stops with the child's start in flight.
                loop.subprocessExec(Recording::new, List.of("sleep", "60"), SubprocessOptions.pipes());
                return null;
            });
            ProcessHandle child = newChild(before);
            // Where a starter thread starts children, let it post this one before the close.
            awaitStartersIdle();
            loop.close();
            try {
                child.onExit().get((long) LoopbackPeers.BOUND, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException stillRunning) {
                child.destroyForcibly();
                throw new AssertionError("the child " + child.pid() + " outlived its closed loop");
            }
        } finally {
            loop.close();
        }
    }

    /** Waits, up to the bound, until no child-starter thread of the loops is at work. */
    private static void awaitStartersIdle() {
        long deadline = System.nanoTime() + (long) (LoopbackPeers.BOUND * 1e9);
        while (Thread.getAllStackTraces().keySet().stream().anyMatch(
                thread -> thread.getName().startsWith("asyncio-process-starter-")
                        && thread.getState() == Thread.State.RUNNABLE)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("a child-starter thread is still at work after " + LoopbackPeers.BOUND + " s");
            }
            Thread.onSpinWait();
        }
    }

    private static Set<Long> childPids() {
        return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    /** The child this process started after {@code before} was taken, looked for up to the bound. */
    private static ProcessHandle newChild(Set<Long> before) {
        long deadline = System.nanoTime() + (long) (LoopbackPeers.BOUND * 1e9);
        while (System.nanoTime() < deadline) {
            java.util.Optional<ProcessHandle> found = ProcessHandle.current().children()
                    .filter(child -> !before.contains(child.pid())).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no child started within " + LoopbackPeers.BOUND + " s");
    }

    private static Throwable failureOf(LoopKind kind, List<String> args) {
        return kind.run(() -> {
            try {
                Subprocesses.createSubprocessExec(args, SubprocessOptions.pipes()).await();
                return null;
            } catch (Exception expected) {
                return expected;
            }
        });
    }

    @LoopTest
    void aMissingProgramRaisesFileNotFoundErrorWithErrnoAndFilename(LoopKind kind) {
        for (String program : List.of("/no/such/program", "no-such-program-on-the-path")) {
            FileNotFoundError error = assertInstanceOf(FileNotFoundError.class, failureOf(kind, List.of(program, "arg")));
            assertEquals(2, error.errno());
            assertEquals("No such file or directory", error.strerror());
            assertEquals(program, error.filename());
            assertEquals("Cannot run program \"" + program + "\": error=2, No such file or directory", error.getMessage());
        }
    }

    @LoopTest
    void aProgramThatIsNotExecutableRaisesPermissionErrorWithErrnoAndFilename(LoopKind kind, @TempDir Path directory)
            throws Exception {
        String script = Files.writeString(directory.resolve("not-executable"), "#!/bin/sh\necho no\n").toString();
        PermissionError error = assertInstanceOf(PermissionError.class, failureOf(kind, List.of(script)));
        assertEquals(13, error.errno());
        assertEquals("Permission denied", error.strerror());
        assertEquals(script, error.filename());
        assertEquals("Cannot run program \"" + script + "\": error=13, Permission denied", error.getMessage());
    }

    @LoopTest
    void theSubprocessExtraInfoIsTheChildsProcessHandleOnEveryLoop(LoopKind kind) {
        List<Object> seen = kind.run(() -> {
            SubprocessConnection<Recording> child = Asyncio.getRunningLoop().subprocessExec(Recording::new,
                    List.of("true"), SubprocessOptions.pipes()).await();
            Object handle = child.transport().getExtraInfo("subprocess");
            within(child.protocol().lost);
            child.transport().close();
            return List.of(handle, child.transport().getPid());
        });
        ProcessHandle handle = assertInstanceOf(ProcessHandle.class, seen.get(0));
        assertEquals(seen.get(1), handle.pid());
    }

    /** The ProcessBuilder starts ({@code jdk.ProcessStart} events) that happened while {@code body} ran. */
    private static List<RecordedEvent> processStartsDuring(Runnable body, Path directory) throws Exception {
        Path file = directory.resolve("starts.jfr");
        try (jdk.jfr.Recording recording = new jdk.jfr.Recording()) {
            recording.enable("jdk.ProcessStart");
            recording.start();
            body.run();
            recording.stop();
            recording.dump(file);
        }
        // A dump also holds the events other recordings of this JVM enabled meanwhile (test
        // classes run in parallel: JfrEventsTest records asyncio's own events): keep ours only.
        return RecordingFile.readAllEvents(file).stream()
                .filter(event -> event.getEventType().getName().equals("jdk.ProcessStart"))
                .toList();
    }

    @LoopTest
    void aSignalOtherThanTermOrKillIsSentWithoutStartingAProgram(LoopKind kind, @TempDir Path directory) throws Exception {
        int sigusr1 = 10;
        int[] code = new int[1];
        List<RecordedEvent> starts = processStartsDuring(() -> code[0] = kind.run(() -> {
            Process child = Subprocesses.createSubprocessExec(List.of("sleep", "60"), SubprocessOptions.pipes()).await();
            child.sendSignal(sigusr1);
            return Asyncio.waitFor(Asyncio.createTask(child::waitFor), LoopbackPeers.BOUND);
        }), directory);
        assertEquals(-sigusr1, code[0]);
        List<String> commands = starts.stream().map(start -> start.getString("command")).toList();
        assertFalse(commands.stream().anyMatch(command -> command.startsWith("kill")), commands.toString());
    }

    @LoopTest
    void hundredChildrenStartOffTheLoopThreadOnBoundedThreads(LoopKind kind, @TempDir Path directory) throws Exception {
        int children = 100;
        Thread[] loopThread = new Thread[1];
        List<RecordedEvent> starts = processStartsDuring(() -> kind.run(() -> {
            Asyncio.getRunningLoop().callSoon(() -> loopThread[0] = Thread.currentThread());
            List<Future<Process>> starting = new ArrayList<>();
            for (int i = 0; i < children; i++) {
                starting.add(Subprocesses.createSubprocessExec(List.of("true"), SubprocessOptions.pipes()));
            }
            for (Object started : Asyncio.gather(starting.toArray(new Future<?>[0])).await()) {
                Process child = (Process) started;
                Asyncio.waitFor(Asyncio.createTask(() -> child.communicate(null)), LoopbackPeers.BOUND);
            }
            return null;
        }), directory);
        // The epoll loop spawns with posix_spawn, not ProcessBuilder: it records no start at all.
        List<Long> spawningThreads = starts.stream().filter(start -> start.getString("command").startsWith("true"))
                .map(start -> (Long) start.getThread("eventThread").getJavaThreadId()).toList();
        assertFalse(spawningThreads.contains(loopThread[0].threadId()), "a child was started on the loop thread");
        assertTrue(Set.copyOf(spawningThreads).size() <= 2, "threads that started children: " + Set.copyOf(spawningThreads));
    }
}
