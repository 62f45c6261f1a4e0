package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.Asyncio;
import asyncio.api.EventLoop;
import asyncio.api.Future;
import asyncio.api.subprocess.Process;
import asyncio.api.subprocess.ProcessLookupError;
import asyncio.api.subprocess.Stdio;
import asyncio.api.subprocess.SubprocessOptions;
import asyncio.api.subprocess.SubprocessProtocol;
import asyncio.api.subprocess.SubprocessTransport;
import asyncio.api.subprocess.Subprocesses;
import asyncio.epoll.EpollEventLoopProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * How children start and end: failures worded as {@link ProcessBuilder} words them on every loop,
 * every stdio mode, and, on the epoll loop, children spawned with posix_spawn and watched with a
 * pidfd (no thread per child, the real signal of a death by signal).
 */
@SpawnsChildren
@ExtendWith(NoDescriptorLeaks.class)
class SubprocessSpawnTest {
    private static final int CHILDREN = 50;

    /** The epoll loop; the tests that use it check what only its spawn path can do. */
    private static LoopKind epoll() {
        EpollEventLoopProvider provider = new EpollEventLoopProvider();
        Assumptions.assumeTrue(provider.isSupported(), "the epoll loop is not supported here");
        return new LoopKind(provider);
    }

    private static Throwable failureOf(LoopKind kind, List<String> args, SubprocessOptions options) {
        return kind.run(() -> {
            try {
                Subprocesses.createSubprocessExec(args, options).await();
                return null;
            } catch (Exception expected) {
                return expected;
            }
        });
    }

    /**
     * ProcessBuilder's exception and the start of its message; the rest of its wording changes
     * with the JDK's launch mechanism ("error=2, No such file..." or "Exec failed, error: 2 (No
     * such file...)"), so only the system's own words for the errno are checked.
     */
    private static void assertCannotRun(String program, String reason, Throwable failure) {
        assertInstanceOf(IOException.class, failure);
        assertTrue(failure.getMessage().startsWith("Cannot run program \"" + program + "\": ")
                && failure.getMessage().contains(reason), failure.getMessage());
    }

    @LoopTest
    void aMissingProgramFailsWithProcessBuildersWords(LoopKind kind) {
        Throwable failure = failureOf(kind, List.of("/no/such/program", "arg"), SubprocessOptions.pipes());
        assertCannotRun("/no/such/program", "No such file or directory", failure);
    }

    @LoopTest
    void aProgramThatIsNotExecutableFailsWithProcessBuildersWords(LoopKind kind, @TempDir Path directory) throws Exception {
        Path script = Files.writeString(directory.resolve("not-executable"), "#!/bin/sh\necho no\n");
        Throwable failure = failureOf(kind, List.of(script.toString()), SubprocessOptions.pipes());
        assertCannotRun(script.toString(), "Permission denied", failure);
    }

    @LoopTest
    void aRedirectIntoAMissingDirectoryFailsTheCall(LoopKind kind, @TempDir Path directory) {
        Path nowhere = directory.resolve("missing").resolve("out.txt");
        Throwable failure = failureOf(kind, List.of("echo", "hi"), SubprocessOptions.pipes().stdout(Stdio.file(nowhere)));
        assertInstanceOf(IOException.class, failure);
        assertEquals("Cannot run program \"echo\": " + nowhere + " (No such file or directory)", failure.getMessage());
    }

    @LoopTest
    void stdinFromAFileStdoutPipedStderrDiscarded(LoopKind kind, @TempDir Path directory) throws Exception {
        Path input = Files.writeString(directory.resolve("in.txt"), "from a file\n");
        String output = kind.run(() -> {
            Process child = Subprocesses.createSubprocessShell("cat; echo lost >&2",
                    SubprocessOptions.pipes().stdin(Stdio.file(input)).stderr(Stdio.DEVNULL)).await();
            assertEquals(null, child.stdin());
            assertEquals(null, child.stderr());
            return new String(child.communicate(null).stdout(), StandardCharsets.UTF_8);
        });
        assertEquals("from a file\n", output);
    }

    @LoopTest
    void stderrJoinsAStdoutFile(LoopKind kind, @TempDir Path directory) throws Exception {
        Path output = directory.resolve("both.txt");
        int code = kind.run(() -> Subprocesses.createSubprocessShell("echo out; echo err >&2; exit 4",
                SubprocessOptions.inherit().stdin(Stdio.DEVNULL).stdout(Stdio.file(output)).stderr(Stdio.STDOUT))
                .await().waitFor());
        assertEquals(4, code);
        assertEquals("out\nerr\n", Files.readString(output));
    }

    @LoopTest
    void signallingAfterConnectionLostRaisesProcessLookupError(LoopKind kind) {
        kind.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<Void> lost = loop.createFuture();
            var connection = loop.subprocessExec(() -> new SubprocessProtocol() {
                @Override
                public void connectionLost(Throwable error) {
                    lost.setResult(null);
                }
            }, List.of("true"), SubprocessOptions.pipes().stdin(Stdio.DEVNULL)).await();
            LoopbackPeers.within(lost);
            SubprocessTransport transport = connection.transport();
            assertEquals(0, transport.getReturncode());
            assertThrows(ProcessLookupError.class, transport::kill);
            assertThrows(ProcessLookupError.class, () -> transport.sendSignal(1));
            transport.close();
            return null;
        });
    }

    // --- the epoll loop's own spawn path ---

    /** With the ProcessBuilder path each running child holds a JDK reaper thread; here none does. */
    @Test
    void fiftyRunningChildrenAddNoThreadsOnTheEpollLoop() {
        long[] measured = epoll().run(() -> {
            // One child first, so that whatever the loop makes once (buffers, the binding) exists.
            Subprocesses.createSubprocessExec(List.of("true"), SubprocessOptions.pipes()).await().communicate(null);
            int threadsBefore = Thread.getAllStackTraces().size();
            int descriptorsBefore = NoDescriptorLeaks.ioDescriptors().size();
            List<Process> children = new ArrayList<>();
            for (int i = 0; i < CHILDREN; i++) {
                // cat waits for its stdin: every child runs until the test closes its pipe.
                children.add(Subprocesses.createSubprocessExec(List.of("cat"), SubprocessOptions.pipes()).await());
            }
            Asyncio.sleep(0);
            int threadsDuring = Thread.getAllStackTraces().size();
            int descriptorsDuring = NoDescriptorLeaks.ioDescriptors().size();
            List<Future<?>> endings = new ArrayList<>();
            for (Process child : children) {
                assertFalse(child.stdin() == null);
                endings.add(Asyncio.createTask(() -> child.communicate("x".getBytes(StandardCharsets.UTF_8))));
            }
            LoopbackPeers.within(Asyncio.gather(endings.toArray(Future<?>[]::new)));
            for (Process child : children) {
                assertEquals(0, child.returncode());
            }
            return new long[] {threadsBefore, threadsDuring, descriptorsBefore, descriptorsDuring};
        });
        System.out.printf("epoll spawn: %d children: threads %d -> %d, I/O descriptors %d -> %d%n", CHILDREN,
                measured[0], measured[1], measured[2], measured[3]);
        assertTrue(measured[1] - measured[0] < 10, "threads grew from " + measured[0] + " to " + measured[1]);
        // Three pipe ends and a pidfd per child, nothing else.
        assertEquals(4L * CHILDREN, measured[3] - measured[2], "descriptors " + measured[2] + " -> " + measured[3]);
    }

    /**
     * asyncio watches a pipe's write end for reading, and learns that the reader is gone without
     * writing; the JDK's blocking stdin stream cannot, so only the epoll loop's children do this.
     */
    @Test
    void theStdinPipeOfAnExitedChildIsLostWithoutAWriteOnTheEpollLoop() {
        List<String> events = epoll().run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<String> seen = new ArrayList<>();
            Future<Void> lost = loop.createFuture();
            var connection = loop.subprocessExec(() -> new SubprocessProtocol() {
                @Override
                public void pipeConnectionLost(int fd, Throwable error) {
                    seen.add("pipe" + fd + " lost" + (error == null ? "" : ": " + error));
                }

                @Override
                public void connectionLost(Throwable error) {
                    lost.setResult(null);
                }
            }, List.of("true"), SubprocessOptions.pipes()).await();
            LoopbackPeers.within(lost);
            connection.transport().close();
            return seen;
        });
        assertTrue(events.contains("pipe0 lost"), events.toString());
    }

    /**
     * Every loop passes the C environ, as Python passes os.environ: a variable native code set
     * after start-up reaches the child, and one it unset does not. Java's start-up snapshot
     * ({@link System#getenv()}, which ProcessBuilder copies once its environment() is called) has
     * neither change, so this fails if a ProcessBuilder loop calls environment() with no env
     * given. The surefire configuration sets {@code ASYNCIO_TEST_STARTUP_VARIABLE} for this test.
     */
    @LoopTest
    void aChildWithNoEnvironmentOfItsOwnGetsTheCEnviron(LoopKind kind) {
        String added = "ASYNCIO_TEST_C_ENVIRON";
        String removed = "ASYNCIO_TEST_STARTUP_VARIABLE";
        assertEquals(null, System.getenv(added), "Java's snapshot does not have it");
        String startup = System.getenv(removed);
        assertEquals("from start-up", startup, "asyncio.tests/pom.xml sets it for the forked JVM");
        // As native code can: behind Java's back.
        Posix.setenv(added, "set after start-up");
        Posix.unsetenv(removed);
        try {
            String seen = kind.run(() -> {
                Process child = Subprocesses.createSubprocessExec(List.of("sh", "-c",
                        "printf '%s|%s' \"$" + added + "\" \"${" + removed + "-unset}\""),
                        SubprocessOptions.pipes().stdin(Stdio.DEVNULL)).await();
                byte[] out = child.stdout().read(-1);
                child.waitFor();
                return new String(out, StandardCharsets.UTF_8);
            });
            assertEquals("set after start-up|unset", seen);
        } finally {
            Posix.unsetenv(added);
            Posix.setenv(removed, startup);
        }
    }

    @Test
    void theEpollLoopsChildIsNotAJdkProcess() {
        Object handle = epoll().run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            var connection = loop.subprocessExec(() -> new SubprocessProtocol() { }, List.of("true"),
                    SubprocessOptions.pipes().stdin(Stdio.DEVNULL)).await();
            Object subprocess = connection.transport().getExtraInfo("subprocess");
            connection.transport().close();
            return subprocess;
        });
        assertInstanceOf(ProcessHandle.class, handle);
    }

    /** The JDK would report 143 and 137 here: it can tell a death by signal only for a signal it sent itself. */
    @Test
    void aChildKilledByAnotherProcessReportsTheSignalOnTheEpollLoop() {
        int[] codes = epoll().run(() -> {
            SubprocessOptions quiet = SubprocessOptions.inherit().stdin(Stdio.DEVNULL).stdout(Stdio.DEVNULL);
            Process terminated = Subprocesses.createSubprocessExec(List.of("sleep", "60"), quiet).await();
            Process killed = Subprocesses.createSubprocessExec(List.of("sleep", "60"), quiet).await();
            // kill(2) from the test, not through the transport: the loop did not send these.
            Posix.kill(terminated.pid(), "TERM");
            Posix.kill(killed.pid(), "KILL");
            return new int[] {LoopbackPeers.within(Asyncio.createTask(terminated::waitFor)),
                    LoopbackPeers.within(Asyncio.createTask(killed::waitFor))};
        });
        assertArrayEquals(new int[] {-15, -9}, codes);
    }

    @Test
    void closingTheEpollLoopReleasesTheExitWatchOfAChildStillRunning() {
        long pid = epoll().run(() -> Subprocesses.createSubprocessExec(List.of("sleep", "60"),
                SubprocessOptions.inherit().stdin(Stdio.DEVNULL).stdout(Stdio.DEVNULL)).await().pid());
        // The loop is closed: its pidfd for the child must be closed too (the class checks for leaks).
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
}
