package asyncio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asyncio.api.subprocess.Process;
import asyncio.api.subprocess.SubprocessOptions;
import asyncio.api.subprocess.Subprocesses;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The options of {@code subprocess_exec} beyond where the streams go: {@code start_new_session},
 * {@code pass_fds}, {@code close_fds} and the stream {@code limit}. Only the epoll and io_uring
 * loops spawn children themselves (posix_spawn); ProcessBuilder can neither call setsid nor keep a
 * descriptor open, so the other loops refuse those options.
 */
@SpawnsChildren
@ExtendWith(NoDescriptorLeaks.class)
class SubprocessOptionsTest {

    private static boolean spawnsItself(LoopKind kind) {
        return kind.toString().equals("epoll") || kind.toString().equals("uring");
    }

    @LoopTest
    void startNewSessionMakesTheChildASessionLeader(LoopKind kind) {
        String script = "cut -d' ' -f6 /proc/$$/stat";
        if (!spawnsItself(kind)) {
            assertThrows(UnsupportedOperationException.class, () -> kind.run(() ->
                    Subprocesses.createSubprocessShell(script, SubprocessOptions.pipes().startNewSession(true)).await()));
            return;
        }
        long[] pidAndSession = kind.run(() -> {
            Process shell = Subprocesses.createSubprocessShell(script, SubprocessOptions.pipes().startNewSession(true)).await();
            String session = new String(shell.communicate(null).stdout(), StandardCharsets.US_ASCII).trim();
            return new long[] {shell.pid(), Long.parseLong(session)};
        });
        assertEquals(pidAndSession[0], pidAndSession[1]);
        long[] without = kind.run(() -> {
            Process shell = Subprocesses.createSubprocessShell(script, SubprocessOptions.pipes()).await();
            String session = new String(shell.communicate(null).stdout(), StandardCharsets.US_ASCII).trim();
            return new long[] {shell.pid(), Long.parseLong(session)};
        });
        assertNotEquals(without[0], without[1]);
    }

    @LoopTest
    void passFdsKeepsADescriptorOpenInTheChild(LoopKind kind) throws IOException {
        Set<Integer> before = writeOnlyPipes();
        Pipe pipe = Pipe.open();
        Set<Integer> opened = writeOnlyPipes();
        opened.removeAll(before);
        try (Pipe.SourceChannel source = pipe.source()) {
            int writeEnd;
            try (Pipe.SinkChannel sink = pipe.sink()) {
                assertTrue(sink.isOpen());
                writeEnd = opened.iterator().next();
                String script = "echo passed > /dev/fd/" + writeEnd;
                if (!spawnsItself(kind)) {
                    assertThrows(UnsupportedOperationException.class, () -> kind.run(() ->
                            Subprocesses.createSubprocessShell(script, SubprocessOptions.pipes().passFds(writeEnd)).await()));
                    return;
                }
                int closed = kind.run(() -> {
                    Process shell = Subprocesses.createSubprocessShell(script, SubprocessOptions.pipes()).await();
                    shell.communicate(null);
                    return shell.returncode();
                });
                assertNotEquals(0, closed, "without pass_fds the child must not see descriptor " + writeEnd);
                int passed = kind.run(() -> {
                    Process shell = Subprocesses.createSubprocessShell(script,
                            SubprocessOptions.pipes().passFds(writeEnd)).await();
                    shell.communicate(null);
                    return shell.returncode();
                });
                assertEquals(0, passed);
                // close_fds=False: the JDK opens its descriptors without close-on-exec, so the child inherits them.
                int inherited = kind.run(() -> {
                    Process shell = Subprocesses.createSubprocessShell(script,
                            SubprocessOptions.pipes().closeFds(false)).await();
                    shell.communicate(null);
                    return shell.returncode();
                });
                assertEquals(0, inherited);
            }
            ByteBuffer received = ByteBuffer.allocate(64);
            while (source.read(received) >= 0) {
                // until the pipe's last writer is gone
            }
            assertEquals("passed\npassed\n", new String(received.array(), 0, received.position(), StandardCharsets.US_ASCII));
        }
    }

    @LoopTest
    void closeFdsFalseIsRefusedWhereProcessBuilderSpawns(LoopKind kind) {
        if (spawnsItself(kind)) {
            int status = kind.run(() -> {
                Process shell = Subprocesses.createSubprocessShell("exit 0", SubprocessOptions.pipes().closeFds(false)).await();
                shell.communicate(null);
                return shell.returncode();
            });
            assertEquals(0, status);
            return;
        }
        assertThrows(UnsupportedOperationException.class, () -> kind.run(() ->
                Subprocesses.createSubprocessShell("exit 0", SubprocessOptions.pipes().closeFds(false)).await()));
    }

    @LoopTest
    void passFdsRefusesTheStandardStreams(LoopKind kind) {
        assertThrows(IllegalArgumentException.class, () -> SubprocessOptions.pipes().passFds(1));
        assertTrue(SubprocessOptions.pipes().passFds(5).closeFds(false).closeFds(), "pass_fds implies close_fds");
    }

    @LoopTest
    void theStreamLimitBoundsALineOfTheChildsOutput(LoopKind kind) {
        String line = "x".repeat(100);
        kind.run(() -> {
            Process shell = Subprocesses.createSubprocessShell("echo " + line + "; echo short",
                    SubprocessOptions.pipes(), 50).await();
            assertThrows(IllegalArgumentException.class, () -> shell.stdout().readline());
            assertEquals("short\n", shell.stdout().readlineUtf8());
            shell.stdout().read(-1);
            shell.waitFor();
            return null;
        });
        String whole = kind.run(() -> {
            Process shell = Subprocesses.createSubprocessExec(java.util.List.of("/bin/sh", "-c", "echo " + line),
                    SubprocessOptions.pipes(), 1000).await();
            String read = shell.stdout().readlineUtf8();
            shell.waitFor();
            return read;
        });
        assertEquals(line + "\n", whole);
        assertThrows(IllegalArgumentException.class, () -> kind.run(() ->
                Subprocesses.createSubprocessShell("exit 0", SubprocessOptions.pipes(), 0).await()));
    }

    /**
     * This process's write-only pipe descriptors: the JDK does not publish a channel's descriptor,
     * so a test finds the sink's as the one that appears when the pipe is opened.
     */
    private static Set<Integer> writeOnlyPipes() throws IOException {
        Set<Integer> found = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                int number = Integer.parseInt(fd.getFileName().toString());
                try {
                    if (!Files.readSymbolicLink(fd).toString().startsWith("pipe:")) {
                        continue;
                    }
                    String flags = Files.readAllLines(Path.of("/proc/self/fdinfo/" + number)).stream()
                            .filter(line -> line.startsWith("flags:")).findFirst().orElse("flags: 0");
                    if ((Integer.parseInt(flags.substring(6).trim(), 8) & 3) == 1) {
                        found.add(number);
                    }
                } catch (IOException gone) {
                    // closed meanwhile (the listing's own descriptor, or another thread's)
                }
            }
        }
        return found;
    }
}
